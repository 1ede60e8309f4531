"""A trainee fills in the form in a real browser; the mentor finds the invite in
the SMTP server, the calendar file parses, the mentor accepts through the link,
and both confirmations arrive."""

import contextlib
import json
import re
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine

from devstack.stack import ROOT
from tests.conftest import MailboxClient, poll, started_stack, unique_email
from tests.e2e.conftest import serious

pytestmark = pytest.mark.e2e




def zone_label(tz: str, instant: datetime) -> str:
    """How pages and emails name a time's zone: "(Europe/Madrid, UTC+01:00)", with the
    offset in force at ``instant`` — never today's, so the test holds in every season."""
    offset = instant.astimezone(ZoneInfo(tz)).strftime("%z")
    return f"({tz}, UTC{offset[:3]}:{offset[3:]})"

# The services' clock in July (summer time in Madrid) as well as today, so no test
# depends on the season it happens to run in.
JULY = datetime(2027, 7, 14, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def july_stack(tmp_path_factory):
    offset = JULY.timestamp() - time.time()
    stack = started_stack(tmp_path_factory.mktemp("july"), PYTHONPATH=str(ROOT / "tests" / "clock"),
                          TWOSHOT_TEST_CLOCK_OFFSET_S=str(offset))
    yield stack
    stack.stop()


def stack_clock(stack):
    """This process's clock set to the stack's: for work the test does as one of its services."""
    offset = stack.extra_env.get("TWOSHOT_TEST_CLOCK_OFFSET_S")
    return time_machine.travel(time.time() + float(offset), tick=True) if offset else contextlib.nullcontext()


@pytest.fixture(params=["today", "july"])
def stack(request):
    """The whole system with the real clock, then with every service's clock in July."""
    return request.getfixturevalue("full_stack" if request.param == "today" else "july_stack")




def post_json(url, body, token=None):
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST", headers=headers)
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.load(r)


def register_mentor(stack, email, **overrides):
    body = {"name": "Lucía García", "email": email, "country": "ES", "timezone": "Europe/Madrid",
            "languages": ["es", "pt"], "disciplines": ["colour"], "bio": "Colourist for streaming series.",
            "skills": [{"name": "colour grading", "level": 5}, {"name": "HDR workflows", "level": 4}],
            "monthly_capacity": 2, "availability": [{"day": d, "start": "08:00", "end": "22:00"} for d in range(7)]}
    mentor_id = post_json(stack.url("intake") + "/api/mentors", {**body, **overrides}, stack.staff_token())["id"]

    def known():
        try:
            req = urllib.request.Request(f"{stack.url('matching')}/api/mentors/{mentor_id}",
                                         headers={"Authorization": f"Bearer {stack.staff_token('viewer')}"})
            with urllib.request.urlopen(req, timeout=5) as r:
                return r.status == 200
        except urllib.error.HTTPError as exc:
            exc.close()
            return False
    poll(known, timeout=30)
    return mentor_id


def fill_form(page, trainee_email):
    page.get_by_label("Your name").fill("Thiago Oliveira")
    page.get_by_label("Your email address").fill(trainee_email)
    page.get_by_label("Country you work in").select_option("BR")
    page.get_by_label("Your time zone").select_option("America/Sao_Paulo")
    page.get_by_label("Português").check()
    page.get_by_label("Language for our emails").select_option("pt")
    page.get_by_label("Discipline").select_option("colour")
    page.get_by_label("Skills you want to work on").fill("colour grading, HDR workflows")
    page.get_by_label("What do you want to get better at?").fill(
        "Grading night exteriors shot on limited power without crushing the blacks.")
    for day in range(7):
        page.locator(f"#avail_{day}_start").fill("09:00")
        page.locator(f"#avail_{day}_end").fill("18:00")


def test_a_trainee_request_in_the_browser_ends_in_a_confirmed_session_for_both(stack, page):
    mailbox = MailboxClient(stack.url("mailbox"))
    mentor_email, trainee_email = unique_email("lucia"), unique_email("thiago")
    register_mentor(stack, mentor_email)

    page.goto(stack.url("intake") + "/")
    fill_form(page, "not-an-email")
    page.get_by_role("button", name="Ask for a mentor").click()
    assert "Enter an email address" in page.locator("#email-error").inner_text()   # the message beside the field
    assert page.get_by_label("Your name").input_value() == "Thiago Oliveira"      # nothing typed is lost
    page.get_by_label("Your email address").fill(trainee_email)
    page.get_by_role("button", name="Ask for a mentor").click()

    page.wait_for_url(re.compile(r".*/requests/[0-9a-f]+$"))
    status_url = page.url
    assert page.locator("li[data-step=requested].done").count() == 1

    invite = mailbox.wait_for(1, to=mentor_email)[0]
    # Lucía lists Spanish first: her invite is in Spanish.
    assert invite["subject"].startswith("Solicitud de sesión de crítica de Thiago Oliveira")
    ics = next(a for a in invite["attachments"] if a["content_type"] == "text/calendar")
    assert ics["params"].get("method") == "REQUEST"
    calendar = icalendar.Calendar.from_ical(ics["content"])
    event = next(iter(calendar.walk("VEVENT")))
    assert str(calendar["METHOD"]) == "REQUEST"
    attendees = {str(a) for a in event["ATTENDEE"]}
    assert f"mailto:{mentor_email}" in attendees and len(attendees) == 2
    assert f"mailto:{trainee_email}" not in attendees      # the trainee's private address stays hers
    start = event.decoded("DTSTART")
    assert event.decoded("DTEND") - start == timedelta(minutes=60)
    if "TWOSHOT_TEST_CLOCK_OFFSET_S" in stack.extra_env:   # the services really lived in July
        assert (start.month, start.year) == (7, 2027)

    accept_url = re.search(r"Aceptar: (\S+)", invite["text"]).group(1)
    page.goto(accept_url)
    assert page.locator("html").get_attribute("lang") == "es"          # the page in Lucía's language too
    assert "¿Aceptar esta sesión de crítica?" in page.locator("h1").inner_text()
    assert zone_label("Europe/Madrid", start) in page.content()
    page.get_by_role("button", name="Aceptar la sesión").click()
    assert page.locator("#outcome").get_attribute("data-state") == "confirmed"

    confirmations = {mentor_email: mailbox.wait_for(2, to=mentor_email),   # the invite, then the confirmation
                     trainee_email: mailbox.wait_for(1, to=trainee_email, about_sessions=True)}
    mentor_confirmed = [m for m in confirmations[mentor_email] if m["subject"].startswith("Confirmada")]
    trainee_confirmed = [m for m in confirmations[trainee_email] if m["subject"].startswith("Confirmada")]
    assert len(mentor_confirmed) == 1 and len(trainee_confirmed) == 1
    for message in mentor_confirmed + trainee_confirmed:
        cal = icalendar.Calendar.from_ical(next(a for a in message["attachments"]
                                            if a["content_type"] == "text/calendar")["content"])
        confirmed = next(iter(cal.walk("VEVENT")))
        assert str(confirmed["UID"]) == str(event["UID"]) and str(confirmed["STATUS"]) == "CONFIRMED"
        assert confirmed.decoded("DTSTART") == start
    # Each in their own language and time zone, with the offset in force at that instant
    # (Madrid is UTC+1 in winter, UTC+2 in summer; São Paulo UTC-3 all year).
    assert zone_label("Europe/Madrid", start) in mentor_confirmed[0]["subject"]
    assert zone_label("America/Sao_Paulo", start) in trainee_confirmed[0]["subject"]
    assert " de " in trainee_confirmed[0]["subject"] and "sessão" in trainee_confirmed[0]["subject"]

    assert status_url in trainee_confirmed[0]["text"]      # her email links to her request's page
    page.goto(status_url)
    poll(lambda: page.reload() or page.locator("li[data-step=confirmed].done").count() == 1, timeout=30)
    # In the language Thiago chose for his emails, and his time zone.
    assert page.locator("html").get_attribute("lang") == "pt"
    # Read once the page has settled (while a step is still arriving it reloads itself).
    history = poll(lambda: (text := page.locator("#history").inner_text())
                   and "Confirmada: a sua sessão é em" in text and text, timeout=30)
    assert zone_label("America/Sao_Paulo", start) in history


def test_a_mentor_fills_the_critique_form_on_a_phone_and_the_trainee_reads_it(stack, page):
    from services.sessions.bootstrap import bootstrap as sessions_bootstrap
    from services.sessions.handlers import run_due_timers
    from shared.config import StackSettings

    mailbox = MailboxClient(stack.url("mailbox"))
    mentor_email, trainee_email = unique_email("kofi"), unique_email("ama")
    all_day = [{"day": d, "start": "06:00", "end": "23:00"} for d in range(7)]
    register_mentor(stack, mentor_email, name="Kofi Owusu", country="GH", timezone="Africa/Accra",
                    languages=["ml"], disciplines=["sound"], skills=[{"name": "boom operation", "level": 5}],
                    availability=all_day, bio="")
    request_id = post_json(stack.url("intake") + "/api/requests", {
        "name": "Ama Mensah", "email": trainee_email, "country": "GH", "timezone": "Africa/Accra",
        "languages": ["ml"], "discipline": "sound", "focus_skills": ["boom operation"],
        "goals": "Clean dialogue in windy exteriors", "reel_url": "https://vimeo.com/ama-reel",
        "availability": all_day})["id"]
    invite = mailbox.wait_for(1, to=mentor_email)[0]
    page.goto(re.search(r"Accept: (\S+)", invite["text"]).group(1))
    page.get_by_role("button", name="Accept the session").click()
    session_id = invite["text"].split("/sessions/")[1].split("/")[0]

    sessions = sessions_bootstrap(StackSettings.from_env(stack.env()))
    try:   # the session ends: move the clock past it (links are signed on the stack's clock)
        with stack_clock(stack):
            end = datetime.fromisoformat(sessions.repository.get(session_id).end)
            run_due_timers(sessions, end.replace(second=1))
    finally:
        sessions.runtime.close()
    ask = poll(
        lambda: [m for m in mailbox.messages(mentor_email) if "Write your critique" in m["subject"]], timeout=30
    )[0]

    page.goto(re.search(r"Write the critique: (\S+)", ask["text"]).group(1))
    assert [page.locator(f"#score_{i}").count() for i in range(4)] == [1, 1, 1, 1]   # the sound rubric
    assert "Clarity" in page.content() and "Noise floor" in page.content()
    assert serious(page) == [], "critique form"
    page.get_by_role("button", name="Send the critique").click()
    assert "Give a score from 1 to 5." in page.locator("#score_0-error").inner_text()
    assert serious(page) == [], "critique form with errors"
    for i, score in enumerate(["4", "3", "5", "4"]):
        page.locator(f"#score_{i}").select_option(score)
    page.locator("#comment_0").fill("Dialogue is clean; watch the boom shadow.")
    page.get_by_label("Notes on the reel, one per line as mm:ss (or h:mm:ss) and the note").fill(
        "00:12 wind noise on the lav\n02:05 perspective jumps between takes\n1:02:03 plan the final mix here")
    page.get_by_label("Next steps").fill("Record room tone at every set-up and try a blimp with a dead cat.")
    page.get_by_role("button", name="Send the critique").click()
    assert page.locator("#outcome").get_attribute("data-state") == "critiqued"

    page.goto(f"{stack.url('intake')}/requests/{request_id}")
    poll(lambda: page.reload() or page.locator("#critique").count() == 1, timeout=30)
    critique = page.locator("#critique").inner_text()
    assert "4/5" in critique and "00:12 wind noise on the lav" in critique and "Record room tone" in critique
    assert "1:02:03 plan the final mix here" in critique        # past the first hour: read whole, as typed
    assert serious(page) == [], "status page with the critique"

    rate = poll(lambda: [m for m in mailbox.messages(trainee_email) if "Rate" in m["subject"]], timeout=30)[0]
    page.goto(re.search(r"^Rate the session: (\S+)$", rate["text"].replace("\r\n", "\n"), re.M).group(1))
    assert serious(page) == [], "rating page"
