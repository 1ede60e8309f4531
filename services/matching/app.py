"""Matching's HTTP side. Staff's admin endpoints (weights, fairness, cohorts) are
not built yet: they are the matching-engine issue's. Run:
``gunicorn -c deploy/gunicorn.conf.py 'services.matching.app:create_app()'``."""
from __future__ import annotations

from collections.abc import Mapping

from flask import Flask, abort, jsonify

from services.matching.bootstrap import Matching, bootstrap
from services.matching.domain import CRITERIA, REGION_PREFERENCES
from shared.config import Settings
from shared.web import service_app


def create_app(config: Mapping | None = None, matching: Matching | None = None) -> Flask:
    settings = Settings.from_env(**dict(config or {}))
    matching = matching or bootstrap(settings)
    app = service_app(__name__, settings.secret_key, matching.runtime.ready)

    @app.get("/api/weights")
    def weights():
        return jsonify(version=matching.weights.version, criteria=list(CRITERIA),
                       weights=matching.weights.normalised(),
                       region_preference=matching.policy.region_preference,
                       region_preferences=list(REGION_PREFERENCES),
                       min_overlap_hours=matching.policy.min_overlap_hours)

    @app.get("/api/mentors/<mentor_id>")
    def mentor(mentor_id: str):
        """Is this mentor in the matching pool, and how loaded? (No contact details.)"""
        profile = matching.repository.get_mentor(mentor_id)
        if profile is None:
            abort(404, description="Matching does not know this mentor (yet).")
        return jsonify(id=profile.id, disciplines=profile.disciplines, region=profile.person["region"],
                       languages=profile.person["languages"], monthly_capacity=profile.monthly_capacity)

    return app
