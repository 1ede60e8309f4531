"""Intake's HTTP side: the trainee form, the status page and the JSON API.

Run: ``gunicorn -c deploy/gunicorn.conf.py 'services.intake.app:create_app()'``.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from zoneinfo import available_timezones

import redis.exceptions
from flask import Flask, abort, jsonify, redirect, render_template, request, url_for
from marshmallow import ValidationError

from services.intake import handlers
from services.intake.bootstrap import Intake, bootstrap
from services.intake.domain import STEPS
from services.intake.schemas import (
    MentorSavedSchema,
    MentorSchema,
    MentorshipRequestSchema,
    RequestCreatedSchema,
    RequestStatusSchema,
)
from shared import i18n
from shared.config import Settings
from shared.geo import LANGUAGES, countries
from shared.openapi import JsonApi, unprocessable
from shared.ratelimit import limits_of
from shared.vocabulary import DISCIPLINES, SKILLS
from shared.web import check_csrf, page_locale, service_app, staff_guard, unavailable

TIMEZONES = sorted(available_timezones() - {"localtime", "Factory"})


def create_app(config: Mapping | None = None, intake: Intake | None = None) -> Flask:
    # An intake handed in (tests) brings its settings; ``config`` overrides either.
    overrides = dict(config or {})
    settings = intake.runtime.settings.with_overrides(**overrides) if intake else Settings.from_env(**overrides)
    intake = intake or bootstrap(settings)
    app = service_app(__name__, settings, intake.runtime.ready, advisories=intake.runtime.advisories,
                      public_url=settings.public_base_url)
    limits = limits_of(app)
    staff = staff_guard(intake.staff)

    @app.get("/")
    def form():
        return render_template("form.html", **_form_context({}, {}, page_locale()))

    @app.post("/")
    @limits.public
    def submit():
        check_csrf()
        data, errors = _parse_form(request.form)
        try:
            clean = MentorshipRequestSchema().load(data)
        except ValidationError as exc:
            errors.update(_form_errors(exc.normalized_messages(), data))
        if errors:
            return render_template("form.html", **_form_context(request.form, errors, page_locale())), 422
        try:
            created = handlers.submit_request(intake, clean)
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError):
            # The trainee keeps what they typed and is told, in their language, to send it again.
            return unavailable("form.html", **_form_context(request.form, {}, page_locale()))
        return redirect(url_for("status", request_id=created.id), code=303)

    @app.get("/requests/<request_id>")
    def status(request_id: str):
        mentorship = intake.repository.get_request(request_id)
        if mentorship is None:
            abort(404, description="No request with that number. Check the link in your email.")
        loc = mentorship.trainee.locale or page_locale()
        tz = mentorship.trainee.timezone

        def text(entry):
            return handlers.say(entry.key, entry.params, loc, tz) if entry.key else entry.message
        return render_template("status.html", request=mentorship, steps=STEPS, lang=loc, text=text,
                               t=lambda key, **kw: i18n.t(key, loc, **kw), term=lambda c: i18n.term(c, loc))

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
        created = handlers.submit_request(intake, clean)
        return jsonify(id=created.id, status=created.status,
                       status_url=url_for("status", request_id=created.id, _external=False)), 201

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
        return jsonify(id=mentor.id, created=created), (201 if created else 200)

    return app


def _json_body() -> dict:
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        abort(400, description="Send a JSON object with Content-Type: application/json.")
    return payload


_SPLIT = re.compile(r"[,\n;]+")


def _parse_form(form) -> tuple[dict, dict]:
    """Form fields → the same shape the JSON API takes, plus errors only a form can have."""
    errors: dict[str, list[str]] = {}
    availability = []
    for day in range(7):
        start, end = form.get(f"avail_{day}_start", "").strip(), form.get(f"avail_{day}_end", "").strip()
        if start and end:
            availability.append({"day": day, "start": start, "end": end})
        elif start or end:
            errors[f"avail_{day}"] = ["Give both a start and an end time, or neither."]
    data = {
        "name": form.get("name", ""),
        "email": form.get("email", ""),
        "country": form.get("country", ""),
        "timezone": form.get("timezone", ""),
        "languages": form.getlist("languages"),
        "discipline": form.get("discipline", ""),
        "focus_skills": [s.strip() for s in _SPLIT.split(form.get("focus_skills", "")) if s.strip()],
        "goals": form.get("goals", ""),
        "reel_url": form.get("reel_url", "").strip(),
        "cohort": form.get("cohort", "").strip(),
        "locale": form.get("locale", "en"),
        "availability": availability,
        "equity_consent": form.get("equity_consent") == "yes",
        "equity": {k: form.get(f"equity_{k}", "").strip() for k in ("gender", "underrepresented", "background")},
    }
    return data, errors


def _flatten(messages) -> list[str]:
    if isinstance(messages, dict):
        return [m for v in messages.values() for m in _flatten(v)]
    if isinstance(messages, list):
        return [m for v in messages for m in _flatten(v)]
    return [str(messages)]


def _form_errors(messages: dict, data: dict) -> dict[str, list[str]]:
    """marshmallow's nested messages → one list per form field."""
    out: dict[str, list[str]] = {}
    for field, msgs in messages.items():
        if field == "availability" and isinstance(msgs, dict):
            for index, sub in msgs.items():
                day = data["availability"][int(index)]["day"]
                out.setdefault(f"avail_{day}", []).extend(_flatten(sub))
        elif field == "equity":
            out.setdefault("equity_consent", []).extend(_flatten(msgs))
        else:
            out.setdefault(field, []).extend(_flatten(msgs))
    return out


def _form_context(values, errors, loc: str) -> dict:
    chosen = values.getlist("languages") if hasattr(values, "getlist") else []
    translated = {field: [i18n.error(m, loc) for m in msgs] for field, msgs in errors.items()}
    return {"values": values, "errors": translated, "days": [i18n.day_name(i, loc) for i in range(7)],
                "chosen_languages": chosen, "lang": loc, "t": lambda key, **kw: i18n.t(key, loc, **kw),
                "locales": [("en", "English"), ("fr", "Français"), ("es", "Español"), ("pt", "Português")],
                "timezones": TIMEZONES, "countries": countries(), "languages": LANGUAGES, "disciplines": DISCIPLINES,
                "skills": SKILLS}
