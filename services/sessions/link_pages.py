"""The pages behind the signed links in a session's emails: accept, decline, propose
another time, reschedule, cancel, critique and rate.

A GET only shows the question; the answer is a POST. Mail scanners and link previews
fetch GET links, and must never answer for anyone.
"""
from __future__ import annotations

from flask import Blueprint, render_template, request
from marshmallow import ValidationError

from services.sessions import handlers, outgoing
from services.sessions.bootstrap import Sessions
from services.sessions.domain import MOVE_PASSED, RUBRICS, SLOT_TAKEN, SessionError
from services.sessions.schemas import NOTE_SHAPE, UPDATE_ROWS, CritiqueForm, RatingForm, parse_notes
from services.sessions.words import in_their_words, problem_page
from shared import i18n
from shared.ratelimit import public
from shared.security import InvalidLink
from shared.web import service

bp = Blueprint("links", __name__)


def _sessions() -> Sessions:
    return service(Sessions)


def _page(session, role, action, token, errors=None, values=None, status=200):
    """The form of ``action``; sent back, with each message beside its field in the reader's language."""
    slots = handlers.slot_choices(_sessions(), session) if action in ("propose", "reschedule") else []
    words, values = in_their_words(session, role), values or {}
    errors = i18n.errors_in(errors or {}, words["lang"])
    # A critique's notes sent back: the page quotes the first line it could not read.
    unread = parse_notes(values.get("notes", ""))[1][:1] if "notes" in errors else []
    return render_template("action.html", session=session, role=role, action=action, token=token, slots=slots,
                           rubric=RUBRICS.get(session.discipline, []), errors=errors, values=values,
                           unread=unread[0] if unread else "", **words), status


def _used(session_id: str, role: str, done: str = "", state: str = "", session=None):
    """A link already used, or whose moment has passed (its token is genuine): what
    happened, in the reader's language, and where to go now. Never a form it would refuse."""
    session = session or _sessions().repository.get(session_id)
    if session is None:
        return problem_page(SessionError("not_found", "No such session."))
    return render_template("used.html", session=session, role=role, done=done, state=state or session.state,
                           page_url=outgoing.mentoring_page_of(_sessions(), session, role),
                           **in_their_words(session, role)), 409


def _answered_before(exc: SessionError, session_id: str, role: str):
    if exc.code in ("already_answered", "expired", "superseded", MOVE_PASSED):   # a genuine token: say what happened
        return _used(session_id, role, done=exc.code if exc.code in ("superseded", MOVE_PASSED) else "",
                     state="expired" if exc.code == "expired" else "")
    return problem_page(exc)


def _done_already(session, action: str) -> str:
    """"critique" or "rate" when that was already sent for ``session`` ("" otherwise)."""
    return action if (action == "critique" and session.critique) or (action == "rate" and session.rating) else ""


def _slot_taken(session_id: str, role: str, action: str, token: str):
    """Another session got that time first: say so in the reader's language, with the
    times still free when they were choosing one."""
    try:
        session = handlers.verify_link(_sessions(), session_id, role, action, token)
    except (InvalidLink, SessionError) as exc:
        return problem_page(exc)
    message = in_their_words(session, role)["t"]("slot_taken")
    if action in ("propose", "reschedule"):
        return _page(session, role, action, token, {"start": [message]}, request.form, status=409)
    return render_template("problem.html", message=message, **in_their_words(session, role)), 409


ROUTE = "/sessions/<session_id>/<any(mentor, trainee):role>/<action>"


@bp.get(ROUTE)
def show(session_id: str, role: str, action: str):
    token = request.args.get("token", "")
    try:
        session = handlers.verify_link(_sessions(), session_id, role, action, token)
    except SessionError as exc:
        return _answered_before(exc, session_id, role)
    except InvalidLink as exc:
        return problem_page(exc)
    if done := _done_already(session, action):
        return _used(session_id, role, done, session=session)
    return _page(session, role, action, token)


@bp.post(ROUTE)
@public
def answer(session_id: str, role: str, action: str):
    token = request.form.get("token", "")
    try:
        session = handlers.verify_link(_sessions(), session_id, role, action, token)
        if done := _done_already(session, action):
            return _used(session_id, role, done, session=session)
        form, errors = _read_form(action, session.discipline)
        if errors:
            return _page(session, role, action, token, errors, request.form, status=422)
        session = handlers.act(_sessions(), session_id, role, action, token, form)
    except SessionError as exc:
        if exc.code == SLOT_TAKEN:
            return _slot_taken(session_id, role, action, token)
        return _answered_before(exc, session_id, role)
    except InvalidLink as exc:
        return problem_page(exc)
    return render_template("answered.html", session=session, role=role, action=action,
                           **in_their_words(session, role))


def _updates(f) -> list[dict]:
    """The technical update rows the mentor filled in (an empty row is no update)."""
    rows = []
    for i in range(UPDATE_ROWS):
        row = {k: f.get(f"update_{k}_{i}", "").strip() for k in ("equipment", "setting", "value", "link")}
        if any(row.values()):   # an optional part left empty is absent, not an empty address
            rows.append({k: v for k, v in row.items() if v or k in ("equipment", "value")})
    return rows


def _read_form(action: str, discipline: str) -> tuple[dict, dict]:
    f = request.form
    reason = f.get("reason", "").strip()[:1000]
    if action in ("propose", "reschedule"):
        if not f.get("start"):
            return {}, {"start": ["Choose one of the times."]}
        return {"start": f["start"], "reason": reason}, {}
    if action == "critique":
        notes, bad = parse_notes(f.get("notes", ""))
        data = {"rubric": [{"criterion": c, "score": f.get(f"score_{i}", ""), "comment": f.get(f"comment_{i}", "")}
                           for i, c in enumerate(RUBRICS.get(discipline, []))],
                "notes": notes, "next_steps": f.get("next_steps", "").strip(), "updates": _updates(f)}
        errors: dict = {}
        if bad:
            errors["notes"] = [NOTE_SHAPE]
        try:
            clean = CritiqueForm().load(data)
        except ValidationError as exc:
            for field, msgs in exc.normalized_messages().items():
                if field == "rubric":
                    for index, sub in msgs.items():
                        errors[f"score_{index}"] = [m for v in sub.values() for m in v]
                elif field == "updates":
                    for index, sub in msgs.items():
                        for name, texts in sub.items():
                            errors[f"update_{name}_{index}"] = texts
                else:
                    errors[field] = msgs if isinstance(msgs, list) else [str(msgs)]
            return {}, errors
        return ({}, errors) if errors else (clean, {})
    if action == "rate":
        try:
            return RatingForm().load({"rating": f.get("rating", ""), "comment": f.get("comment", "")}), {}
        except ValidationError as exc:
            return {}, exc.normalized_messages()
    return {"reason": reason}, {}
