"""Sessions' service layer: scheduling a proposed match, what each signed link does,
and the timers (expiry, reminders, the end of a session).

Every change stores the session, its timers and the event it causes in one Redis
transaction, watched on the session so two answers at once cannot both win.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import redis

from services.sessions import mentoring
from services.sessions.bootstrap import Sessions
from services.sessions.domain import (
    CONFIRMED,
    DECLINED,
    INVITED,
    SLOT_PROPOSED,
    SLOT_TAKEN,
    Session,
    SessionError,
    answer_by,
    find_slot,
    free_slots,
    overlaps,
    video_room_url,
)
from services.sessions.mentorship import ENDED
from services.sessions.outgoing import (
    ACTIONS,
    INVITE_ACTIONS,
    ask,
    awaited_mail,
    declined_event,
    invited_event,
    links_for,
    mail_for,
    move_payload,
    offered,
    payload,
    schedule_confirmed,
    schedule_invite,
)
from services.sessions.outgoing import session_event as _event
from services.sessions.repository import MENTORSHIP_TIMER_KINDS, mentees_key, mentorship_key, session_key
from shared import metrics
from shared.availability import windows_of
from shared.consumer import Selective
from shared.erasure import erasure_handler, forget
from shared.events import Event, utcnow
from shared.store import StillContended, UnitOfWork, claim

SOURCE = "sessions"



# --- a proposed match becomes an invited session ------------------------------------

def on_match_proposed(sessions: Sessions, event: Event, uow: UnitOfWork) -> None:
    """Find the earliest slot both can make; invite the mentor, or say none fits."""
    d = event.data
    s = sessions.settings
    now = utcnow()
    # The slot is claimed: both calendars are watched before they are read, so a worker
    # that booked either person meanwhile makes this unit run again on fresh reads.
    busy = sessions.repository.busy_for_update(uow, d["mentor"]["id"], d["trainee"]["id"])
    slot = find_slot(windows_of(d["trainee"]), d["trainee"]["timezone"], windows_of(d["mentor"]),
                     d["mentor"]["timezone"], busy, now,
                     minutes=s.session_minutes, lead_hours=s.slot_lead_hours, horizon_days=s.horizon_days)
    if slot is None:
        uow.emit(event.caused("session.unschedulable", d["request_id"], {
            "request_id": d["request_id"], "match_id": d["match_id"], "mentor_id": d["mentor"]["id"],
            "reason": f"no common free {s.session_minutes} minutes between {s.min_lead_hours} h "
                      f"and {s.horizon_days} days from now"}, SOURCE))
        return
    session = Session(
        id=uuid.uuid4().hex, request_id=d["request_id"], match_id=d["match_id"], mentor=d["mentor"],
        trainee=d["trainee"], discipline=d["discipline"], start=slot[0].isoformat(), end=slot[1].isoformat(),
        video_url=video_room_url(s.meeting_base_url), state=INVITED, sequence=0,
        invited_at=now.isoformat(),
        expires_at=answer_by(now, slot[0], s.invite_ttl_hours, s.answer_margin_hours).isoformat(),
        correlation_id=event.correlation_id, focus_skills=d["focus_skills"], goals=d["goals"],
        reel_url=d["reel_url"], why=d.get("why", []), cohort=d.get("cohort", ""))
    sessions.repository.save(uow.pipe, session)
    sessions.repository.book(uow.pipe, session)
    schedule_invite(sessions, uow, session, now)
    ask(sessions, uow, event.caused("session.invited", session.id, invited_event(sessions, session), SOURCE))


def on_notification(event: Event, uow: UnitOfWork) -> None:
    """Notifications handled an event of ours (its mail ids start with the event's id)."""
    uow.arrived(mail_for(event.data["notification_id"].split(":", 1)[0]))


# --- the links people click -----------------------------------------------------------

def verify_link(sessions: Sessions, session_id: str, role: str, action: str, token: str) -> Session:
    """The session a link is for, if the link is genuine, current and for this action;
    raises ``InvalidLink`` or ``SessionError``."""
    if (role, action) not in ACTIONS:
        raise SessionError("not_found", "There is no such link.")
    s = sessions.settings
    max_age = s.invite_ttl_hours * 3600 * 2 if action in INVITE_ACTIONS else s.link_ttl_days * 86400
    subject = sessions.links.verify(f"{role}:{action}", token, max_age_s=max_age)
    # [session id, its sequence when the email went]; a bare id is a link from before links
    # named the sequence, which is as old as the first one.
    named, sequence = (subject[0], subject[1]) if isinstance(subject, list) and len(subject) == 2 else (subject, 0)
    if named != session_id:
        raise SessionError("wrong_session", "This link is for another session.")
    session = sessions.repository.get(session_id)
    if session is None:
        raise SessionError("not_found", "No such session.")
    if sequence != session.sequence:
        raise SessionError("superseded", "The session changed after this email: its newest email has the links.")
    if not offered(session, role, action):
        raise SessionError("already_answered", f"This session is {session.state.replace('_', ' ')}: "
                                               "this link can no longer be used.")
    return session


def slot_choices(sessions: Sessions, session: Session, now: datetime | None = None, limit: int = 8):
    """*Other* times both can make, spread out, for a mentor's proposal or a reschedule:
    the session's own time counts as busy, so it is never offered as a new one. A pair's
    follow-up, booked weeks ahead, gets times around its own (from three days before),
    not the coming days'."""
    s, now = sessions.settings, now or utcnow()
    origin, lead, spacing = now, s.slot_lead_hours, 180
    if session.follow_up:    # one a day, from three days before its own time
        origin, lead, spacing = max(now + timedelta(hours=lead), session.start_dt - timedelta(days=3)), 0, 24 * 60
    return free_slots(windows_of(session.trainee), session.trainee["timezone"], windows_of(session.mentor),
                      session.mentor["timezone"],
                      sessions.repository.busy(session.mentor["id"], session.trainee["id"]),
                      origin, minutes=s.session_minutes, lead_hours=lead,
                      horizon_days=s.horizon_days, limit=limit, spacing_minutes=spacing)


def _chosen_slot(sessions: Sessions, session: Session, start_iso: str):
    for slot in slot_choices(sessions, session):
        if slot[0].isoformat() == start_iso:
            return slot
    raise SessionError(SLOT_TAKEN, "That time was just taken. Please choose another.")


def _still_free(sessions: Sessions, session: Session, start: str, end: str) -> None:
    """Check, under the unit's watch on both calendars, that nothing else holds
    ``start``–``end`` for either person (a hold of this session's own does not count)."""
    busy = sessions.repository.busy(session.mentor["id"], session.trainee["id"], except_session=session.id)
    if overlaps((datetime.fromisoformat(start), datetime.fromisoformat(end)), busy):
        raise SessionError(SLOT_TAKEN, "That time was just taken. Please choose another.")


ACT_ATTEMPTS = 20
# Actions that hold a time in both calendars: their units watch the calendars too.
BOOKING_ACTIONS = {"accept", "propose", "accept-slot", "reschedule", "accept-move"}


def act(sessions: Sessions, session_id: str, role: str, action: str, token: str, form: dict) -> Session:
    """Do what a signed link's form asks, once: a second answer, even a concurrent one, is
    refused. A unit that lost a race (the session or a calendar changed under it) runs
    again on fresh reads: the link is checked again, the time is claimed again."""
    def start() -> UnitOfWork:
        verify_link(sessions, session_id, role, action, token)
        return sessions.runtime.unit_of_work(watch=[session_key(session_id)])

    def work(uow: UnitOfWork) -> Session:
        session = sessions.repository.get(session_id)
        if session is None:   # verify_link found it: only an erasure in between removes it
            raise SessionError("not_found", "This session no longer exists.")
        if session.mentorship_id:   # the pair's mentorship changes with its sessions
            uow.watch(mentorship_key(session.mentorship_id))
        if action in BOOKING_ACTIONS:
            sessions.repository.watch_calendars(uow, session.mentor["id"], session.trainee["id"])
        events = _apply(sessions, uow, session, role, action, form, utcnow())
        sessions.repository.save(uow.pipe, session)
        for step in events:
            step(uow)
        return session

    try:
        session = claim(start, work, ACT_ATTEMPTS)
    except StillContended as exc:
        raise SessionError("already_answered", "This was answered at the same moment from somewhere else.") from exc
    return session


def _apply(sessions: Sessions, uow: UnitOfWork, session: Session, role: str, action: str, form: dict,
           now: datetime) -> list:
    """Change ``session`` as the action asks; return the writes and events to store with it."""
    repo = sessions.repository
    if action in ("accept", "accept-slot"):
        session.accept(now) if action == "accept" else session.answer_slot(True)
        _still_free(sessions, session, session.start, session.end)
        # The first confirmed session forms the pair's mentorship (the event carries its id).
        return [lambda u: repo.book(u.pipe, session), lambda u: schedule_confirmed(sessions, u, session),
                *mentoring.on_confirmed(sessions, uow, session, now),
                lambda u: u.emit(_event(session, "session.confirmed", payload(sessions, session)))]
    if action in ("decline", "decline-slot"):
        if action == "decline":
            session.decline(now, form.get("reason", ""))
        else:
            session.answer_slot(False, form.get("reason", ""))
        return [lambda u: repo.release(u.pipe, session), lambda u: repo.unschedule(u.pipe, session.id),
                # What they typed: a pair's reaches the other person; staff read every one.
                lambda u: u.emit(_event(session, "session.declined", declined_event(
                    sessions, session, role, message=form.get("reason", ""))))]
    if action == "propose":
        session.propose_slot(now, _chosen_slot(sessions, session, form.get("start", "")))
        s = sessions.settings
        session.expires_at = answer_by(now, datetime.fromisoformat(session.proposed_start), s.invite_ttl_hours,
                                       s.answer_margin_hours).isoformat()
        shown = {**payload(sessions, session), "start": session.proposed_start, "end": session.proposed_end,
                 "reason": form.get("reason", "")}     # the mentor's message reaches the trainee
        # The proposed time is held (the invite's own is let go) until the trainee answers.
        return [lambda u: repo.book(u.pipe, session, session.proposed_start, session.proposed_end),
                lambda u: repo.unschedule(u.pipe, session.id),
                lambda u: schedule_invite(sessions, u, session, now),
                lambda u: u.emit(_event(session, "session.slot_proposed", shown))]
    if action == "reschedule":
        # Asked, not moved: the session stays where it is until the other person accepts.
        session.ask_to_move(role, _chosen_slot(sessions, session, form.get("start", "")), form.get("reason", ""))
        return [lambda u: repo.hold_move(u.pipe, session),
                lambda u: ask(sessions, u, _event(session, "session.move_proposed", move_payload(sessions, session)))]
    if action in ("accept-move", "decline-move"):
        return _answer_move(sessions, session, role, action == "accept-move", form.get("reason", ""), now)
    if action == "cancel":
        session.cancel(role, form.get("reason", ""))
        return [lambda u: repo.release(u.pipe, session), lambda u: repo.unschedule(u.pipe, session.id),
                *_first_meeting_called_off(sessions, session, role, now),
                lambda u: u.emit(_event(session, "session.cancelled", {
                    **payload(sessions, session), "by": role, "reason": session.decline_reason}))]
    if action == "critique":
        session.submit_critique(form)
        return [lambda u: u.emit(_event(session, "critique.submitted", {
            "session_id": session.id, "request_id": session.request_id, "mentor": session.mentor,
            "trainee": session.trainee, "discipline": session.discipline, "reel_url": session.reel_url,
            "mentorship_id": session.mentorship_id, "follow_up": session.follow_up,
            "links": links_for(sessions, session), **form})),
            *mentoring.after_critique(sessions, uow, session, now)]
    if action == "rate":
        session.rate(form)
        return [lambda u: u.emit(_event(session, "session.rated", {
            "session_id": session.id, "request_id": session.request_id, "mentor_id": session.mentor["id"],
            **form}))]
    raise SessionError("not_found", "There is no such action.")


def _answer_move(sessions: Sessions, session: Session, role: str, accept: bool, message: str,
                 now: datetime) -> list:
    """The other person's answer to a new time: accepted, the session moves and both get
    the calendar update; kept, whoever asked hears it stays, with the message."""
    repo, asked = sessions.repository, move_payload(sessions, session)
    by, reason = session.move_by, session.move_reason
    if accept:
        _still_free(sessions, session, session.move_start, session.move_end)
    session.answer_move(role, accept, now)
    if not accept:
        return [lambda u: repo.release_move(u.pipe, session), lambda u: u.emit(_event(
            session, "session.move_declined", {**asked, "links": links_for(sessions, session), "by": role,
                                               "reason": message}))]
    return [lambda u: repo.release_move(u.pipe, session), lambda u: repo.book(u.pipe, session),
            lambda u: schedule_confirmed(sessions, u, session),
            lambda u: u.emit(_event(session, "session.rescheduled", {
                **payload(sessions, session), "by": by, "reason": reason}))]


def _first_meeting_called_off(sessions: Sessions, session: Session, role: str, now: datetime) -> list:
    """A pair's first session cancelled before it took place: their mentorship ends with
    it (matching proposes the next mentor, or not, from the cancellation itself)."""
    if session.follow_up or not session.mentorship_id:
        return []
    m = sessions.repository.get_mentorship(session.mentorship_id)
    if m is None or m.state == ENDED:
        return []
    return mentoring.end_steps(sessions, m, role, session.decline_reason, now, except_session=session.id)


# --- timers --------------------------------------------------------------------------

def run_due_timers(sessions: Sessions, now: datetime | None = None) -> int:
    """Fire the timers due at ``now`` (the worker passes the clock; tests pass any time).
    Each fires once: the timer is removed in the transaction that stores its effect."""
    now = now or utcnow()
    fired = 0
    due = sessions.repository.due_timers(now)
    metrics.TIMERS_DUE.set(len(due))
    for target, kind, due_at in due:
        # A session's timer or a mentorship's, in one unit watched on what it changes.
        of_mentorship = kind in MENTORSHIP_TIMER_KINDS
        uow = sessions.runtime.unit_of_work(watch=[mentorship_key(target) if of_mentorship else session_key(target)])
        try:
            sessions.repository.unschedule(uow.pipe, target, kind)
            steps = (_mentorship_timer if of_mentorship else _session_timer)(sessions, uow, target, kind, now)
            for step in steps:
                step(uow)
            uow.commit()
            fired += bool(steps)
            metrics.TIMER_LATENESS.observe(max(0.0, now.timestamp() - due_at))
        except redis.WatchError:
            continue   # another worker fired it, or someone answered meanwhile: look again next tick
        finally:
            uow.discard()
    return fired


def _session_timer(sessions: Sessions, uow: UnitOfWork, session_id: str, kind: str, now: datetime) -> list:
    session = sessions.repository.get(session_id)
    if session is None:
        return []
    steps = _timer(sessions, session, kind, now)
    sessions.repository.save(uow.pipe, session)
    return steps


def _mentorship_timer(sessions: Sessions, uow: UnitOfWork, mentorship_id: str, kind: str, now: datetime) -> list:
    m = sessions.repository.get_mentorship(mentorship_id)
    if m is None:
        return []
    sessions.repository.watch_calendars(uow, m.mentor["id"], m.trainee["id"])   # an end lets their times go
    return mentoring.fire_timer(sessions, uow, m, kind, now)


def _timer(sessions: Sessions, session: Session, kind: str, now: datetime) -> list:
    repo = sessions.repository
    if kind == "expire" and session.state in (INVITED, SLOT_PROPOSED):
        by = "trainee" if session.state == SLOT_PROPOSED else "mentor"   # whose answer never came
        session.expire(now)
        session.decline_reason = "no answer in time"
        return [lambda u: repo.release(u.pipe, session), lambda u: repo.unschedule(u.pipe, session.id),
                lambda u: u.emit(_event(session, "session.expired", declined_event(sessions, session, by)))]
    reminders = {"invite_reminder": (INVITED, "invite_expiring"), "remind_24h": (CONFIRMED, "starts_in_24h"),
                 "remind_1h": (CONFIRMED, "starts_in_1h")}
    if kind in reminders and session.state == reminders[kind][0]:
        # An invite's reminder restates the deadline the invite gave.
        deadline = {"expires_at": session.expires_at} if kind == "invite_reminder" else {}
        return [lambda u: u.emit(_event(session, "session.reminder", {
            **payload(sessions, session), "kind": reminders[kind][1], **deadline}))]
    if kind == "complete" and session.state == CONFIRMED and now >= session.end_dt:
        session.complete(now)     # a new time nobody answered lapses: its hold goes too
        return [lambda u: sessions.repository.release_move(u.pipe, session),
                lambda u: u.emit(_event(session, "session.completed", payload(sessions, session)))]
    return []


# --- the right to erasure ------------------------------------------------------------

LEFT = "This person has left the programme."


def on_erasure_requested(sessions: Sessions, event: Event, uow: UnitOfWork) -> None:
    """Tell the other side first: an open invite is declined (matching finds the trainee
    another mentor), a booked session still to come is cancelled by the programme. Then
    forget the person's sessions, critiques and ratings."""
    d, now, repo = event.data, utcnow(), sessions.repository
    person_id = d["person_id"]
    first = sessions.runtime.unit_of_work()   # committed before anything is deleted: a retry sees it
    ending = [m for m in repo.mentorships_involving(person_id) if m.state != ENDED]
    for m in ending:
        # The other person is told plainly; a trainee whose mentor left is offered a new one.
        for step in mentoring.end_steps(sessions, m, "programme", LEFT, now, rematch=m.mentor["id"] == person_id,
                                        cancel_sessions=False):
            step(first)
    for session in repo.involving(person_id):
        if session.state in (INVITED, SLOT_PROPOSED):
            session.state, session.decline_reason = DECLINED, LEFT
            first.emit(event.caused("session.declined", session.id, {
                "session_id": session.id, "request_id": session.request_id, "mentor_id": session.mentor["id"],
                "reason": LEFT}, SOURCE))
        elif session.state == CONFIRMED and session.end_dt > now:
            session.cancel("programme", LEFT)
            first.emit(event.caused("session.cancelled", session.id, {
                **payload(sessions, session), "by": "programme", "reason": LEFT}, SOURCE))
        else:
            continue
        repo.release(first.pipe, session)
        repo.unschedule(first.pipe, session.id)
        repo.save(first.pipe, session)
    first.commit()
    removed = forget(sessions.runtime.redis, "sessions", person_id)
    sessions.runtime.redis.delete(mentees_key(person_id))     # a mentor's list of their pairs
    uow.emit(event.caused("person.forgotten", person_id, {
        "person_id": person_id, "service": "sessions", "removed": removed}, SOURCE))


def event_handlers(sessions: Sessions):
    return {"match.proposed": lambda event, uow: on_match_proposed(sessions, event, uow),
            "person.erasure_requested": erasure_handler(
                "sessions", lambda event, uow: on_erasure_requested(sessions, event, uow)),
            # Only the emails an answer is waited for: confirmations, reminders and intake's
            # mail are skipped unopened.
            "notification.sent": Selective(on_notification, awaited_mail),
            "notification.failed": Selective(on_notification, awaited_mail)}
