"""The mentor's own pages: sign up (double opt-in), confirm, and manage the profile
through a signed link emailed to them. No JavaScript; every field labelled."""
from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, redirect, render_template, request, url_for
from marshmallow import ValidationError

from services.intake import erasures, forms, handlers
from services.intake.bootstrap import Intake
from services.intake.schemas import MentorSignupSchema
from shared import i18n
from shared.ratelimit import public
from shared.security import InvalidLink
from shared.web import check_csrf, page_locale, service

# What a change on the manage page did, as the address after it names it (?done=...).
DONE = {"saved": "manage_saved", "paused": "manage_paused", "resumed": "manage_resumed",
        "withdrawn": "manage_withdrawn"}


bp = Blueprint("mentors", __name__)


def _intake() -> Intake:
    return service(Intake)


def _form_page(template: str, values, errors, loc: str, status: int = 200, **extra):
    return render_template(template, **forms.form_context(values, errors, loc), **extra), status


def _message(loc: str, title: str, body: str, status: int = 200, **extra):
    return render_template("mentor_message.html", lang=loc, title=i18n.t(title, loc),
                           body=i18n.t(body, loc), t=lambda k, **kw: i18n.t(k, loc, **kw), **extra), status


def _load(values, loc: str):
    data, errors = forms.parse_mentor_form(values)
    try:
        clean = MentorSignupSchema().load(data)
    except ValidationError as exc:
        errors.update(forms.form_errors(exc.normalized_messages(), data))
        clean = None
    return clean, errors


@bp.get("/mentors/join")
def join():
    return _form_page("mentor_form.html", {}, {}, page_locale(), mode="join")


@bp.post("/mentors/join")
@public
def join_submit():
    check_csrf()
    loc = page_locale()
    clean, errors = _load(request.form, loc)
    if errors or clean is None:
        return _form_page("mentor_form.html", request.form, errors, loc, 422, mode="join")
    erased_until = handlers.request_signup(_intake(), clean)
    if erased_until is not None:
        day = i18n.when(datetime.fromtimestamp(erased_until, UTC).isoformat(), "UTC", loc)
        return render_template("mentor_message.html", lang=loc, title=i18n.t("signup_erased_title", loc),
                               body=i18n.t("signup_erased_body", loc, date=day)), 409
    return _message(loc, "mentor_inbox_title", "mentor_inbox_body")


def _verified(action: str, token: str):
    try:
        return _intake().links.confirmed(token) if action == "confirm" else _intake().links.managed(token)
    except InvalidLink as exc:
        return exc


@bp.get("/mentors/confirm")
def confirm():
    loc, token = page_locale(), request.args.get("token", "")
    mentor_id = _verified("confirm", token)
    if isinstance(mentor_id, InvalidLink):
        return _message(loc, "link_problem_title", f"link_{mentor_id.reason}", 403)
    held = _intake().repository.get_signup(mentor_id)
    loc = (held or {}).get("locale") or loc
    # A button, not the link itself: mail scanners open links, people press buttons.
    return _message(loc, "mentor_confirm_title", "mentor_confirm_body", token=token, confirm=True)


@bp.post("/mentors/confirm")
@public
def confirm_submit():
    check_csrf()
    loc, token = page_locale(), request.form.get("token", "")
    mentor_id = _verified("confirm", token)
    if isinstance(mentor_id, InvalidLink):
        return _message(loc, "link_problem_title", f"link_{mentor_id.reason}", 403)
    mentor = handlers.confirm_signup(_intake(), mentor_id)
    if mentor is None:
        return _message(loc, "link_problem_title", "link_expired", 410)
    loc = mentor.person.locale or loc
    return _message(loc, "mentor_live_title", "mentor_live_body", manage_url=_intake().links.manage_url(mentor.id))


def _manage_page(mentor, token: str, loc: str, values=None, errors=None, status: int = 200, note: str = ""):
    return _form_page("mentor_form.html", values or forms.mentor_values(mentor), errors or {}, loc, status,
                     mode="manage", token=token, mentor=mentor, note=note)


def _managed(token: str, loc: str):
    """The profile a manage link names, or the page saying why the link cannot be used
    (a newer link was sent, or all were withdrawn: ``superseded``)."""
    mentor_id = _verified("manage", token)
    if not isinstance(mentor_id, InvalidLink):
        try:
            intake = _intake()
            intake.links.managed(token, valid_from=intake.repository.links_valid_from(mentor_id))
        except InvalidLink as exc:
            mentor_id = exc
    if isinstance(mentor_id, InvalidLink):
        return None, _message(loc, "link_problem_title", f"link_{mentor_id.reason}", 403)
    mentor = _intake().repository.get_mentor(mentor_id)
    if mentor is None:
        return None, _message(loc, "link_problem_title", "mentor_gone", 404)
    return mentor, None


@bp.get("/mentors/manage")
def manage():
    token, loc = request.args.get("token", ""), page_locale()
    mentor, problem = _managed(token, loc)
    if mentor is None:
        return problem
    loc = mentor.person.locale or loc
    done = request.args.get("done", "")
    return _manage_page(mentor, token, loc, note=i18n.t(DONE[done], loc) if done in DONE else "")


def _after_change(token: str, what: str):
    """After a change, the manage page again by GET: a reload or a bookmark never posts twice."""
    return redirect(url_for(".manage", token=token, done=what), code=303)


@bp.post("/mentors/manage")
@public
def manage_submit():
    check_csrf()
    token, action, loc = request.form.get("token", ""), request.form.get("action", "save"), page_locale()
    mentor, problem = _managed(token, loc)
    if mentor is None:
        return problem
    if action in ("pause", "resume"):
        handlers.set_paused(_intake(), mentor, action == "pause")
        return _after_change(token, f"{action}d")
    if action == "erase":
        if request.form.get("confirm") != "yes":
            return _manage_page(mentor, token, loc, note=i18n.t("erase_confirm_needed", loc))
        erasures.request_erasure(_intake(), mentor.id, "mentor", "self")
        return _message(mentor.person.locale or loc, "erased_title", "erased_body")
    if action == "revoke_links":
        handlers.revoke_links(_intake(), mentor.id)
        return _message(mentor.person.locale or loc, "links_revoked_title", "links_revoked_body")
    if action == "withdraw_equity":
        handlers.withdraw_equity(_intake(), mentor)
        return _after_change(token, "withdrawn")
    form = request.form.copy()
    form["email"] = mentor.person.email      # the address names the profile; it does not change here
    clean, errors = _load(form, loc)
    if errors or clean is None:
        return _manage_page(mentor, token, loc, form, errors, 422)
    handlers.update_profile(_intake(), mentor, clean)
    return _after_change(token, "saved")
