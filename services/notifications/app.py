"""Notifications' HTTP side: health, and the delivery log per request.
Run: ``gunicorn -c deploy/gunicorn.conf.py 'services.notifications.app:create_app()'``."""
from __future__ import annotations

from collections.abc import Mapping

from flask import Flask, jsonify

from services.notifications.bootstrap import Notifications, bootstrap
from shared.config import Settings
from shared.web import service_app


def create_app(config: Mapping | None = None, notifications: Notifications | None = None) -> Flask:
    settings = Settings.from_env(**dict(config or {}))
    notifications = notifications or bootstrap(settings)
    app = service_app(__name__, settings.secret_key, notifications.runtime.ready)

    # Staff-only once the admin accounts exist (matching-engine issue); recipients'
    # addresses are in it, so it is not meant to face the public internet yet.
    @app.get("/api/requests/<request_id>/deliveries")
    def deliveries(request_id: str):
        return jsonify(request_id=request_id, deliveries=notifications.deliveries.for_request(request_id))

    return app
