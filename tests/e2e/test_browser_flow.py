"""A trainee fills in the form in a real browser; the mentor finds the invite in
the SMTP server, the calendar file parses, the mentor accepts through the link,
and both confirmations arrive."""
import json
import os
import re
import urllib.error
import urllib.request
from datetime import timedelta

import icalendar
import pytest

from tests.conftest import MailboxClient, poll, unique_email

pytestmark = pytest.mark.e2e

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Without these, Chromium reaches for Google's hosts, which this network refuses.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"No Chromium at {CHROMIUM}: run `make system-deps` (or set CHROMIUM_PATH).")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})  # a phone
    page = context.new_page()
    yield page
    context.close()


def register_mentor(stack, email):
    body = {"name": "Lucía García", "email": email, "country": "ES", "timezone": "Europe/Madrid",
            "languages": ["es", "pt"], "disciplines": ["colour"], "bio": "Colourist for streaming series.",
            "skills": [{"name": "colour grading", "level": 5}, {"name": "HDR workflows", "level": 4}],
            "monthly_capacity": 2, "availability": [{"day": d, "start": "08:00", "end": "22:00"} for d in range(7)]}
    req = urllib.request.Request(stack.url("intake") + "/api/mentors", data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"}, method="POST")
    mentor_id = json.load(urllib.request.urlopen(req, timeout=10))["id"]

    def known():
        try:
            with urllib.request.urlopen(f"{stack.url('matching')}/api/mentors/{mentor_id}", timeout=5) as r:
                return r.status == 200
        except urllib.error.HTTPError as exc:
            exc.close()
            return False
    poll(known, timeout=30)


def fill_form(page, trainee_email):
    page.get_by_label("Your name").fill("Thiago Oliveira")
    page.get_by_label("Email", exact=True).fill(trainee_email)
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


def test_a_trainee_request_in_the_browser_ends_in_a_confirmed_session_for_both(full_stack, page):
    mailbox = MailboxClient(full_stack.url("mailbox"))
    mentor_email, trainee_email = unique_email("lucia"), unique_email("thiago")
    register_mentor(full_stack, mentor_email)

    page.goto(full_stack.url("intake") + "/")
    fill_form(page, "not-an-email")
    page.get_by_role("button", name="Ask for a mentor").click()
    assert "Enter an email address" in page.locator("#email-error").inner_text()   # the message beside the field
    assert page.get_by_label("Your name").input_value() == "Thiago Oliveira"      # nothing typed is lost
    page.get_by_label("Email", exact=True).fill(trainee_email)
    page.get_by_role("button", name="Ask for a mentor").click()

    page.wait_for_url(re.compile(r".*/requests/[0-9a-f]+$"))
    status_url = page.url
    assert page.locator("li[data-step=requested].done").count() == 1

    invite = mailbox.wait_for(1, to=mentor_email)[0]
    # Lucía lists Spanish first: her invite is in Spanish.
    assert invite["subject"].startswith("Solicitud de sesión de crítica de Thiago Oliveira")
    ics = [a for a in invite["attachments"] if a["content_type"] == "text/calendar"][0]
    assert ics["params"].get("method") == "REQUEST"
    calendar = icalendar.Calendar.from_ical(ics["content"])
    event = next(iter(calendar.walk("VEVENT")))
    assert str(calendar["METHOD"]) == "REQUEST"
    assert {str(a) for a in event["ATTENDEE"]} == {f"mailto:{mentor_email}", f"mailto:{trainee_email}"}
    start = event.decoded("DTSTART")
    assert event.decoded("DTEND") - start == timedelta(minutes=60)

    accept_url = re.search(r"Aceptar: (\S+)", invite["text"]).group(1)
    page.goto(accept_url)
    assert "Accept this critique session?" in page.locator("h1").inner_text()
    page.get_by_role("button", name="Accept the session").click()
    assert page.locator("#outcome").get_attribute("data-state") == "confirmed"

    confirmations = {mentor_email: mailbox.wait_for(2, to=mentor_email),   # the invite, then the confirmation
                     trainee_email: mailbox.wait_for(1, to=trainee_email)}
    mentor_confirmed = [m for m in confirmations[mentor_email] if m["subject"].startswith("Confirmada")]
    trainee_confirmed = [m for m in confirmations[trainee_email] if m["subject"].startswith("Confirmada")]
    assert len(mentor_confirmed) == 1 and len(trainee_confirmed) == 1
    for message in mentor_confirmed + trainee_confirmed:
        cal = icalendar.Calendar.from_ical([a for a in message["attachments"]
                                            if a["content_type"] == "text/calendar"][0]["content"])
        confirmed = next(iter(cal.walk("VEVENT")))
        assert str(confirmed["UID"]) == str(event["UID"]) and str(confirmed["STATUS"]) == "CONFIRMED"
        assert confirmed.decoded("DTSTART") == start
    # Each in their own language and time zone: Madrid (UTC+1) and São Paulo (UTC-3).
    assert "(Europe/Madrid, UTC+01:00)" in mentor_confirmed[0]["subject"]
    assert "(America/Sao_Paulo, UTC-03:00)" in trainee_confirmed[0]["subject"]
    assert " de " in trainee_confirmed[0]["subject"] and "sessão" in trainee_confirmed[0]["subject"]

    page.goto(status_url)
    poll(lambda: page.reload() or page.locator("li[data-step=confirmed].done").count() == 1, timeout=30)
    assert "Confirmed: your session is on" in page.locator("#history").inner_text()
