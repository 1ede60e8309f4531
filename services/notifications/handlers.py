"""Notifications' service layer: which emails each session event sends."""
from __future__ import annotations

from services.notifications import messages
from services.notifications.bootstrap import Notifications
from services.notifications.mailer import build_message
from services.notifications.messages import Email
from shared.events import Event, utcnow
from shared.store import UnitOfWork

SOURCE = "notifications"


def deliver(notifications: Notifications, event: Event, emails: list[Email], uow: UnitOfWork) -> None:
    """Send each email once per (event, recipient); a failure raises so the consumer retries
    with backoff (and dead-letters after the last attempt). Emails already sent are skipped."""
    d = event.data
    for email in emails:
        notification_id = f"{event.id}:{email.recipient_role}"
        if notifications.deliveries.was_sent(notification_id):
            continue
        now = utcnow()
        notifications.mailer.send(build_message(email, notifications.runtime.settings.mail_from,
                                                notification_id, now))
        notifications.deliveries.mark_sent(notification_id, d["request_id"], {
            "notification_id": notification_id, "kind": email.kind, "recipient_role": email.recipient_role,
            "to": email.to_email, "subject": email.subject, "session_id": d["session_id"],
            "at": now.isoformat()})
        uow.emit(event.caused("notification.sent", d["session_id"], {
            "notification_id": notification_id, "kind": email.kind, "recipient_role": email.recipient_role,
            "request_id": d["request_id"], "session_id": d["session_id"]}, SOURCE))


def on_session_invited(notifications: Notifications, event: Event, uow: UnitOfWork) -> None:
    deliver(notifications, event, [messages.mentor_invite(event.data, notifications.organizer, event.time)], uow)


def on_session_confirmed(notifications: Notifications, event: Event, uow: UnitOfWork) -> None:
    deliver(notifications, event, messages.confirmations(event.data, notifications.organizer, event.time), uow)


def event_handlers(notifications: Notifications):
    return {
        "session.invited": lambda event, uow: on_session_invited(notifications, event, uow),
        "session.confirmed": lambda event, uow: on_session_confirmed(notifications, event, uow),
    }
