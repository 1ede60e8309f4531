"""Intake's JSON API: trainees ask for a mentor; programmes import mentor profiles;
staff read the audit log and erase people on their behalf."""
from __future__ import annotations

from flask import abort, g, jsonify, request, url_for

from services.intake import erasures, handlers
from services.intake.bootstrap import Intake
from services.intake.domain import mentor_id_for
from services.intake.schemas import (
    REQUEST_SCHEMA,
    ErasureRecordSchema,
    ErasureSchema,
    MentorSavedSchema,
    MentorSchema,
    MentorshipRequestSchema,
    RequestCreatedSchema,
    RequestStatusSchema,
)
from shared.answers import AuditLogSchema
from shared.events import utcnow
from shared.openapi import ApiBlueprint, json_body, unprocessable
from shared.ratelimit import public
from shared.web import service, staff_only

bp = ApiBlueprint("api", __name__)


def _intake() -> Intake:
    return service(Intake)


@bp.operation("/api/requests", "POST", "Ask for a mentor (what the trainee form does)",
              body=MentorshipRequestSchema, ok={201: RequestCreatedSchema})
@public
def api_submit():
    clean = json_body(REQUEST_SCHEMA)
    key = request.headers.get("Idempotency-Key", "")
    if len(key) > 255:
        return unprocessable({"Idempotency-Key": ["At most 255 characters."]})
    try:
        created = handlers.submit_request(_intake(), clean, once=f"api:{key}" if key else "")
    except handlers.KeyReused as exc:
        return unprocessable({"Idempotency-Key": [str(exc)]})
    response = jsonify(id=created.request_id, status=created.status,
                       status_url=url_for("pages.status", request_id=created.request_id, _external=False))
    if created.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response, 201


@bp.operation("/api/requests/<request_id>", "GET", "A request's status and its timeline",
              ok={200: RequestStatusSchema}, errors=(404,))
def api_status(request_id: str):
    mentorship = _intake().repository.get_request(request_id)
    if mentorship is None:
        abort(404, description="No such request.")
    return jsonify(id=mentorship.id, status=mentorship.status,
                   timeline=[vars(e) for e in mentorship.timeline])


@bp.operation("/api/mentors", "POST", "Add or update a mentor profile (programme bulk import; staff editors)",
              body=MentorSchema, ok={200: MentorSavedSchema, 201: MentorSavedSchema}, role="editor")
@staff_only("editor")
def api_register_mentor():
    clean = json_body(MentorSchema())
    intake = _intake()
    mentor, created = handlers.register_mentor(intake, clean)
    intake.repository.audit({"who": g.staff.account, "when": utcnow().isoformat(),
                             "action": "mentor.import", "mentor_id": mentor.id, "created": created})
    return jsonify(id=mentor.id, created=created), (201 if created else 200)


@bp.operation("/api/admin/audit", "GET", "Staff actions on intake (imports, erasures), newest last",
              ok={200: AuditLogSchema}, role="viewer")
@staff_only("viewer")
def api_audit():
    return jsonify(entries=_intake().repository.audit_log())


@bp.operation("/api/admin/erasures", "POST", "Erase a person on their behalf (staff editors)",
              body=ErasureSchema, ok={202: ErasureRecordSchema}, role="editor", errors=(404,))
@staff_only("editor")
def api_erase():
    clean = json_body(ErasureSchema())
    intake = _intake()
    if clean.get("request_id"):
        mentorship = intake.repository.get_request(clean["request_id"])
        if mentorship is None:
            abort(404, description="No such request (or it was erased already).")
        person_id, role, requests = mentorship.trainee.id, "trainee", [mentorship.id]
    else:
        person_id, role, requests = mentor_id_for(clean["mentor_email"]), "mentor", []
    record = erasures.request_erasure(intake, person_id, role, g.staff.account, requests)
    intake.repository.audit({"who": g.staff.account, "when": utcnow().isoformat(),
                             "action": "erasure.request", "person_id": person_id, "role": role})
    return jsonify(record), 202


@bp.operation("/api/admin/erasures/<person_id>", "GET", "How far an erasure has got, service by service",
              ok={200: ErasureRecordSchema}, role="viewer", errors=(404,))
@staff_only("viewer")
def api_erasure(person_id: str):
    record = _intake().repository.erasure(person_id)
    if record is None:
        abort(404, description="No erasure for this id.")
    return jsonify(record)

