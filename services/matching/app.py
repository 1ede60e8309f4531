"""Matching's HTTP side: the admin endpoints for programme staff (JSON, described by
the OpenAPI document at /api/admin/openapi.json).

Run: ``gunicorn -c deploy/gunicorn.conf.py 'services.matching.app:create_app()'``.
"""
from __future__ import annotations

from collections.abc import Mapping

from flask import Flask, Response, abort, g, jsonify, request
from marshmallow import Schema, ValidationError

from services.matching import admin
from services.matching.bootstrap import Matching, bootstrap
from services.matching.domain import CRITERIA, REGION_PREFERENCES
from services.matching.openapi import spec
from services.matching.schemas import CohortSchema, PolicyUpdateSchema, PreviewSchema, ReasonSchema, RollbackSchema
from shared.config import Settings
from shared.web import service_app, staff_guard


def create_app(config: Mapping | None = None, matching: Matching | None = None) -> Flask:
    settings = Settings.from_env(**dict(config or {}))
    matching = matching or bootstrap(settings)
    app = service_app(
        __name__,
        settings.secret_key,
        matching.runtime.ready,
        advisories=matching.runtime.advisories,
        max_content_length=2 * 1024 * 1024,
    )

    staff = staff_guard(matching.staff)

    def body(schema: Schema) -> dict:
        payload = request.get_json(silent=True)
        if not isinstance(payload, dict):
            abort(400, description="Send a JSON object with Content-Type: application/json.")
        try:
            return schema.load(payload)
        except ValidationError as exc:
            abort(_unprocessable(exc.messages))

    @app.get("/api/admin/openapi.json")
    def openapi():
        return jsonify(spec())

    @app.get("/api/weights")
    def weights():
        """The weights and policy in force (public: trainees may ask how matching works)."""
        w, p = matching.policy()
        return jsonify(version=w.version, criteria=list(CRITERIA), weights=w.normalised(),
                       region_preference=p.region_preference, region_preferences=list(REGION_PREFERENCES),
                       min_overlap_hours=p.min_overlap_hours)

    @app.get("/api/mentors/<mentor_id>")
    def mentor(mentor_id: str):
        """Is this mentor in the matching pool? (No contact details.)"""
        profile = matching.repository.get_mentor(mentor_id)
        if profile is None:
            abort(404, description="Matching does not know this mentor (yet).")
        return jsonify(id=profile.id, disciplines=profile.disciplines, region=profile.person["region"],
                       languages=profile.person["languages"], monthly_capacity=profile.monthly_capacity)

    @app.get("/api/admin/policy")
    @staff("viewer")
    def get_policy():
        return jsonify(matching.policies.current())

    @app.put("/api/admin/policy")
    @staff("editor")
    def put_policy():
        return jsonify(admin.update_policy(matching, g.staff, body(PolicyUpdateSchema())))

    @app.get("/api/admin/policy/versions")
    @staff("viewer")
    def versions():
        return jsonify(versions=matching.policies.versions())

    @app.post("/api/admin/policy/rollback")
    @staff("editor")
    def rollback():
        data = body(RollbackSchema())
        try:
            return jsonify(admin.rollback(matching, g.staff, data["version"], data["reason"]))
        except admin.Invalid as exc:
            abort(_unprocessable(exc.fields))

    @app.post("/api/admin/policy/preview")
    @staff("viewer")
    def preview():
        return jsonify(admin.preview(matching, body(PreviewSchema())))

    @app.get("/api/admin/audit")
    @staff("viewer")
    def audit():
        return jsonify(entries=matching.policies.audit(int(request.args.get("limit", 100))))

    @app.get("/api/admin/fairness-report")
    @staff("viewer")
    def fairness_report():
        report = admin.fairness_report(matching)
        if request.args.get("format") == "csv":
            return Response(admin.report_csv(report), mimetype="text/csv",
                            headers={"Content-Disposition": "attachment; filename=fairness-report.csv"})
        return jsonify(report)

    @app.get("/api/admin/requests/<request_id>/proposals")
    @staff("viewer")
    def proposals(request_id: str):
        """Every proposal for a request, with its score broken down by criterion."""
        return jsonify(request_id=request_id, proposals=matching.repository.proposals(request_id))

    @app.post("/api/admin/cohorts")
    @staff("editor")
    def create_cohort():
        data = body(CohortSchema())
        request_ids = data.get("request_ids") or matching.repository.held_for_cohort(data["cohort_code"])
        if not request_ids:
            abort(_unprocessable({"cohort_code": ["No requests are waiting under this code."]}))
        try:
            return jsonify(admin.create_cohort(matching, g.staff, request_ids, data["k"])), 201
        except admin.Invalid as exc:
            abort(_unprocessable(exc.fields))

    @app.get("/api/admin/cohorts/<cohort_id>")
    @staff("viewer")
    def get_cohort(cohort_id: str):
        try:
            return jsonify(admin.get_cohort(matching, cohort_id))
        except admin.NotFound:
            abort(404, description="No such cohort.")

    @app.post("/api/admin/cohorts/<cohort_id>/confirm")
    @staff("editor")
    def confirm_cohort(cohort_id: str):
        data = body(ReasonSchema())
        try:
            return jsonify(admin.confirm_cohort(matching, g.staff, cohort_id, data["reason"]))
        except admin.NotFound:
            abort(404, description="No such cohort.")
        except admin.Conflict as exc:
            abort(409, description=str(exc))

    @app.post("/api/admin/model/train")
    @staff("editor")
    def train():
        return jsonify(admin.train_model(matching, g.staff, body(ReasonSchema())["reason"]))

    @app.get("/api/admin/model")
    @staff("viewer")
    def model():
        found = matching.models.get()
        return jsonify(found.to_dict() if found else {"live": False, "reason": "no model trained yet"})

    return app


def _unprocessable(fields) -> Response:
    response = jsonify(error="validation", fields=fields)
    response.status_code = 422
    return response
