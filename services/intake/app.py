"""Intake's HTTP side: the trainee's pages (``pages``), the mentor's (``mentor_pages``)
and the JSON API (``api``).

Run: ``gunicorn -c deploy/gunicorn.conf.py 'services.intake.app:create_app()'``.
"""
from __future__ import annotations

from collections.abc import Mapping

from flask import Flask

from services.intake import api, mentor_pages, pages
from services.intake.bootstrap import Intake, bootstrap
from shared.config import IntakeSettings
from shared.openapi import JsonApi
from shared.web import service_app


def create_app(config: Mapping | None = None, intake: Intake | None = None) -> Flask:
    # An intake handed in (tests) brings its settings; ``config`` overrides either.
    overrides = dict(config or {})
    settings = intake.runtime.settings.with_overrides(**overrides) if intake else IntakeSettings.from_env(**overrides)
    intake = intake or bootstrap(settings)
    return service_app(__name__, settings, intake.runtime.ready, advisories=intake.runtime.advisories,
                       service=intake, staff=intake.staff, blueprints=(pages.bp, mentor_pages.bp),
                       api=JsonApi("Twoshot intake", "Trainees ask for a mentor; programmes import mentor profiles.",
                                   (api.bp,)),
                       public_url=settings.public_base_url)
