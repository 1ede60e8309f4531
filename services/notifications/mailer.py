"""Sending email over SMTP (STARTTLS and login when configured)."""
from __future__ import annotations

import smtplib
import uuid
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from services.notifications.messages import Email
from shared.config import Settings


def _safe(value: str) -> str:
    """No CR/LF in a header value: a name with a newline cannot add a header."""
    return " ".join(value.replace("\r", " ").replace("\n", " ").split())


def build_message(email: Email, mail_from: str, message_id_seed: str, now) -> EmailMessage:
    from_name, from_addr = parseaddr(mail_from)
    msg = EmailMessage()
    msg["From"] = Address(_safe(from_name), addr_spec=from_addr)
    msg["To"] = Address(_safe(email.to_name), addr_spec=email.to_email)
    msg["Subject"] = _safe(email.subject)
    msg["Date"] = format_datetime(now)
    # Deterministic: the same notification always carries the same Message-ID.
    msg["Message-ID"] = f"<{uuid.uuid5(uuid.NAMESPACE_URL, message_id_seed).hex}@twoshot>"
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(email.text)
    msg.add_alternative(email.html, subtype="html")
    if email.ics:
        msg.add_attachment(email.ics.encode("utf-8"), maintype="text", subtype="calendar",
                           filename="invite.ics", params={"method": email.ics_method})
    msg["Content-Language"] = email.locale   # after the content: set_content clears Content-* headers
    return msg


class SmtpMailer:
    def __init__(self, settings: Settings):
        self._settings = settings

    def send(self, message: EmailMessage) -> None:
        s = self._settings
        with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout_s) as smtp:
            if s.smtp_starttls:
                smtp.starttls()
            if s.smtp_user:
                smtp.login(s.smtp_user, s.smtp_password)
            smtp.send_message(message)
