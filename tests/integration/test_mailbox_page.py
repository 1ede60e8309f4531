"""The local mailbox page (what a newcomer opens first): the list, each email as its
recipient sees it, clickable links, and the calendar file to download."""
import smtplib
import urllib.request
from email.message import EmailMessage

import pytest

from tests.conftest import MailboxClient, unique_email

pytestmark = pytest.mark.integration


def get(url):
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.status, dict(r.headers), r.read().decode()


def test_an_email_is_listed_shown_as_sent_and_its_calendar_file_downloads(infra):
    to = unique_email("page")
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "Twoshot <s@twoshot.test>", to, "Invitation — Lucía"
    msg.set_content("Accept: https://sessions.test/accept?token=abc\n")
    msg.add_alternative('<!doctype html><html lang="es"><body><p>Hola <a href="https://x.test">x</a></p></body></html>',
                        subtype="html")
    msg.add_attachment(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", maintype="text", subtype="calendar",
                       filename="invite.ics")
    with smtplib.SMTP("127.0.0.1", infra.ports["smtp"], timeout=10) as smtp:
        smtp.send_message(msg)
    [sent] = MailboxClient(infra.url("mailbox")).wait_for(1, to=to)

    _, _, index = get(infra.url("mailbox") + "/")
    assert f'href="/messages/{sent["id"]}"' in index and "Invitation — Lucía" in index
    _, _, page = get(f"{infra.url('mailbox')}/messages/{sent['id']}")
    assert '<a href="https://sessions.test/accept?token=abc">' in page          # links in the text are links
    assert f'<iframe src="/messages/{sent["id"]}/html"' in page and 'name="viewport"' in page
    _, headers, html = get(f"{infra.url('mailbox')}/messages/{sent['id']}/html")
    assert 'lang="es"' in html and headers["Content-Security-Policy"].startswith("sandbox")
    _, headers, ics = get(f"{infra.url('mailbox')}/messages/{sent['id']}/attachments/0")
    assert ics.startswith("BEGIN:VCALENDAR") and headers["Content-Type"].startswith("text/calendar")
    assert 'filename="invite.ics"' in headers["Content-Disposition"]
