"""Notifications' composition root."""
from __future__ import annotations

from dataclasses import dataclass
from email.utils import parseaddr

from services.notifications.mailer import SmtpMailer
from services.notifications.repository import MailQueue
from shared.config import NotificationsSettings
from shared.links import MentorLinks
from shared.runtime import Runtime, build_runtime
from shared.staff import StaffAccounts


@dataclass
class Notifications:
    runtime: Runtime[NotificationsSettings]
    mailer: SmtpMailer
    mail: MailQueue
    staff: StaffAccounts
    links: MentorLinks

    @property
    def organizer(self) -> tuple[str, str]:
        name, addr = parseaddr(self.runtime.settings.mail_from)
        return name or "Twoshot", addr


def bootstrap(settings: NotificationsSettings | None = None, redis_client=None, mailer=None) -> Notifications:
    runtime = build_runtime(settings or NotificationsSettings.from_env(), "notifications", redis_client)
    return Notifications(runtime, mailer or SmtpMailer(runtime.settings),
                         MailQueue(runtime.redis, lease_s=runtime.settings.mail_lease_s), StaffAccounts(runtime.redis),
                         MentorLinks(runtime.settings))
