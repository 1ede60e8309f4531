"""Notifications' HTTP side: health, and the delivery log per request for staff.
Run: ``gunicorn -c deploy/gunicorn.conf.py 'services.notifications.app:create_app()'``."""
from __future__ import annotations

from collections.abc import Mapping

from flask import Flask

from services.notifications import api
from services.notifications.bootstrap import Notifications, bootstrap
from shared.config import NotificationsSettings
from shared.openapi import JsonApi
from shared.web import service_app


def create_app(config: Mapping | None = None, notifications: Notifications | None = None) -> Flask:
    settings = NotificationsSettings.from_env(**dict(config or {}))
    notifications = notifications or bootstrap(settings)
    runtime, mailer = notifications.runtime, notifications.mailer

    def advisories() -> dict[str, bool]:
        # The relay answering is worth a warning, not readiness: emails wait in the queue.
        return {**runtime.advisories(), "smtp": mailer.reachable()}

    return service_app(__name__, settings, runtime.ready, advisories=advisories, service=notifications,
                       staff=notifications.staff,
                       api=JsonApi("Twoshot notifications",
                                   "What was emailed, to whom and when: the delivery log for staff.", (api.bp,)))
