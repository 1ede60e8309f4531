"""The mentoring pages behind signed links: the trainee's (every mentorship of their
request, so the history carries over to a new mentor) and the mentor's (one mentee).

A GET shows; a POST changes and redirects back to the page (post/redirect/get), so a
reload never books twice. The views reach the service through ``shared.web.service``.
"""
from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, redirect, render_template, request

from services.sessions import mentoring
from services.sessions.bootstrap import Sessions
from services.sessions.domain import SLOT_TAKEN, SessionError
from services.sessions.mentorship import ACTIVE, CADENCES, ENDED, Mentorship, MentorshipError
from services.sessions.words import in_their_words, problem_page
from shared.events import utcnow
from shared.security import InvalidLink
from shared.web import service

bp = Blueprint("mentoring", __name__)

_ACTIONS = {"trainee": {"book", "cadence", "pause", "resume", "end"},
            "mentor": {"book", "addressed", "cadence", "pause", "resume", "end"}}


def _sessions() -> Sessions:
    return service(Sessions)


_PALETTE = ("#114b8a", "#b00020", "#1d6b2f", "#6a3d9a", "#8a5a00")    # each ≥ 4.5:1 on white


def _chart(series: list[dict]) -> dict:
    """The rubric scores over time as SVG polylines (x: the critique's place, y: 1–5)."""
    criteria = sorted({c for point in series for c in point["scores"]})
    width, height, pad = 320, 160, 20
    step = (width - 2 * pad) / max(1, len(series) - 1)
    lines = []
    for i, criterion in enumerate(criteria):
        points = [(pad + i * step, height - pad - (p["scores"][criterion] - 1) * (height - 2 * pad) / 4)
                  for i, p in enumerate(series) if criterion in p["scores"]]
        lines.append({"criterion": criterion, "points": " ".join(f"{x:.0f},{y:.0f}" for x, y in points),
                      "dots": points, "colour": _PALETTE[i % len(_PALETTE)]})
    return {"criteria": criteria, "lines": lines, "width": width, "height": height, "pad": pad}


def _render(role: str, mentorships: list[Mentorship], token: str, errors: dict | None = None, status: int = 200):
    sessions = _sessions()
    current = mentorships[-1]
    history = mentoring.history(sessions, mentorships)
    held = [x for _, xs in history for x in xs]
    series = mentoring.score_series(held)
    choices = mentoring.follow_up_choices(sessions, current) if current.state == ACTIVE else []
    return render_template(
        "mentoring.html", role=role, m=current, history=history, token=token, choices=choices,
        chart=_chart(series), series=series, updates=mentoring.technical_updates(held), cadences=CADENCES,
        errors=errors or {}, done=request.args.get("done", ""), **in_their_words(current, role)), status


# --- the trainee's page and the pair's page for the mentor --------------------------------

def _mentorships(role: str, subject_id: str, token: str) -> list[Mentorship]:
    """What ``role``'s page of ``subject_id`` shows, oldest first, once its link is verified:
    the trainee's, every mentorship of their request; the mentor's, the one pair."""
    sessions = _sessions()
    mentoring.verify_page(sessions, role, subject_id, token)
    if role == "trainee":
        found = sessions.repository.mentorships_of(subject_id)
    else:
        found = [m for m in [sessions.repository.get_mentorship(subject_id)] if m is not None]
    if not found:
        raise SessionError("not_found", "There is no mentorship here yet.")
    return found


def _show(role: str, subject_id: str):
    token = request.args.get("token", "")
    try:
        return _render(role, _mentorships(role, subject_id, token), token)
    except (InvalidLink, SessionError) as exc:
        return problem_page(exc)


def _answer(role: str, subject_id: str, path: str):
    """Do what the form asks, then back to the page (303), which says what was done."""
    token = request.form.get("token", "")
    try:
        done = _act(_sessions(), role, _mentorships(role, subject_id, token)[-1])
    except SessionError as exc:
        if exc.code == SLOT_TAKEN:
            return _slot_taken(role, _mentorships(role, subject_id, token), token)
        return problem_page(exc)
    except (InvalidLink, MentorshipError) as exc:
        return problem_page(exc)
    return redirect(f"{path}?{urlencode({'token': token, 'done': done})}#outcome", code=303)


@bp.get("/mentoring/<request_id>")
def trainee_page(request_id: str):
    return _show("trainee", request_id)


@bp.post("/mentoring/<request_id>")
def trainee_act(request_id: str):
    return _answer("trainee", request_id, f"/mentoring/{request_id}")


@bp.get("/mentorships/<mentorship_id>/mentor")
def mentor_page(mentorship_id: str):
    return _show("mentor", mentorship_id)


@bp.post("/mentorships/<mentorship_id>/mentor")
def mentor_act(mentorship_id: str):
    return _answer("mentor", mentorship_id, f"/mentorships/{mentorship_id}/mentor")


# --- the mentor's mentees ---------------------------------------------------------------

@bp.get("/mentors/<mentor_id>/mentees")
def mentees_page(mentor_id: str):
    token = request.args.get("token", "")
    sessions = _sessions()
    try:
        mentoring.verify_page(sessions, "mentees", mentor_id, token)
    except (InvalidLink, SessionError) as exc:
        return problem_page(exc)
    rows = mentoring.mentee_rows(sessions, mentor_id, utcnow())
    if not rows:
        return problem_page(SessionError("not_found", "You have no mentees yet."))
    words = in_their_words(rows[0]["m"], "mentor")
    return render_template("mentees.html", rows=rows, **words)


# --- the closing survey -------------------------------------------------------------------

def _survey(role: str, mentorship_id: str, token: str):
    """The mentorship a survey link is for, once the link is verified."""
    sessions = _sessions()
    mentoring.verify_page(sessions, role, mentorship_id, token, purpose="survey")
    m = sessions.repository.get_mentorship(mentorship_id)
    if m is None:
        raise SessionError("not_found", "This mentorship no longer exists.")
    return m


def _survey_page(m: Mentorship, role: str, token: str, form: dict | None = None, errors: dict | None = None,
                 status: int = 200):
    words = in_their_words(m, role)
    if m.state != ENDED:
        return render_template("problem.html", message=words["t"]("sv_not_yet"), **words), 409
    return render_template("survey.html", m=m, role=role, token=token, form=form or {}, errors=errors or {},
                           answered=m.survey.get(role), **words), status


@bp.get("/mentorships/<mentorship_id>/survey/<any(trainee, mentor):role>")
def survey_page(mentorship_id: str, role: str):
    """A used link shows the answers were received, never an empty form it would refuse."""
    token = request.args.get("token", "")
    try:
        return _survey_page(_survey(role, mentorship_id, token), role, token)
    except (InvalidLink, SessionError) as exc:
        return problem_page(exc)


@bp.post("/mentorships/<mentorship_id>/survey/<any(trainee, mentor):role>")
def survey_answer(mentorship_id: str, role: str):
    f = request.form
    token = f.get("token", "")
    try:
        m = _survey(role, mentorship_id, token)
    except (InvalidLink, SessionError) as exc:
        return problem_page(exc)
    t = in_their_words(m, role)["t"]
    errors: dict[str, list[str]] = {}
    useful = f.get("useful", "")
    if useful not in {"1", "2", "3", "4", "5"}:
        errors["useful"] = [t("sv_pick")]
    if f.get("again") not in ("yes", "no"):
        errors["again"] = [t("sv_pick_again")]
    if errors:     # the form again, with what was typed and a message beside each field
        return _survey_page(m, role, token, dict(f), errors, status=422)
    try:
        mentoring.answer_survey(_sessions(), mentorship_id, role, int(useful), f["again"] == "yes",
                                f.get("comment", "").strip()[:2000])
    except SessionError as exc:
        if exc.code != "already_answered":
            return problem_page(exc)
    return redirect(f"/mentorships/{mentorship_id}/survey/{role}?{urlencode({'token': token})}#outcome", code=303)


# --- what a form asks ------------------------------------------------------------------

def _act(sessions: Sessions, role: str, m: Mentorship) -> str:
    """Do what the posted form asks; returns what was done (the page says so after the redirect)."""
    f = request.form
    action = f.get("action", "")
    if action not in _ACTIONS[role]:
        raise SessionError("not_found", "There is no such action.")
    if action == "book":
        mentoring.book_follow_up(sessions, m.id, role, f.get("start", ""))
    elif action == "cadence":
        try:
            weeks = int(f.get("weeks", ""))
        except ValueError:
            weeks = -1
        mentoring.set_cadence(sessions, m.id, weeks)
    elif action in ("pause", "resume"):
        mentoring.pause(sessions, m.id, resume=action == "resume")
    elif action == "addressed":
        ref = f.get("note", "")
        session_id = ref.split(":", 1)[0]
        if session_id not in m.session_ids:
            raise SessionError("not_found", "There is no such note.")
        mentoring.toggle_addressed(sessions, m.id, ref)
    else:
        # A mentor who ends it has the programme offer the trainee a new mentor; a trainee chooses.
        mentoring.end(sessions, m.id, role, f.get("reason", "").strip()[:1000], shared=bool(f.get("share")),
                      rematch=role == "mentor" or bool(f.get("rematch")))
    return action


def _slot_taken(role: str, mentorships: list[Mentorship], token: str):
    message = in_their_words(mentorships[-1], role)["t"]("slot_taken")
    return _render(role, mentorships, token, {"start": [message]}, status=409)

