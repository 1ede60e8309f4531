"""Matching's JSON API: the weights in force (public), and for programme staff the
fairness policy, previews, the fairness report, dead letters, cohorts and the outcome
model. Every write is audited."""
from __future__ import annotations

from flask import Response, abort, g, jsonify, request

from services.matching import admin, mentorship_health
from services.matching.bootstrap import Matching
from services.matching.domain import CRITERIA, REGION_PREFERENCES
from services.matching.responses import (
    CohortAnswer,
    DeadLettersAnswer,
    FairnessReportAnswer,
    MentorInPoolAnswer,
    MentorshipHealthAnswer,
    MessagesAnswer,
    ModelAnswer,
    PolicyAnswer,
    PreviewAnswer,
    ProposalsAnswer,
    ReplayAnswer,
    VersionsAnswer,
    WeightsAnswer,
)
from services.matching.schemas import (
    CohortSchema,
    PolicyPatchSchema,
    PolicyUpdateSchema,
    PreviewSchema,
    ReasonSchema,
    RollbackSchema,
)
from shared.answers import AuditLogSchema
from shared.openapi import ApiBlueprint, json_body, unprocessable
from shared.web import service, staff_only

bp = ApiBlueprint("api", __name__)


def _matching() -> Matching:
    return service(Matching)


@bp.operation("/api/weights", "GET", "The weights and policy in force", ok={200: WeightsAnswer})
def weights():
    """The weights and policy in force (public: trainees may ask how matching works)."""
    w, p = _matching().policy()
    return jsonify(version=w.version, criteria=list(CRITERIA), weights=w.normalised(),
                   region_preference=p.region_preference, region_preferences=list(REGION_PREFERENCES),
                   min_overlap_hours=p.min_overlap_hours)


@bp.operation("/api/mentors/<mentor_id>", "GET", "Is this mentor in the matching pool? (staff)",
              ok={200: MentorInPoolAnswer}, errors=(404,), role="viewer")
@staff_only("viewer")
def mentor(mentor_id: str):
    """Is this mentor in the matching pool? (No contact details.)"""
    profile = _matching().repository.get_mentor(mentor_id)
    if profile is None:
        abort(404, description="Matching does not know this mentor (yet).")
    return jsonify(id=profile.id, disciplines=profile.disciplines, region=profile.person["region"],
                   languages=profile.person["languages"], monthly_capacity=profile.monthly_capacity)


@bp.operation("/api/admin/policy", "GET", "The policy in force", ok={200: PolicyAnswer}, role="viewer")
@staff_only("viewer")
def get_policy():
    return jsonify(_matching().policies.current())


@bp.operation("/api/admin/policy", "PUT", "Change the weights and fairness policy, with a reason",
              body=PolicyUpdateSchema, ok={200: PolicyAnswer}, role="editor")
@staff_only("editor")
def put_policy():
    try:
        return jsonify(admin.update_policy(_matching(), g.staff, json_body(PolicyUpdateSchema())))
    except admin.Invalid as exc:
        abort(unprocessable(exc.fields))


@bp.operation("/api/admin/policy", "PATCH", "Change some weights or fairness settings, with a reason; "
              "the rest stays. The same policy as the one in force makes no new version (unchanged: true)",
              body=PolicyPatchSchema, ok={200: PolicyAnswer}, role="editor", errors=(422,))
@staff_only("editor")
def patch_policy():
    try:
        return jsonify(admin.update_policy(_matching(), g.staff, json_body(PolicyPatchSchema())))
    except admin.Invalid as exc:
        abort(unprocessable(exc.fields))


@bp.operation("/api/admin/policy/versions", "GET", "Every policy version", ok={200: VersionsAnswer}, role="viewer")
@staff_only("viewer")
def versions():
    return jsonify(versions=_matching().policies.versions())


@bp.operation("/api/admin/policy/rollback", "POST", "Put an earlier version back in force, with a reason",
              body=RollbackSchema, ok={200: PolicyAnswer}, role="editor")
@staff_only("editor")
def rollback():
    data = json_body(RollbackSchema())
    try:
        return jsonify(admin.rollback(_matching(), g.staff, data["version"], data["reason"]))
    except admin.Invalid as exc:
        abort(unprocessable(exc.fields))


@bp.operation("/api/admin/policy/preview", "POST", "What a change would do to recent requests",
              body=PreviewSchema, ok={200: PreviewAnswer}, role="viewer")
@staff_only("viewer")
def preview():
    return jsonify(admin.preview(_matching(), json_body(PreviewSchema())))


@bp.operation("/api/admin/dead-letters", "GET", "Records a consumer gave up on, newest first, with the reason",
              ok={200: DeadLettersAnswer}, role="viewer")
@staff_only("viewer")
def dead_letters():
    return jsonify(entries=[{**vars(e), "value": None, "key": None, "preview": e.preview()}
                            for e in admin.dead_letters(_matching())])


@bp.operation("/api/admin/dead-letters/<entry_id>/replay", "POST",
              "Send a dead-lettered record to its topic again, with a reason (audited)",
              body=ReasonSchema, ok={200: ReplayAnswer}, role="editor", errors=(404, 409))
@staff_only("editor")
def replay_dead_letter(entry_id: str):
    data = json_body(ReasonSchema())
    try:
        entry = admin.replay_dead_letter(_matching(), g.staff, entry_id, data["reason"])
    except admin.NotFound:
        abort(404, description="No such dead letter.")
    except admin.Conflict as exc:
        abort(409, description=str(exc))
    return jsonify(id=entry.id, topic=entry.topic, replays=entry.replays)


@bp.operation("/api/admin/audit", "GET", "The audit log, newest last", ok={200: AuditLogSchema}, role="viewer",
              query=[{"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000}}])
@staff_only("viewer")
def audit():
    limit = request.args.get("limit", "100")
    if not limit.isdigit() or not 1 <= int(limit) <= 1000:
        return unprocessable({"limit": ["A whole number from 1 to 1000."]})
    return jsonify(entries=_matching().policies.audit(int(limit)))


@bp.operation("/api/admin/fairness-report", "GET", "The fairness report (JSON, or CSV with format=csv)",
              ok={200: {"application/json": FairnessReportAnswer, "text/csv": {"type": "string"}}}, role="viewer",
              query=[{"name": "format", "in": "query", "schema": {"type": "string", "enum": ["json", "csv"]}}])
@staff_only("viewer")
def fairness_report():
    wanted = request.args.get("format", "json")
    if wanted not in ("json", "csv"):
        return unprocessable({"format": ["Use json or csv."]})
    report = admin.fairness_report(_matching())
    if wanted == "csv":
        return Response(admin.report_csv(report), mimetype="text/csv",
                        headers={"Content-Disposition": "attachment; filename=fairness-report.csv"})
    return jsonify(report)


@bp.operation("/api/admin/mentorship-health", "GET",
              "How mentorships go: active pairs, sessions per pair, early ends and why, continuation by group",
              ok={200: {"application/json": MentorshipHealthAnswer, "text/csv": {"type": "string"}}}, role="viewer",
              query=[{"name": "table", "in": "query",
                      "schema": {"type": "string", "enum": list(mentorship_health.TABLES)}}])
@staff_only("viewer")
def health():
    table = request.args.get("table")
    if table is not None and table not in mentorship_health.TABLES:
        return unprocessable({"table": [f"One of {', '.join(mentorship_health.TABLES)}."]})
    report = admin.mentorship_health(_matching())
    if table:
        return Response(admin.health_csv(report, table), mimetype="text/csv",
                        headers={"Content-Disposition": f"attachment; filename=mentorship-{table}.csv"})
    return jsonify(report)


@bp.operation("/api/admin/requests/<request_id>/proposals", "GET",
              "Every proposal for a request, with its score broken down by criterion",
              ok={200: ProposalsAnswer}, role="viewer")
@staff_only("viewer")
def proposals(request_id: str):
    """Every proposal for a request, with its score broken down by criterion."""
    return jsonify(request_id=request_id, proposals=_matching().repository.proposals(request_id))


@bp.operation("/api/admin/requests/<request_id>/messages", "GET",
              "What the trainee and the mentor wrote about a request (reasons, notes with a new time), oldest first",
              ok={200: MessagesAnswer}, role="viewer")
@staff_only("viewer")
def messages(request_id: str):
    """What the trainee and the mentor wrote about a request, oldest first."""
    return jsonify(request_id=request_id, messages=_matching().repository.messages(request_id))


@bp.operation("/api/admin/cohorts", "POST", "Draft the exact assignment for a cohort",
              body=CohortSchema, ok={201: CohortAnswer}, role="editor")
@staff_only("editor")
def create_cohort():
    matching = _matching()
    data = json_body(CohortSchema())
    request_ids = data.get("request_ids") or matching.repository.held_for_cohort(data["cohort_code"])
    if not request_ids:
        abort(unprocessable({"cohort_code": ["No requests are waiting under this code."]}))
    try:
        return jsonify(admin.create_cohort(matching, g.staff, request_ids, data["k"])), 201
    except admin.Invalid as exc:
        abort(unprocessable(exc.fields))


@bp.operation("/api/admin/cohorts/<cohort_id>", "GET", "A cohort's assignment", ok={200: CohortAnswer},
              role="viewer", errors=(404,))
@staff_only("viewer")
def get_cohort(cohort_id: str):
    try:
        return jsonify(admin.get_cohort(_matching(), cohort_id))
    except admin.NotFound:
        abort(404, description="No such cohort.")


@bp.operation("/api/admin/cohorts/<cohort_id>/confirm", "POST", "Confirm a drafted cohort: invites go out",
              body=ReasonSchema, ok={200: CohortAnswer}, role="editor", errors=(404, 409))
@staff_only("editor")
def confirm_cohort(cohort_id: str):
    data = json_body(ReasonSchema())
    try:
        return jsonify(admin.confirm_cohort(_matching(), g.staff, cohort_id, data["reason"]))
    except admin.NotFound:
        abort(404, description="No such cohort.")
    except admin.Conflict as exc:
        abort(409, description=str(exc))


@bp.operation("/api/admin/model/train", "POST", "Train the outcome model on ratings, with a reason",
              body=ReasonSchema, ok={200: ModelAnswer}, role="editor")
@staff_only("editor")
def train():
    return jsonify(admin.train_model(_matching(), g.staff, json_body(ReasonSchema())["reason"]))


@bp.operation("/api/admin/model", "GET", "The outcome model and whether it is live", ok={200: ModelAnswer},
              role="viewer")
@staff_only("viewer")
def model():
    found = _matching().models.get()
    return jsonify(found.to_dict() if found else {"live": False, "reason": "no model trained yet"})

