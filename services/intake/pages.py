"""The trainee's pages: the request form, the status page and erasure."""
from __future__ import annotations

import redis.exceptions
from flask import Blueprint, abort, redirect, render_template, request, url_for
from marshmallow import ValidationError

from services.intake import erasures, forms, handlers
from services.intake.bootstrap import Intake
from services.intake.domain import STEPS
from services.intake.schemas import REQUEST_SCHEMA
from shared import i18n
from shared.ratelimit import public
from shared.web import check_csrf, page_locale, service, session_once, unavailable

bp = Blueprint("pages", __name__)


def _intake() -> Intake:
    return service(Intake)


@bp.get("/")
def form():
    return render_template("form.html", **forms.form_context({}, {}, page_locale()))


@bp.post("/")
@public
def submit():
    check_csrf()
    data, errors = forms.parse_request_form(request.form)
    try:
        clean = REQUEST_SCHEMA.load(data)
    except ValidationError as exc:
        errors.update(forms.form_errors(exc.normalized_messages(), data))
    if errors:
        return render_template("form.html", **forms.form_context(request.form, errors, page_locale())), 422
    # One request per form: a second send of the same form (a double click, a reload,
    # the back button) shows the first request's page instead of storing another.
    once = "form:" + session_once(request.form.get("form_id", ""))
    try:
        created = handlers.submit_request(_intake(), clean, once=once)
    except handlers.KeyReused:
        # The same form sent again with other answers: a new form (and key) for them.
        return render_template("form.html", **forms.form_context(
            {k: v for k, v in request.form.items() if k != "form_id"}, {}, page_locale())), 409
    except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError):
        # The trainee keeps what they typed and is told, in their language, to send it again.
        return unavailable("form.html", **forms.form_context(request.form, {}, page_locale()))
    return redirect(url_for(".status", request_id=created.request_id), code=303)


@bp.get("/requests/<request_id>")
def status(request_id: str):
    intake = _intake()
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


@bp.post("/requests/<request_id>/erase")
@public
def erase_request(request_id: str):
    """The trainee erases everything about them (the link to this page is in every email)."""
    check_csrf()
    mentorship = _intake().repository.get_request(request_id)
    if mentorship is None:
        abort(404, description="No request with that number. Check the link in your email.")
    loc = mentorship.trainee.locale or page_locale()
    if request.form.get("confirm") != "yes":
        return redirect(url_for(".status", request_id=request_id, erase="confirm") + "#erase", code=303)
    erasures.request_erasure(_intake(), mentorship.trainee.id, "trainee", "self", [request_id])
    return render_template("mentor_message.html", lang=loc, title=i18n.t("erased_title", loc),
                           body=i18n.t("erased_body", loc))
