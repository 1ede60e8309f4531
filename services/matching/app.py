"""Matching's HTTP side: the JSON API for programme staff (``api``, described by the
OpenAPI document at /openapi.json) and the staff console under /admin/ (``console``).

Run: ``gunicorn -c deploy/gunicorn.conf.py 'services.matching.app:create_app()'``.
"""
from __future__ import annotations

from collections.abc import Mapping

from flask import Flask

from services.matching import api, console
from services.matching.bootstrap import Matching, bootstrap
from shared.config import MatchingSettings
from shared.openapi import JsonApi
from shared.web import service_app

DESCRIPTION = ("Weights, fairness policy, previews, the fairness report and cohort assignment for programme staff. "
               "Every write is audited.")


def create_app(config: Mapping | None = None, matching: Matching | None = None) -> Flask:
    # A matching handed in (tests) brings its settings; ``config`` overrides either.
    overrides = dict(config or {})
    settings = (matching.runtime.settings.with_overrides(**overrides) if matching
                else MatchingSettings.from_env(**overrides))
    matching = matching or bootstrap(settings)
    app = service_app(
        __name__, settings, matching.runtime.ready, advisories=matching.runtime.advisories,
        service=matching, staff=matching.staff, blueprints=(console.bp,),
        api=JsonApi("Twoshot matching", DESCRIPTION, (api.bp,), also_at=("/api/admin/openapi.json",)),
        max_content_length=2 * 1024 * 1024,
        public_url=settings.matching_public_url,      # https there: the console's cookie is Secure
    )
    # Loaded before gunicorn forks its workers (deploy/gunicorn.conf.py), so they share it.
    app.extensions["twoshot.warm"] = matching.directory.refresh
    return app
