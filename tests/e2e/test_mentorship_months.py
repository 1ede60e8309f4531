"""One pair over three months, in a real browser, with the services' clock moved.

Every service runs on a clock that starts on a fixed day (never today's date). To let
weeks pass, the test stops every service and starts it again with its clock further on
(tests/clock/sitecustomize.py): the timers due meanwhile (session ends, reminders, the
nudge) then fire in the services themselves, as they would have. The broker, Redis and
the mailbox keep running throughout.

The trainee books the second session from her mentoring page; the mentor proposes another
time for the third; each session gets a critique (two with a technical update); her page
shows the three critiques, the score chart and both updates; six quiet weeks bring the
nudge; she ends the mentorship with a reason and asks for a new mentor, who is the other
one."""
import json
import re
import time
from datetime import UTC, datetime, timedelta

import icalendar
import pytest

from devstack.stack import ROOT, SERVICES, wait_until
from tests.conftest import MailboxClient, poll, started_stack, unique_email
from tests.e2e.conftest import serious
from tests.e2e.test_browser_flow import post_json, register_mentor

pytestmark = pytest.mark.e2e

START = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)     # a Monday; the services' clock starts here
CLOCK = "TWOSHOT_TEST_CLOCK_OFFSET_S"
ALL_WEEK = [{"day": d, "start": "06:00", "end": "23:00"} for d in range(7)]


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    stack = started_stack(tmp_path_factory.mktemp("months"), PYTHONPATH=str(ROOT / "tests" / "clock"),
                          **{CLOCK: str(START.timestamp() - time.time())})
    yield stack
    stack.stop()


def services_now(stack) -> datetime:
    return datetime.fromtimestamp(time.time() + float(stack.extra_env[CLOCK]), UTC)


def travel(stack, to: datetime) -> None:
    """Every service stopped, then started again with its clock at ``to``; back once every
    worker holds its partitions again (evidence: a non-empty assignment in its log since
    the restart). A worker is never stopped halfway through joining its group."""
    logs = {s: stack.run_dir / "logs" / f"{s}-worker.log" for s in SERVICES}
    seen = {s: len(path.read_text().splitlines()) for s, path in logs.items()}
    for name in [n for n in list(stack.procs) if n not in ("broker", "redis", "mailbox")]:
        stack.stop_process(name)
    stack.extra_env[CLOCK] = str(to.timestamp() - time.time())
    stack.start_services()

    def assigned(service: str) -> bool:
        return any('"partitions assigned"' in line and json.loads(line).get("partitions")
                   for line in logs[service].read_text().splitlines()[seen[service]:])
    wait_until(lambda: all(assigned(s) for s in SERVICES), 120, "every worker to hold its partitions again")


def unfolded(message) -> str:
    return message["text"].replace("=\r\n", "").replace("\r\n", "\n")


def labelled(message, label: str) -> str:
    found = re.search(rf"^{re.escape(label)}: (\S+)$", unfolded(message), re.M)
    assert found, f"no {label!r} link in {message['subject']!r}"
    return found.group(1)


def start_of(invite) -> datetime:
    ics = next(a for a in invite["attachments"] if a["content_type"] == "text/calendar")
    return next(iter(icalendar.Calendar.from_ical(ics["content"]).walk("VEVENT"))).decoded("DTSTART")


def new_mail(mailbox, to: str, subject: str, seen: int):
    """The ``seen + 1``-th email to ``to`` whose subject holds ``subject``."""
    return poll(lambda: (found := [m for m in mailbox.messages(to) if subject in m["subject"]])
                and len(found) > seen and found[seen], timeout=60)


def critique(page, mailbox, mentor: str, n: int, update: tuple[str, str, str] | None) -> None:
    ask = new_mail(mailbox, mentor, "Write your critique", n)
    page.goto(labelled(ask, "Write the critique"))
    for i in range(4):        # the colour rubric: a little better every time
        page.locator(f"#score_{i}").select_option(str(min(5, 2 + n + i % 2)))
    page.locator("#notes").fill(f"00:{10 + n}:05 session {n + 1}: watch the skin tones\n1:02:03 the final look")
    page.locator("#next_steps").fill(f"Grade the next scene with what we saw in session {n + 1}.")
    if update:
        for name, value in zip(("equipment", "setting", "value"), update, strict=True):
            page.locator(f"#update_{name}_0").fill(value)
    page.get_by_role("button", name="Send the critique").click()
    assert page.locator("#outcome").get_attribute("data-state") == "critiqued"


def book_about_a_month_on(page, stack) -> str:
    """On the trainee's page: the first offered time at least 25 days on; returns it."""
    wanted = services_now(stack) + timedelta(days=25)
    values = [v for v in page.locator("#book input[name=start]").evaluate_all("els => els.map(e => e.value)")
              if datetime.fromisoformat(v) >= wanted]
    assert values, "times a month on are offered"
    page.locator(f"#book input[value='{values[0]}']").check()
    page.get_by_role("button", name="Book the next session").click()
    assert page.locator("#outcome").get_attribute("data-done") == "book"
    return values[0]


def test_a_pair_meets_three_times_over_three_months_then_the_trainee_moves_on(stack, page):
    mailbox = MailboxClient(stack.url("mailbox"))
    mentors = [unique_email("lucia"), unique_email("ines")]
    trainee = unique_email("efua")
    for email, name, level in zip(mentors, ("Lucía García", "Inês Duarte"), (5, 4), strict=True):
        register_mentor(stack, email, name=name, languages=["en"], availability=ALL_WEEK,
                        skills=[{"name": "colour grading", "level": level}, {"name": "HDR workflows", "level": 4}])
    request_id = post_json(stack.url("intake") + "/api/requests", {
        "name": "Efua Boateng", "email": trainee, "country": "GH", "timezone": "Africa/Accra", "languages": ["en"],
        "discipline": "colour", "focus_skills": ["colour grading"], "goals": "Consistent skin tones across scenes",
        "reel_url": "https://vimeo.com/efua-reel",
        "availability": [{"day": d, "start": "09:00", "end": "18:00"} for d in range(7)]})["id"]

    # Session 1: matching's proposal; the mentor accepts in the browser.
    invite = poll(lambda: next(([m, to] for to in mentors for m in mailbox.messages(to)
                                if m["subject"].startswith("Critique session request")), None), timeout=60)
    first_invite, mentor = invite
    other_mentor = next(m for m in mentors if m != mentor)
    page.goto(labelled(first_invite, "Accept"))
    page.get_by_role("button", name="Accept the session").click()
    assert page.locator("#outcome").get_attribute("data-state") == "confirmed"
    travel(stack, start_of(first_invite) + timedelta(hours=2))
    critique(page, mailbox, mentor, 0, ("ARRI Alexa 35", "exposure index", "EI 800 for night exteriors"))

    # Session 2, about a month on: the trainee books it from her page (linked from her critique email).
    told = new_mail(mailbox, trainee, "has written your critique", 0)
    mentoring_url = re.search(r"(http\S+/mentoring/\w+\?token=\S+)", unfolded(told)).group(1)
    page.goto(mentoring_url)
    assert serious(page) == [], "mentoring page after one critique"
    second = book_about_a_month_on(page, stack)
    invite = new_mail(mailbox, mentor, "Critique session request", 1)
    assert start_of(invite) == datetime.fromisoformat(second)
    page.goto(labelled(invite, "Accept"))
    page.get_by_role("button", name="Accept the session").click()
    travel(stack, datetime.fromisoformat(second) + timedelta(hours=2))
    critique(page, mailbox, mentor, 1, ("DaVinci Resolve", "colour management", "ACES 1.3 with an HDR10 output"))

    # Session 3: the trainee books, the mentor proposes another time, the trainee accepts it.
    page.goto(mentoring_url)
    asked = book_about_a_month_on(page, stack)
    invite = new_mail(mailbox, mentor, "Critique session request", 2)
    page.goto(labelled(invite, "Propose another time"))
    # Times around the one she asked for, not the coming days': the mentor takes a later one.
    offered = page.locator("input[name=start]").evaluate_all("els => els.map(e => e.value)")
    assert offered and all(abs(datetime.fromisoformat(v) - datetime.fromisoformat(asked)) < timedelta(days=17)
                           for v in offered)
    proposed = next(v for v in offered if v > asked)
    page.locator(f"input[value='{proposed}']").check()
    page.get_by_label(re.compile(r"Message to Efua Boateng")).fill("I am on set that day; the day after?")
    page.get_by_role("button", name="Propose this time").click()
    offer = new_mail(mailbox, trainee, "Lucía García proposes a time" if "lucia" in mentor
                     else "Inês Duarte proposes a time", 0)
    assert "wrote: “I am on set that day; the day after?”" in unfolded(offer)    # his note reaches her
    page.goto(labelled(offer, "Accept"))
    page.get_by_role("button", name="Accept the new time").click()
    assert page.locator("#outcome").get_attribute("data-state") == "confirmed"
    third = datetime.fromisoformat(proposed)
    assert third - START > timedelta(days=50)
    travel(stack, third + timedelta(hours=2))
    critique(page, mailbox, mentor, 2, None)
    assert services_now(stack) - START > timedelta(days=55)

    # Her page: three critiques in order, the scores over time, both updates (newest first).
    poll(lambda: page.goto(mentoring_url) and page.locator("#sessions li[data-session] table").count() == 3,
         timeout=60)
    assert page.locator("#sessions li[data-state=completed]").count() == 3
    assert page.locator("#scores svg polyline").count() == 4            # one line per rubric criterion
    assert page.locator("#scores-table tr").count() == 1 + 3             # a header and a row per critique
    updates = page.locator("#updates li[data-update]").all_inner_texts()
    assert len(updates) == 2 and "DaVinci Resolve" in updates[0] and "ARRI Alexa 35" in updates[1]
    assert "1:02:03 the final look" in page.locator("#sessions").inner_text()
    # No sideways scrolling on a phone (a wide table scrolls inside its own region).
    wide = page.evaluate("""[...document.querySelectorAll('body *')]
        .filter(e => !e.closest('.scroll') && e.getBoundingClientRect().right > window.innerWidth + 1)
        .map(e => e.tagName + '#' + e.id + ' ' + Math.round(e.getBoundingClientRect().right))""")
    assert not wide and page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), wide
    assert serious(page) == [], "mentoring page after three critiques"

    # Six quiet weeks: both are nudged, each with a way to book.
    travel(stack, third + timedelta(weeks=6, hours=2))
    for person in (trainee, mentor):
        nudge = new_mail(mailbox, person, "Time for your next session with", 0)
        assert "6 weeks" in nudge["text"]

    # She ends it with a reason and asks for a new mentor: the other one is invited, never the first.
    page.goto(mentoring_url)
    page.locator("#reason").fill("We covered what I needed on grading; I want to learn HDR mastering next.")
    page.get_by_label(re.compile(r"Find me a new mentor")).check()
    page.get_by_role("button", name="End the mentorship").click()
    assert page.locator("#state").get_attribute("data-state") == "ended"
    new_invite = new_mail(mailbox, other_mentor, "Critique session request", 0)
    assert "Efua Boateng" in new_invite["subject"]
    assert len([m for m in mailbox.messages(mentor) if m["subject"].startswith("Critique session request")]) == 3
    page.goto(mentoring_url)
    assert page.locator("#sessions li[data-state=completed]").count() == 3   # her history carries over
    survey = new_mail(mailbox, trainee, "Your mentorship with", 0)
    page.goto(labelled(survey, "Answer the closing survey"))
    assert serious(page) == [], "closing survey"
    assert request_id in mentoring_url
