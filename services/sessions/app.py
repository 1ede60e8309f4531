"""Sessions' HTTP side: the pages behind the signed links in people's emails (a
session's answers in ``link_pages``, a mentorship's pages in ``mentoring_pages``).

Run: ``gunicorn -c deploy/gunicorn.conf.py 'services.sessions.app:create_app()'``.
"""
from __future__ import annotations

from collections.abc import Mapping

from flask import Flask

from services.sessions import link_pages, mentoring_pages
from services.sessions.bootstrap import Sessions, bootstrap
from shared.config import SessionsSettings
from shared.web import service_app


def create_app(config: Mapping | None = None, sessions: Sessions | None = None) -> Flask:
    overrides = dict(config or {})
    settings = sessions.settings.with_overrides(**overrides) if sessions else SessionsSettings.from_env(**overrides)
    sessions = sessions or bootstrap(settings)
    return service_app(__name__, settings, sessions.runtime.ready, advisories=sessions.runtime.advisories,
                       service=sessions, blueprints=(link_pages.bp, mentoring_pages.bp),
                       max_content_length=64 * 1024, public_url=settings.sessions_public_url)
