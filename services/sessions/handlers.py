"""Sessions' service layer: scheduling a proposed match, and the mentor's answers."""
from __future__ import annotations

import uuid
from datetime import timedelta

import redis

from services.sessions.bootstrap import Sessions
from services.sessions.domain import Session, SessionError, find_slot, video_room_url
from services.sessions.repository import session_key
from shared.availability import Window
from shared.events import Event, make_event, utcnow
from shared.store import UnitOfWork

SOURCE = "sessions"


def _windows(person: dict) -> list[Window]:
    return [Window.from_dict(w) for w in person["availability"]]


def _session_payload(session: Session) -> dict:
    return {
        "session_id": session.id, "request_id": session.request_id, "match_id": session.match_id,
        "mentor": session.mentor, "trainee": session.trainee, "discipline": session.discipline,
        "start": session.start, "end": session.end, "video_url": session.video_url,
        "sequence": session.sequence, "focus_skills": session.focus_skills, "goals": session.goals,
        "reel_url": session.reel_url}


def link(sessions: Sessions, session_id: str, action: str) -> str:
    token = sessions.links.sign(action, session_id)
    return f"{sessions.settings.sessions_public_url.rstrip('/')}/sessions/{session_id}/{action}?token={token}"


def on_match_proposed(sessions: Sessions, event: Event, uow: UnitOfWork) -> None:
    """Find the earliest slot both can make; invite the mentor, or say none fits."""
    d = event.data
    s = sessions.settings
    now = utcnow()
    slot = find_slot(_windows(d["trainee"]), d["trainee"]["timezone"], _windows(d["mentor"]),
                     d["mentor"]["timezone"], sessions.repository.busy(d["mentor"]["id"]), now,
                     minutes=s.session_minutes, lead_hours=s.min_lead_hours, horizon_days=s.horizon_days)
    if slot is None:
        uow.emit(event.caused("session.unschedulable", d["request_id"], {
            "request_id": d["request_id"], "match_id": d["match_id"], "mentor_id": d["mentor"]["id"],
            "reason": f"no common free {s.session_minutes} minutes between {s.min_lead_hours} h "
                      f"and {s.horizon_days} days from now"}, SOURCE))
        return
    session = Session(
        id=uuid.uuid4().hex, request_id=d["request_id"], match_id=d["match_id"], mentor=d["mentor"],
        trainee=d["trainee"], discipline=d["discipline"], start=slot[0].isoformat(), end=slot[1].isoformat(),
        video_url=video_room_url(s.meeting_base_url), state="invited", sequence=0,
        invited_at=now.isoformat(), expires_at=(now + timedelta(hours=s.invite_ttl_hours)).isoformat(),
        correlation_id=event.correlation_id, focus_skills=d["focus_skills"], goals=d["goals"],
        reel_url=d["reel_url"])
    sessions.repository.save(uow.pipe, session)
    sessions.repository.book(uow.pipe, session)
    uow.emit(event.caused("session.invited", session.id, {
        **_session_payload(session), "accept_url": link(sessions, session.id, "accept"),
        "decline_url": link(sessions, session.id, "decline"), "expires_at": session.expires_at}, SOURCE))


def verify_link(sessions: Sessions, session_id: str, action: str, token: str) -> Session:
    """The session a link is for; raises ``InvalidLink`` or ``SessionError``."""
    subject = sessions.links.verify(action, token, max_age_s=sessions.settings.invite_ttl_hours * 3600)
    if subject != session_id:
        raise SessionError("wrong_session", "This link is for another session.")
    session = sessions.repository.get(session_id)
    if session is None:
        raise SessionError("not_found", "No such session.")
    return session


def answer(sessions: Sessions, session_id: str, action: str, token: str, reason: str = "") -> Session:
    """Accept or decline, once: a second answer, even a concurrent one, is refused."""
    verify_link(sessions, session_id, action, token)
    try:
        uow = sessions.runtime.unit_of_work(watch=[session_key(session_id)])
        session = sessions.repository.get(session_id, reader=uow.pipe)
        now = utcnow()
        if action == "accept":
            session.accept(now)
            event = make_event("session.confirmed", session.id, _session_payload(session), SOURCE,
                               correlation_id=session.correlation_id)
        else:
            session.decline(now, reason)
            event = make_event("session.declined", session.id, {
                "session_id": session.id, "request_id": session.request_id,
                "mentor_id": session.mentor["id"], "reason": reason}, SOURCE,
                correlation_id=session.correlation_id)
        uow.begin()
        sessions.repository.save(uow.pipe, session)
        if action == "decline":
            sessions.repository.release(uow.pipe, session)
        uow.emit(event)
        uow.commit()
    except redis.WatchError as exc:
        raise SessionError("already_answered", "This invitation was answered at the same moment "
                                               "from somewhere else.") from exc
    sessions.runtime.relay.nudge()
    return session


def event_handlers(sessions: Sessions):
    return {"match.proposed": lambda event, uow: on_match_proposed(sessions, event, uow)}
