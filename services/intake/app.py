"""Intake's HTTP side: the trainee form, the status page and the JSON API.

Run: ``gunicorn -c deploy/gunicorn.conf.py 'services.intake.app:create_app()'``.
"""
from __future__ import annotations

from collections.abc import Mapping

import redis.exceptions
from flask import Flask, abort, g, jsonify, redirect, render_template, request, url_for
from marshmallow import ValidationError

from services.intake import forms, handlers
from services.intake.bootstrap import Intake, bootstrap
from services.intake.domain import STEPS, mentor_id_for
from services.intake.mentor_pages import mentor_pages
from services.intake.schemas import (
    ErasureSchema,
    MentorSavedSchema,
    MentorSchema,
    MentorshipRequestSchema,
    RequestCreatedSchema,
    RequestStatusSchema,
)
from shared import i18n
from shared.config import Settings
from shared.events import utcnow
from shared.links import MentorLinks
from shared.openapi import JsonApi, unprocessable
from shared.ratelimit import limits_of
from shared.web import check_csrf, page_locale, service_app, session_once, staff_guard, unavailable


def create_app(config: Mapping | None = None, intake: Intake | None = None) -> Flask:
    # An intake handed in (tests) brings its settings; ``config`` overrides either.
    overrides = dict(config or {})
    settings = intake.runtime.settings.with_overrides(**overrides) if intake else Settings.from_env(**overrides)
    intake = intake or bootstrap(settings)
    app = service_app(__name__, settings, intake.runtime.ready, advisories=intake.runtime.advisories,
                      public_url=settings.public_base_url)
    limits = limits_of(app)
    staff = staff_guard(intake.staff)
    app.register_blueprint(mentor_pages(intake, MentorLinks(settings), limits))

    @app.get("/")
    def form():
        return render_template("form.html", **forms.form_context({}, {}, page_locale()))

    @app.post("/")
    @limits.public
    def submit():
        check_csrf()
        data, errors = forms.parse_request_form(request.form)
        try:
            clean = MentorshipRequestSchema().load(data)
        except ValidationError as exc:
            errors.update(forms.form_errors(exc.normalized_messages(), data))
        if errors:
            return render_template("form.html", **forms.form_context(request.form, errors, page_locale())), 422
        # One request per form: a second send of the same form (a double click, a reload,
        # the back button) shows the first request's page instead of storing another.
        once = "form:" + session_once(request.form.get("form_id", ""))
        try:
            created = handlers.submit_request(intake, clean, once=once)
        except handlers.KeyReused:
            # The same form sent again with other answers: a new form (and key) for them.
            return render_template("form.html", **forms.form_context(
                {k: v for k, v in request.form.items() if k != "form_id"}, {}, page_locale())), 409
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError):
            # The trainee keeps what they typed and is told, in their language, to send it again.
            return unavailable("form.html", **forms.form_context(request.form, {}, page_locale()))
        return redirect(url_for("status", request_id=created.request_id), code=303)

    @app.get("/requests/<request_id>")
    def status(request_id: str):
        if intake.repository.request_erased(request_id):
            loc = page_locale()
            return render_template("mentor_message.html", lang=loc, title=i18n.t("erased_title", loc),
                                   body=i18n.t("erased_body", loc)), 410
        mentorship = intake.repository.get_request(request_id)
        if mentorship is None:
            abort(404, description="No request with that number. Check the link in your email.")
        loc = mentorship.trainee.locale or page_locale()
        tz = mentorship.trainee.timezone

        def text(entry):
            return handlers.say(entry.key, entry.params, loc, tz) if entry.key else entry.message
        match = mentorship.current_match
        why = i18n.reasons(match.detail.get("why", []), "trainee", loc, match.params.get("name", "")) if match else []
        return render_template("status.html", request=mentorship, steps=STEPS, lang=loc, text=text, why=why,
                               t=lambda key, **kw: i18n.t(key, loc, **kw), term=lambda c: i18n.term(c, loc))

    @app.post("/requests/<request_id>/erase")
    @limits.public
    def erase_request(request_id: str):
        """The trainee erases everything about them (the link to this page is in every email)."""
        check_csrf()
        mentorship = intake.repository.get_request(request_id)
        if mentorship is None:
            abort(404, description="No request with that number. Check the link in your email.")
        loc = mentorship.trainee.locale or page_locale()
        if request.form.get("confirm") != "yes":
            return redirect(url_for("status", request_id=request_id, erase="confirm") + "#erase", code=303)
        handlers.request_erasure(intake, mentorship.trainee.id, "trainee", "self", [request_id])
        return render_template("mentor_message.html", lang=loc, title=i18n.t("erased_title", loc),
                               body=i18n.t("erased_body", loc))

    api = JsonApi(app, "Twoshot intake", "Trainees ask for a mentor; programmes import mentor profiles.")

    @api.route("/api/requests", "POST", "Ask for a mentor (what the trainee form does)",
               body=MentorshipRequestSchema, ok={201: RequestCreatedSchema})
    @limits.public
    def api_submit():
        payload = _json_body()
        try:
            clean = MentorshipRequestSchema().load(payload)
        except ValidationError as exc:
            return unprocessable(exc.normalized_messages())
        key = request.headers.get("Idempotency-Key", "")
        if len(key) > 255:
            return unprocessable({"Idempotency-Key": ["At most 255 characters."]})
        try:
            created = handlers.submit_request(intake, clean, once=f"api:{key}" if key else "")
        except handlers.KeyReused as exc:
            return unprocessable({"Idempotency-Key": [str(exc)]})
        response = jsonify(id=created.request_id, status=created.status,
                           status_url=url_for("status", request_id=created.request_id, _external=False))
        if created.replayed:
            response.headers["Idempotent-Replayed"] = "true"
        return response, 201

    @api.route("/api/requests/<request_id>", "GET", "A request's status and its timeline",
               ok={200: RequestStatusSchema}, errors=(404,))
    def api_status(request_id: str):
        mentorship = intake.repository.get_request(request_id)
        if mentorship is None:
            abort(404, description="No such request.")
        return jsonify(id=mentorship.id, status=mentorship.status,
                       timeline=[vars(e) for e in mentorship.timeline])

    @api.route("/api/mentors", "POST", "Add or update a mentor profile (programme bulk import; staff editors)",
               body=MentorSchema, ok={200: MentorSavedSchema, 201: MentorSavedSchema}, role="editor")
    @staff("editor")
    def api_register_mentor():
        payload = _json_body()
        try:
            clean = MentorSchema().load(payload)
        except ValidationError as exc:
            return unprocessable(exc.normalized_messages())
        mentor, created = handlers.register_mentor(intake, clean)
        intake.repository.audit({"who": g.staff.account, "when": utcnow().isoformat(),
                                 "action": "mentor.import", "mentor_id": mentor.id, "created": created})
        return jsonify(id=mentor.id, created=created), (201 if created else 200)

    @api.route("/api/admin/audit", "GET", "Staff actions on intake (imports, erasures), newest last",
               ok={200: {"type": "object"}}, role="viewer")
    @staff("viewer")
    def api_audit():
        return jsonify(entries=intake.repository.audit_log())

    @api.route("/api/admin/erasures", "POST", "Erase a person on their behalf (staff editors)",
               body=ErasureSchema, ok={202: {"type": "object"}}, role="editor", errors=(404,))
    @staff("editor")
    def api_erase():
        try:
            clean = ErasureSchema().load(_json_body())
        except ValidationError as exc:
            return unprocessable(exc.normalized_messages())
        if clean.get("request_id"):
            mentorship = intake.repository.get_request(clean["request_id"])
            if mentorship is None:
                abort(404, description="No such request (or it was erased already).")
            person_id, role, requests = mentorship.trainee.id, "trainee", [mentorship.id]
        else:
            person_id, role, requests = mentor_id_for(clean["mentor_email"]), "mentor", []
        record = handlers.request_erasure(intake, person_id, role, g.staff.account, requests)
        intake.repository.audit({"who": g.staff.account, "when": utcnow().isoformat(),
                                 "action": "erasure.request", "person_id": person_id, "role": role})
        return jsonify(record), 202

    @api.route("/api/admin/erasures/<person_id>", "GET", "How far an erasure has got, service by service",
               ok={200: {"type": "object"}}, role="viewer", errors=(404,))
    @staff("viewer")
    def api_erasure(person_id: str):
        record = intake.repository.erasure(person_id)
        if record is None:
            abort(404, description="No erasure for this id.")
        return jsonify(record)

    return app


def _json_body() -> dict:
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        abort(400, description="Send a JSON object with Content-Type: application/json.")
    return payload



