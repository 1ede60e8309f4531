"""Notifications' HTTP side: health, and the delivery log per request for staff.
Run: ``gunicorn -c deploy/gunicorn.conf.py 'services.notifications.app:create_app()'``."""
from __future__ import annotations

from collections.abc import Mapping

from flask import Flask, jsonify

from services.notifications.bootstrap import Notifications, bootstrap
from shared.config import Settings
from shared.openapi import JsonApi
from shared.web import service_app, staff_guard


def create_app(config: Mapping | None = None, notifications: Notifications | None = None) -> Flask:
    settings = Settings.from_env(**dict(config or {}))
    notifications = notifications or bootstrap(settings)
    def advisories() -> dict[str, bool]:
        # The relay answering is worth a warning, not readiness: emails wait in the queue.
        return {**notifications.runtime.advisories(), "smtp": notifications.mailer.reachable()}

    app = service_app(__name__, settings, notifications.runtime.ready, advisories=advisories)
    staff = staff_guard(notifications.staff)
    api = JsonApi(app, "Twoshot notifications", "What was emailed, to whom and when: the delivery log for staff.")

    @api.route("/api/admin/requests/<request_id>/deliveries", "GET", "Every email for a request",
               ok={200: {"type": "object"}}, role="viewer")
    @staff("viewer")
    def deliveries(request_id: str):
        """Every email for a request: sent or failed, to whom, when, in which language."""
        return jsonify(request_id=request_id, deliveries=notifications.mail.deliveries(request_id),
                       queued=notifications.mail.pending())

    return app
