"""Notifications' service layer: queue the emails each event sends; send what is due.

Exactly one email per (event, recipient, kind): the mail id is derived from them, the
queue refuses an id it already holds or sent, and the event itself is handled once.
SMTP cannot commit with Redis, so the commit point is placed with care: the email is
marked "committing" just before the final "." of DATA. A worker that dies after that
never sends it again (the next sender records it as sent, unconfirmed); a refusal at the
end clears the mark so it is retried. What is left is a worker dying between that mark
and writing the dot: that email is lost, and the delivery log says "unconfirmed". A mark
Redis kept while the sender saw its write fail (Redis going away) is cleared, once Redis
is back, before the email can be claimed again (``_not_committed``).
"""
from __future__ import annotations

import logging
import re
import time
from dataclasses import asdict

from services.notifications import messages
from services.notifications.bootstrap import Notifications
from services.notifications.mailer import AfterCommitError, write_message
from services.notifications.messages import Email
from shared import metrics
from shared.contracts import dlq_for
from shared.erasure import erasure_handler, forget
from shared.events import Event, serialize, utcnow, valid_event
from shared.privacy import is_erased_address
from shared.resilience import Backoff, is_infrastructure_error
from shared.store import UnitOfWork

log = logging.getLogger(__name__)
SOURCE = "notifications"
EVENTS = ("mentorship.requested", "session.invited", "session.confirmed", "session.rescheduled",
          "session.move_proposed", "session.move_declined", "session.cancelled", "session.slot_proposed",
          "session.reminder", "session.completed", "critique.submitted", "session.declined", "session.expired",
          "mentorship.ended", "mentorship.nudged")


def queue_emails(notifications: Notifications, event: Event, uow: UnitOfWork) -> None:
    """Queue every email ``event`` sends, in the transaction that marks it handled."""
    d = event.data
    status_url = f"{notifications.runtime.settings.public_base_url.rstrip('/')}/requests/{d['request_id']}"
    manage_url = notifications.links.manage_url(d["mentor"]["id"]) if isinstance(d.get("mentor"), dict) else ""
    emails = messages.compose(event.type, d, notifications.organizer, event.time, status_url, manage_url)
    notifications.mail.enqueue_all(uow, [
        mail for email in emails
        if (mail := _mail(notifications, event, email, d["request_id"], d.get("session_id", ""))) is not None])


def queue_profile_link(notifications: Notifications, event: Event, uow: UnitOfWork) -> None:
    """A mentor's confirmation or manage link: logged under ``mentor:<id>``."""
    mail = _mail(notifications, event, messages.profile_link(event.data), f"mentor:{event.data['mentor_id']}", "")
    notifications.mail.enqueue_all(uow, [mail] if mail is not None else [])


def _mail(notifications: Notifications, event: Event, email: Email, request_id: str,
          session_id: str) -> tuple[str, dict, float] | None:
    """The queue's (mail id, entry, after_s) for ``email``; None when there is nobody to write to."""
    if is_erased_address(email.to_email):
        return None   # the recipient was erased: nobody to write to
    mail_id = f"{event.id}:{email.recipient_role}:{email.kind}"
    # The event as it came (sealed), for its dead-letter copy if this email is given up.
    wire = event.wire if event.wire is not None else serialize(event, notifications.runtime.sealer)
    entry = {"email": asdict(email), "request_id": request_id, "session_id": session_id,
             "correlation_id": event.correlation_id, "topic": event.topic, "event": wire.decode("utf-8")}
    return mail_id, entry, notifications.runtime.settings.mail_may_wait_s if email.may_wait else 0.0


def _not_committed(notifications: Notifications, mail_id: str, pause=time.sleep,
                   backoff: Backoff | None = None) -> None:
    """The final "." never went out: the server refused, or the commit mark could not be
    confirmed (Redis went away as it was written, and may have kept it). A mark left behind
    would have the next sender record the email as sent, unconfirmed, and never send it,
    so Redis is waited for (the workers' outage backoff) until the mark is gone, within the
    email's lease (past it, another sender may claim the email anyway). Seen in the Redis
    SIGTERM drill."""
    settings = notifications.runtime.settings
    backoff = backoff or Backoff(settings.retry_backoff_s, settings.retry_backoff_max_s)
    deadline = time.monotonic() + settings.mail_lease_s
    while True:
        try:
            notifications.mail.uncommit(mail_id)
            return
        except Exception as exc:
            delay = backoff.next()
            if not is_infrastructure_error(exc) or time.monotonic() + delay > deadline:
                raise
            pause(delay)


def send_due(notifications: Notifications, now: float | None = None, limit: int = 20) -> int:
    """Send up to ``limit`` queued emails that are due; returns how many it claimed (sent,
    retried later, given up or found sent already): fewer than ``limit`` means nothing
    more was due."""
    now = time.time() if now is None else now
    settings = notifications.runtime.settings
    claimed = notifications.mail.claim(now, limit)
    for mail_id, entry, committing in claimed:
        email = Email(**entry["email"])
        record = {"notification_id": mail_id, "kind": email.kind, "recipient_role": email.recipient_role,
                  "to": email.to_email, "to_name": email.to_name, "to_id": email.to_id, "subject": email.subject,
                  "session_id": entry["session_id"], "locale": email.locale}
        if committing:
            # A sender died after the commit point: the server has it (or, rarely, lost it
            # with the connection). Never send it twice.
            _finish(notifications, mail_id, entry, {**record, "status": "sent, unconfirmed",
                                                    "at": utcnow().isoformat()}, "notification.sent", sent=True)
            continue
        try:
            notifications.mailer.send(write_message(email, settings.mail_from, mail_id, utcnow()),
                                      on_commit=lambda mail_id=mail_id: notifications.mail.committing(mail_id))
        except AfterCommitError as exc:
            metrics.MAIL_SENT.labels(email.kind).inc()
            _finish(notifications, mail_id, entry, {**record, "status": "sent, unconfirmed", "error": str(exc),
                                                    "at": utcnow().isoformat()}, "notification.sent", sent=True)
            continue
        except Exception as exc:   # SMTP refused, unreachable, timed out, or Redis away at the mark
            metrics.SMTP_FAILURES.inc()
            _not_committed(notifications, mail_id)
            entry["attempts"] += 1
            # Relays quote the recipient's address in their errors: it is cut out here, so it
            # reaches no event, DLQ header, log line or other service's store.
            entry["last_error"] = without_addresses(f"{type(exc).__name__}: {exc}")
            if entry["attempts"] < settings.mail_max_attempts:
                delay = settings.mail_backoff_s * 2 ** (entry["attempts"] - 1)
                log.warning("email not sent; will retry", extra={"mail_id": mail_id, "in_s": delay,
                                                                 "error": entry["last_error"]})
                notifications.mail.retry_at(mail_id, entry, now + delay)
            else:
                _give_up(notifications, mail_id, entry, record)
            continue
        _finish(notifications, mail_id, entry, {**record, "status": "sent", "at": utcnow().isoformat()},
                "notification.sent", sent=True)
        metrics.MAIL_SENT.labels(email.kind).inc()
    return len(claimed)


_ADDRESS = re.compile(r"[^\s<>()\[\]\"',;:]+@[^\s<>()\[\]\"',;:]+")


def without_addresses(text: str) -> str:
    """``text`` with every email address replaced by ``<recipient>``."""
    return _ADDRESS.sub("<recipient>", text)


def _finish(notifications: Notifications, mail_id: str, entry: dict, record: dict, event_type: str,
            sent: bool) -> None:
    uow = notifications.runtime.unit_of_work()
    notifications.mail.finish(uow.pipe, mail_id, entry["request_id"], record, sent)
    data = {"notification_id": mail_id, "kind": record["kind"], "recipient_role": record["recipient_role"],
            "request_id": entry["request_id"], "session_id": entry["session_id"],
            "recipient_id": record.get("to_id") or ""}
    if not sent:
        data["error"] = entry["last_error"]
    # Built here from the queue's own entry, not from outside input: not validated again
    # (the test suite's CHECK_DERIVED_EVENTS checks it comes out as validation makes it).
    uow.emit(valid_event(event_type, entry["session_id"] or entry["request_id"], data, SOURCE,
                         correlation_id=entry.get("correlation_id") or None))
    uow.commit()


def _give_up(notifications: Notifications, mail_id: str, entry: dict, record: dict) -> None:
    """After the last attempt: the source event to its dead-letter topic with the reason,
    ``notification.failed`` for whoever watches, and a line in the delivery log."""
    metrics.MAIL_GIVEN_UP.inc()
    log.error("email given up after the last attempt", extra={"mail_id": mail_id, "error": entry["last_error"]})
    notifications.runtime.producer.send_and_wait(
        dlq_for(entry["topic"]), (entry["session_id"] or entry["request_id"]).encode(), entry["event"].encode("utf-8"),
        headers=[("dlq.reason", f"email {record['kind']} to {record['recipient_role']} failed after "
                                f"{entry['attempts']} attempts: {entry['last_error']}"[:4000].encode()),
                 ("dlq.topic", entry["topic"].encode()), ("dlq.group", b"twoshot-notifications"),
                 ("dlq.notification_id", mail_id.encode()), ("dlq.failed_at", utcnow().isoformat().encode())])
    _finish(notifications, mail_id, entry, {**record, "status": "failed", "error": entry["last_error"],
                                            "attempts": entry["attempts"], "at": utcnow().isoformat()},
            "notification.failed", sent=False)


def on_erasure_requested(notifications: Notifications, event: Event, uow: UnitOfWork) -> None:
    """Forget a person: mail waiting for them and their lines in the delivery log go; their
    name and address are cut out of what others were sent (subjects)."""
    person_id = event.data["person_id"]
    needles = notifications.mail.forget_recipient(person_id)
    removed = forget(notifications.runtime.redis, "notifications", person_id, tuple(needles))
    uow.emit(event.caused("person.forgotten", person_id, {
        "person_id": person_id, "service": "notifications", "removed": removed + len(needles)}, SOURCE))


def event_handlers(notifications: Notifications):
    handlers = {t: (lambda event, uow: queue_emails(notifications, event, uow)) for t in EVENTS}
    handlers["profile.link_requested"] = lambda event, uow: queue_profile_link(notifications, event, uow)
    handlers["person.erasure_requested"] = erasure_handler(
        "notifications", lambda event, uow: on_erasure_requested(notifications, event, uow))
    return handlers
