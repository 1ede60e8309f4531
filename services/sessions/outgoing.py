"""What sessions says about a session or a mentorship: the signed links each person
gets, the events' payloads, and the timers a new invite or a confirmed session sets.
Shared by the first session's handlers and the mentorship's follow-ups."""
from __future__ import annotations

from datetime import datetime, timedelta

from services.sessions.bootstrap import Sessions
from services.sessions.domain import COMPLETED, CONFIRMED, INVITED, SLOT_PROPOSED, Session
from shared.events import Event, make_event
from shared.store import UnitOfWork

SOURCE = "sessions"

# (role, action) → the states it is offered in. The links in each event follow this.
ACTIONS: dict[tuple[str, str], tuple[str, ...]] = {
    ("mentor", "accept"): (INVITED,), ("mentor", "decline"): (INVITED,), ("mentor", "propose"): (INVITED,),
    ("trainee", "accept-slot"): (SLOT_PROPOSED,), ("trainee", "decline-slot"): (SLOT_PROPOSED,),
    ("mentor", "cancel"): (CONFIRMED,), ("trainee", "cancel"): (CONFIRMED,),
    ("mentor", "reschedule"): (CONFIRMED,), ("trainee", "reschedule"): (CONFIRMED,),
    # A new time one of them asked for: the other answers it (``offered``).
    ("mentor", "accept-move"): (CONFIRMED,), ("trainee", "accept-move"): (CONFIRMED,),
    ("mentor", "decline-move"): (CONFIRMED,), ("trainee", "decline-move"): (CONFIRMED,),
    ("mentor", "critique"): (COMPLETED,), ("trainee", "rate"): (COMPLETED,),
}
INVITE_ACTIONS = {"accept", "decline", "propose", "accept-slot", "decline-slot"}
MOVE_ANSWERS = {"accept-move", "decline-move"}
# A mentoring page's link lives as long as a term can, plus the time to read the history after it.
PAGE_TTL_DAYS = 400


def offered(session: Session, role: str, action: str) -> bool:
    """Whether ``role`` may do ``action`` on ``session`` now: its state allows it, and a
    move's answer is only for the person who did not ask for it."""
    if session.state not in ACTIONS.get((role, action), ()):
        return False
    return action not in MOVE_ANSWERS or (bool(session.move_by) and session.move_by != role)


def ask(sessions: Sessions, uow: UnitOfWork, asking: Event) -> None:
    """Emit an event that asks someone to answer by email (an invite, a proposed time) and
    send it again until notifications reports the email (sent or given up): what the bus
    lost still reaches the person (shared.outbox, a step that must follow)."""
    uow.expect(asking, answer=mail_for(asking.id), after_s=sessions.settings.redrive_after_s)


# The emails of the events ``ask`` sends (an invite, a time the mentor proposed, a move
# asked for), by notifications' kind: the only ``notification.*`` sessions waits for.
ASKING_MAIL_KINDS = frozenset({"invite", "slot_proposed", "move_asked"})


def awaited_mail(body: dict) -> bool:
    """Whether a checked ``notification.*`` envelope is one ``ask`` may be waiting for."""
    return body.get("data", {}).get("kind") in ASKING_MAIL_KINDS


def mail_for(event_id: str) -> str:
    """The answer an event that sends email waits for: notifications' mail ids start with its id."""
    return f"mail:{event_id}"


def _signed(sessions: Sessions, purpose: str, subject: str | list, path: str) -> str:
    """A public address of the sessions service, with a token for ``purpose`` on ``subject``."""
    token = sessions.links.sign(purpose, subject)
    return f"{sessions.settings.sessions_public_url.rstrip('/')}{path}?token={token}"


def link(sessions: Sessions, session: Session, role: str, action: str) -> str:
    """A person's link for ``action`` on ``session`` as it is now: it names the session's
    sequence, so once the session changes (a new time, say) the links of older emails are
    refused and the newest email's are the ones that work."""
    return _signed(sessions, f"{role}:{action}", [session.id, session.sequence],
                   f"/sessions/{session.id}/{role}/{action}")


def trainee_page_link(sessions: Sessions, request_id: str) -> str:
    """The trainee's mentoring page: every mentorship of their request, so the history
    carries over to a new mentor."""
    return _signed(sessions, "mentoring:trainee", request_id, f"/mentoring/{request_id}")


def mentor_page_link(sessions: Sessions, mentorship_id: str) -> str:
    return _signed(sessions, "mentoring:mentor", mentorship_id, f"/mentorships/{mentorship_id}/mentor")


def survey_link(sessions: Sessions, mentorship_id: str, role: str) -> str:
    """The closing survey of a mentorship that ended, for ``role``."""
    return _signed(sessions, f"survey:{role}", mentorship_id, f"/mentorships/{mentorship_id}/survey/{role}")


def mentees_page_link(sessions: Sessions, mentor_id: str) -> str:
    """A mentor's page of every mentee: the next session, the last critique, a way to each pair's page."""
    return _signed(sessions, "mentoring:mentees", mentor_id, f"/mentors/{mentor_id}/mentees")


def mentoring_page_of(sessions: Sessions, session: Session, role: str) -> str:
    """``role``'s mentoring page for a pair's session ("" before the pair formed)."""
    if not session.mentorship_id:
        return ""
    return (mentor_page_link(sessions, session.mentorship_id) if role == "mentor"
            else trainee_page_link(sessions, session.request_id))


def links_for(sessions: Sessions, session: Session) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for role, action in ACTIONS:
        if offered(session, role, action):
            out.setdefault(role, {})[action] = link(sessions, session, role, action)
    if session.mentorship_id:   # every email of a pair's session leads to their mentoring pages
        for role in ("trainee", "mentor"):
            out.setdefault(role, {})["mentoring"] = mentoring_page_of(sessions, session, role)
        out["mentor"]["mentees"] = mentees_page_link(sessions, session.mentor["id"])
    return out


def payload(sessions: Sessions, session: Session) -> dict:
    return {
        "session_id": session.id, "request_id": session.request_id, "match_id": session.match_id,
        "mentor": session.mentor, "trainee": session.trainee, "discipline": session.discipline,
        "start": session.start, "end": session.end, "video_url": session.video_url,
        "sequence": session.sequence, "focus_skills": session.focus_skills, "goals": session.goals,
        "reel_url": session.reel_url, "why": session.why, "links": links_for(sessions, session),
        "mentorship_id": session.mentorship_id, "follow_up": session.follow_up, "booked_by": session.booked_by}


def move_payload(sessions: Sessions, session: Session) -> dict:
    """A new time asked for a confirmed session: the session as it stands, the time asked
    for, who asked and their message to the other (the other's answer links are in it)."""
    return {**payload(sessions, session), "proposed_start": session.move_start, "proposed_end": session.move_end,
            "by": session.move_by, "reason": session.move_reason}


def session_event(session: Session, type: str, data: dict) -> Event:
    return make_event(type, session.id, data, SOURCE, correlation_id=session.correlation_id or None)


def invited_event(sessions: Sessions, session: Session) -> dict:
    """A session.invited's data: the mentor answers with the links in it."""
    links = links_for(sessions, session)
    return {**payload(sessions, session), "accept_url": links["mentor"]["accept"],
            "decline_url": links["mentor"]["decline"], "expires_at": session.expires_at}


def declined_event(sessions: Sessions, session: Session, by: str = "mentor", tell: bool = True,
                   message: str = "") -> dict:
    """A session.declined's (or .expired's) data: ``by`` said no or let the time pass (the
    mentor an invite, the trainee a proposed time). A follow-up's also names the pair, so
    the other person is told and can book another time (unless ``tell`` is off)."""
    data = {"session_id": session.id, "request_id": session.request_id, "mentor_id": session.mentor["id"],
            "trainee_id": session.trainee["id"], "reason": session.decline_reason,
            "mentorship_id": session.mentorship_id, "follow_up": session.follow_up, "by": by, "message": message}
    if session.follow_up and tell:
        data.update(mentor=session.mentor, trainee=session.trainee, start=session.start,
                    links=links_for(sessions, session))
    return data


def schedule_confirmed(sessions: Sessions, uow: UnitOfWork, session: Session) -> None:
    repo = sessions.repository
    repo.unschedule(uow.pipe, session.id, "expire", "invite_reminder")
    repo.schedule(uow.pipe, session.id, "remind_24h", session.start_dt - timedelta(hours=24))
    repo.schedule(uow.pipe, session.id, "remind_1h", session.start_dt - timedelta(hours=1))
    repo.schedule(uow.pipe, session.id, "complete", session.end_dt)


def schedule_invite(sessions: Sessions, uow: UnitOfWork, session: Session, now: datetime) -> None:
    expires = datetime.fromisoformat(session.expires_at)
    sessions.repository.schedule(uow.pipe, session.id, "expire", expires)
    # INVITE_REMINDER_HOURS before the answer-by time, or halfway there when the time to
    # answer is shorter than that (a session soon after the invite).
    remind = expires - timedelta(hours=sessions.settings.invite_reminder_hours)
    if remind <= now:
        remind = now + (expires - now) / 2
    if remind > now:
        sessions.repository.schedule(uow.pipe, session.id, "invite_reminder", remind)

