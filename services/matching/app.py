"""Matching's HTTP side: the admin endpoints for programme staff (JSON, described by
the OpenAPI document at /openapi.json).

Run: ``gunicorn -c deploy/gunicorn.conf.py 'services.matching.app:create_app()'``.
"""
from __future__ import annotations

from collections.abc import Mapping

from flask import Flask, Response, abort, g, jsonify, request
from marshmallow import Schema, ValidationError

from services.matching import admin, mentorship_health
from services.matching.bootstrap import Matching, bootstrap
from services.matching.console import console
from services.matching.domain import CRITERIA, REGION_PREFERENCES
from services.matching.schemas import (
    CohortSchema,
    PolicyPatchSchema,
    PolicyUpdateSchema,
    PreviewSchema,
    ReasonSchema,
    RollbackSchema,
)
from shared.config import Settings
from shared.openapi import JsonApi, unprocessable
from shared.web import service_app, staff_guard


def create_app(config: Mapping | None = None, matching: Matching | None = None) -> Flask:
    # A matching handed in (tests) brings its settings; ``config`` overrides either.
    overrides = dict(config or {})
    settings = matching.runtime.settings.with_overrides(**overrides) if matching else Settings.from_env(**overrides)
    matching = matching or bootstrap(settings)
    app = service_app(
        __name__,
        settings,
        matching.runtime.ready,
        advisories=matching.runtime.advisories,
        max_content_length=2 * 1024 * 1024,
        public_url=settings.matching_public_url,      # https there: the console's cookie is Secure
    )

    # Loaded before gunicorn forks its workers (deploy/gunicorn.conf.py), so they share it.
    app.extensions["twoshot.warm"] = matching.directory.refresh
    staff = staff_guard(matching.staff)
    app.register_blueprint(console(matching))

    def body(schema: Schema) -> dict:
        payload = request.get_json(silent=True)
        if not isinstance(payload, dict):
            abort(400, description="Send a JSON object with Content-Type: application/json.")
        try:
            return schema.load(payload)
        except ValidationError as exc:
            abort(unprocessable(exc.normalized_messages()))

    api = JsonApi(app, "Twoshot matching",
                  "Weights, fairness policy, previews, the fairness report and cohort assignment for programme "
                  "staff. Every write is audited.")
    app.add_url_rule("/api/admin/openapi.json", "openapi_admin", lambda: jsonify(api.spec.to_dict()))
    anything = {"type": "object"}   # bodies described in the README, not field by field

    @api.route("/api/weights", "GET", "The weights and policy in force", ok={200: anything})
    def weights():
        """The weights and policy in force (public: trainees may ask how matching works)."""
        w, p = matching.policy()
        return jsonify(version=w.version, criteria=list(CRITERIA), weights=w.normalised(),
                       region_preference=p.region_preference, region_preferences=list(REGION_PREFERENCES),
                       min_overlap_hours=p.min_overlap_hours)

    @api.route("/api/mentors/<mentor_id>", "GET", "Is this mentor in the matching pool? (staff)",
               ok={200: anything}, errors=(404,), role="viewer")
    @staff("viewer")
    def mentor(mentor_id: str):
        """Is this mentor in the matching pool? (No contact details.)"""
        profile = matching.repository.get_mentor(mentor_id)
        if profile is None:
            abort(404, description="Matching does not know this mentor (yet).")
        return jsonify(id=profile.id, disciplines=profile.disciplines, region=profile.person["region"],
                       languages=profile.person["languages"], monthly_capacity=profile.monthly_capacity)

    @api.route("/api/admin/policy", "GET", "The policy in force", ok={200: anything}, role="viewer")
    @staff("viewer")
    def get_policy():
        return jsonify(matching.policies.current())

    @api.route("/api/admin/policy", "PUT", "Change the weights and fairness policy, with a reason",
               body=PolicyUpdateSchema, ok={200: anything}, role="editor")
    @staff("editor")
    def put_policy():
        try:
            return jsonify(admin.update_policy(matching, g.staff, body(PolicyUpdateSchema())))
        except admin.Invalid as exc:
            abort(unprocessable(exc.fields))

    @api.route("/api/admin/policy", "PATCH", "Change some weights or fairness settings, with a reason; "
               "the rest stays. The same policy as the one in force makes no new version (unchanged: true)",
               body=PolicyPatchSchema, ok={200: anything}, role="editor", errors=(422,))
    @staff("editor")
    def patch_policy():
        try:
            return jsonify(admin.update_policy(matching, g.staff, body(PolicyPatchSchema())))
        except admin.Invalid as exc:
            abort(unprocessable(exc.fields))

    @api.route("/api/admin/policy/versions", "GET", "Every policy version", ok={200: anything}, role="viewer")
    @staff("viewer")
    def versions():
        return jsonify(versions=matching.policies.versions())

    @api.route("/api/admin/policy/rollback", "POST", "Put an earlier version back in force, with a reason",
               body=RollbackSchema, ok={200: anything}, role="editor")
    @staff("editor")
    def rollback():
        data = body(RollbackSchema())
        try:
            return jsonify(admin.rollback(matching, g.staff, data["version"], data["reason"]))
        except admin.Invalid as exc:
            abort(unprocessable(exc.fields))

    @api.route("/api/admin/policy/preview", "POST", "What a change would do to recent requests",
               body=PreviewSchema, ok={200: anything}, role="viewer")
    @staff("viewer")
    def preview():
        return jsonify(admin.preview(matching, body(PreviewSchema())))

    @api.route("/api/admin/dead-letters", "GET", "Records a consumer gave up on, newest first, with the reason",
               ok={200: anything}, role="viewer")
    @staff("viewer")
    def dead_letters():
        return jsonify(entries=[{**vars(e), "value": None, "key": None, "preview": e.preview()}
                                for e in admin.dead_letters(matching)])

    @api.route("/api/admin/dead-letters/<entry_id>/replay", "POST",
               "Send a dead-lettered record to its topic again, with a reason (audited)",
               body=ReasonSchema, ok={200: anything}, role="editor", errors=(404, 409))
    @staff("editor")
    def replay_dead_letter(entry_id: str):
        data = body(ReasonSchema())
        try:
            entry = admin.replay_dead_letter(matching, g.staff, entry_id, data["reason"])
        except admin.NotFound:
            abort(404, description="No such dead letter.")
        except admin.Conflict as exc:
            abort(409, description=str(exc))
        return jsonify(id=entry.id, topic=entry.topic, replays=entry.replays)

    @api.route("/api/admin/audit", "GET", "The audit log, newest last", ok={200: anything}, role="viewer",
               query=[{"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000}}])
    @staff("viewer")
    def audit():
        limit = request.args.get("limit", "100")
        if not limit.isdigit() or not 1 <= int(limit) <= 1000:
            return unprocessable({"limit": ["A whole number from 1 to 1000."]})
        return jsonify(entries=matching.policies.audit(int(limit)))

    @api.route("/api/admin/fairness-report", "GET", "The fairness report (JSON, or CSV with format=csv)",
               ok={200: {"application/json": anything, "text/csv": {"type": "string"}}}, role="viewer",
               query=[{"name": "format", "in": "query", "schema": {"type": "string", "enum": ["json", "csv"]}}])
    @staff("viewer")
    def fairness_report():
        wanted = request.args.get("format", "json")
        if wanted not in ("json", "csv"):
            return unprocessable({"format": ["Use json or csv."]})
        report = admin.fairness_report(matching)
        if wanted == "csv":
            return Response(admin.report_csv(report), mimetype="text/csv",
                            headers={"Content-Disposition": "attachment; filename=fairness-report.csv"})
        return jsonify(report)

    @api.route("/api/admin/mentorship-health", "GET",
               "How mentorships go: active pairs, sessions per pair, early ends and why, continuation by group",
               ok={200: {"application/json": anything, "text/csv": {"type": "string"}}}, role="viewer",
               query=[{"name": "table", "in": "query",
                       "schema": {"type": "string", "enum": list(mentorship_health.TABLES)}}])
    @staff("viewer")
    def health():
        table = request.args.get("table")
        if table is not None and table not in mentorship_health.TABLES:
            return unprocessable({"table": [f"One of {', '.join(mentorship_health.TABLES)}."]})
        report = admin.mentorship_health(matching)
        if table:
            return Response(admin.health_csv(report, table), mimetype="text/csv",
                            headers={"Content-Disposition": f"attachment; filename=mentorship-{table}.csv"})
        return jsonify(report)

    @api.route("/api/admin/requests/<request_id>/proposals", "GET",
               "Every proposal for a request, with its score broken down by criterion",
               ok={200: anything}, role="viewer")
    @staff("viewer")
    def proposals(request_id: str):
        """Every proposal for a request, with its score broken down by criterion."""
        return jsonify(request_id=request_id, proposals=matching.repository.proposals(request_id))

    @api.route("/api/admin/cohorts", "POST", "Draft the exact assignment for a cohort",
               body=CohortSchema, ok={201: anything}, role="editor")
    @staff("editor")
    def create_cohort():
        data = body(CohortSchema())
        request_ids = data.get("request_ids") or matching.repository.held_for_cohort(data["cohort_code"])
        if not request_ids:
            abort(unprocessable({"cohort_code": ["No requests are waiting under this code."]}))
        try:
            return jsonify(admin.create_cohort(matching, g.staff, request_ids, data["k"])), 201
        except admin.Invalid as exc:
            abort(unprocessable(exc.fields))

    @api.route("/api/admin/cohorts/<cohort_id>", "GET", "A cohort's assignment", ok={200: anything},
               role="viewer", errors=(404,))
    @staff("viewer")
    def get_cohort(cohort_id: str):
        try:
            return jsonify(admin.get_cohort(matching, cohort_id))
        except admin.NotFound:
            abort(404, description="No such cohort.")

    @api.route("/api/admin/cohorts/<cohort_id>/confirm", "POST", "Confirm a drafted cohort: invites go out",
               body=ReasonSchema, ok={200: anything}, role="editor", errors=(404, 409))
    @staff("editor")
    def confirm_cohort(cohort_id: str):
        data = body(ReasonSchema())
        try:
            return jsonify(admin.confirm_cohort(matching, g.staff, cohort_id, data["reason"]))
        except admin.NotFound:
            abort(404, description="No such cohort.")
        except admin.Conflict as exc:
            abort(409, description=str(exc))

    @api.route("/api/admin/model/train", "POST", "Train the outcome model on ratings, with a reason",
               body=ReasonSchema, ok={200: anything}, role="editor")
    @staff("editor")
    def train():
        return jsonify(admin.train_model(matching, g.staff, body(ReasonSchema())["reason"]))

    @api.route("/api/admin/model", "GET", "The outcome model and whether it is live", ok={200: anything},
               role="viewer")
    @staff("viewer")
    def model():
        found = matching.models.get()
        return jsonify(found.to_dict() if found else {"live": False, "reason": "no model trained yet"})

    return app

