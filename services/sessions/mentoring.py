"""Mentorships' service layer: the pair formed when a first session is confirmed, the
follow-up sessions either side books, the pair's choices (cadence, pause, end) and
their timers (the end of the term, the nudge after quiet weeks).

Every change is one unit of work watched on the mentorship (and, when it books time, on
both people's calendars), so two clicks at once, or a click and a timer, never both win.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from services.sessions.bootstrap import Sessions
from services.sessions.domain import (
    CANCELLED,
    COMPLETED,
    CONFIRMED,
    DECLINED,
    INVITED,
    SLOT_PROPOSED,
    SLOT_TAKEN,
    Session,
    SessionError,
    answer_by,
    free_slots,
    video_room_url,
)
from services.sessions.mentorship import ACTIVE, ENDED, PAUSED, Mentorship, MentorshipError
from services.sessions.outgoing import (
    PAGE_TTL_DAYS,
    ask,
    declined_event,
    invited_event,
    mentees_page_link,
    mentor_page_link,
    payload,
    schedule_invite,
    session_event,
    survey_link,
    trainee_page_link,
)
from services.sessions.repository import mentorship_key
from shared.availability import windows_of
from shared.events import make_event, utcnow
from shared.store import StillContended, UnitOfWork, claim

SOURCE = "sessions"
OPEN = (INVITED, SLOT_PROPOSED, CONFIRMED)
ATTEMPTS = 20


# --- the pages' links --------------------------------------------------------------------

def verify_page(sessions: Sessions, role: str, subject_id: str, token: str, purpose: str = "mentoring") -> None:
    """Raises ``InvalidLink`` or ``SessionError`` unless ``token`` opens ``role``'s page of
    ``subject_id`` (``purpose``: "mentoring", or "survey" for a closing survey)."""
    if sessions.links.verify(f"{purpose}:{role}", token, max_age_s=PAGE_TTL_DAYS * 86400) != subject_id:
        raise SessionError("wrong_session", "This link is for another mentorship.")


def page_links(sessions: Sessions, m: Mentorship) -> dict[str, dict[str, str]]:
    links = {"trainee": {"mentoring": trainee_page_link(sessions, m.request_id)},
             "mentor": {"mentoring": mentor_page_link(sessions, m.id),
                        "mentees": mentees_page_link(sessions, m.mentor["id"])}}
    if m.state == ENDED:     # the end's email asks each of them how it went
        for role in links:
            links[role]["survey"] = survey_link(sessions, m.id, role)
    return links



def mentee_rows(sessions: Sessions, mentor_id: str, now: datetime) -> list[dict]:
    """The mentor's mentees, active first: each one's next session and last critique."""
    rows = []
    for m in sessions.repository.mentorships_of_mentor(mentor_id):
        held = sessions.repository.get_many(m.session_ids)
        coming = sorted((x for x in held if x.state in OPEN and x.end_dt > now), key=lambda x: x.start)
        critiqued = [x for x in held if x.critique]
        rows.append({"m": m, "next": coming[0] if coming else None,
                     "last_critique": critiqued[-1] if critiqued else None,
                     "page": mentor_page_link(sessions, m.id)})
    return sorted(rows, key=lambda r: (r["m"].state == ENDED, r["m"].started_at))


def _payload(sessions: Sessions, m: Mentorship) -> dict:
    return {"mentorship_id": m.id, "request_id": m.request_id, "mentor": m.mentor, "trainee": m.trainee,
            "discipline": m.discipline, "started_at": m.started_at, "term_ends_at": m.term_ends_at,
            "links": page_links(sessions, m)}


def _event(m: Mentorship, type: str, data: dict):
    return make_event(type, m.id, data, SOURCE, correlation_id=m.correlation_id or None)


# --- forming one -------------------------------------------------------------------------

def on_confirmed(sessions: Sessions, uow: UnitOfWork, session: Session, now: datetime) -> list:
    """A session was confirmed. The first of a pair forms their mentorship (the session
    learns its id before its own event is built); a follow-up moves the nudge on."""
    repo, s = sessions.repository, sessions.settings
    if session.mentorship_id:
        m = repo.get_mentorship(session.mentorship_id)
        if m is None:
            return []
        m.add_session(session.id, session.start)
        return [lambda u: repo.save_mentorship(u.pipe, m),
                lambda u: repo.schedule(u.pipe, m.id, "nudge", m.nudge_due(s.mentorship_nudge_weeks))]
    m = Mentorship.begin(uuid.uuid4().hex, session.request_id, session.mentor, session.trainee, session.discipline,
                         session.id, session.start, now, s.term_months(session.cohort), session.correlation_id)
    session.mentorship_id = m.id
    return [lambda u: repo.save_mentorship(u.pipe, m, new=True),
            lambda u: repo.schedule(u.pipe, m.id, "term_end", m.term_ends),
            lambda u: repo.schedule(u.pipe, m.id, "nudge", m.nudge_due(s.mentorship_nudge_weeks)),
            lambda u: u.emit(_event(m, "mentorship.started", _payload(sessions, m)))]


# --- follow-up sessions ------------------------------------------------------------------

def follow_up_choices(sessions: Sessions, m: Mentorship, now: datetime | None = None,
                      per_week: int = 2) -> list[tuple[datetime, datetime]]:
    """Times both can make over the next FOLLOW_UP_WEEKS, a few in each week, inside both
    people's weekly availability and clear of every session either of them holds."""
    s, now = sessions.settings, now or utcnow()
    busy = sessions.repository.busy(m.mentor["id"], m.trainee["id"])
    lead = s.slot_lead_hours
    out: list[tuple[datetime, datetime]] = []
    for week in range(s.follow_up_weeks):
        start = now + timedelta(weeks=week)
        out += free_slots(windows_of(m.trainee), m.trainee["timezone"], windows_of(m.mentor), m.mentor["timezone"],
                          busy, start, minutes=s.session_minutes, lead_hours=lead if week == 0 else 0,
                          horizon_days=7, limit=per_week, spacing_minutes=24 * 60)
    return [slot for slot in out if slot[1] <= m.term_ends]


def _new_follow_up(sessions: Sessions, m: Mentorship, slot, booked_by: str, now: datetime) -> tuple[Session, list]:
    """A follow-up session at ``slot``. The other person answers it: the mentor an invite
    (as a first one), the trainee a time the mentor proposes (as a proposed other time)."""
    s, repo = sessions.settings, sessions.repository
    last = repo.get(m.session_ids[-1]) if m.session_ids else None
    session = Session(
        id=uuid.uuid4().hex, request_id=m.request_id, match_id=last.match_id if last else "",
        mentor=m.mentor, trainee=m.trainee, discipline=m.discipline, start=slot[0].isoformat(),
        end=slot[1].isoformat(), video_url=video_room_url(s.meeting_base_url), state=INVITED, sequence=0,
        invited_at=now.isoformat(), expires_at=answer_by(now, slot[0], s.invite_ttl_hours,
                                                         s.answer_margin_hours).isoformat(),
        correlation_id=m.correlation_id, focus_skills=last.focus_skills if last else [],
        goals=last.goals if last else "", reel_url=last.reel_url if last else "",
        mentorship_id=m.id, follow_up=True, booked_by=booked_by)
    if booked_by == "mentor":
        session.state = SLOT_PROPOSED
        session.proposed_start, session.proposed_end = session.start, session.end
        announced = session_event(session, "session.slot_proposed", payload(sessions, session))
    else:
        announced = session_event(session, "session.invited", invited_event(sessions, session))
    m.add_session(session.id, session.start)

    return session, [lambda u: repo.save(u.pipe, session), lambda u: repo.book(u.pipe, session),
                     lambda u: schedule_invite(sessions, u, session, now),
                     lambda u: repo.save_mentorship(u.pipe, m),
                     lambda u: repo.schedule(u.pipe, m.id, "nudge", m.nudge_due(s.mentorship_nudge_weeks)),
                     lambda u: ask(sessions, u, announced)]


def _upcoming(sessions: Sessions, m: Mentorship, now: datetime) -> list[Session]:
    return [x for x in sessions.repository.get_many(m.session_ids) if x.state in OPEN and x.end_dt > now]


def _in_unit(sessions: Sessions, mentorship_id: str, work, calendars: bool = False):
    """Run ``work(uow, mentorship)`` once, watched on the mentorship (and both calendars)."""
    def start() -> UnitOfWork:
        return sessions.runtime.unit_of_work(watch=[mentorship_key(mentorship_id)])

    def unit(uow: UnitOfWork):
        m = sessions.repository.get_mentorship(mentorship_id)
        if m is None:
            raise SessionError("not_found", "No such mentorship.")
        if calendars:
            sessions.repository.watch_calendars(uow, m.mentor["id"], m.trainee["id"])
        return work(uow, m)
    try:
        result = claim(start, unit, ATTEMPTS)
    except StillContended as exc:
        raise SessionError("already_answered", "This was changed at the same moment from somewhere else.") from exc
    return result


def book_follow_up(sessions: Sessions, mentorship_id: str, role: str, start_iso: str) -> Session:
    """``role`` books the pair's next session at one of the offered times."""
    def work(uow: UnitOfWork, m: Mentorship) -> Session:
        now = utcnow()
        try:
            m.can_book(now)
        except MentorshipError as exc:
            raise SessionError(exc.code, str(exc)) from exc
        slot = next((x for x in follow_up_choices(sessions, m, now) if x[0].isoformat() == start_iso), None)
        if slot is None:
            raise SessionError(SLOT_TAKEN, "That time was just taken. Please choose another.")
        session, steps = _new_follow_up(sessions, m, slot, role, now)
        for step in steps:
            step(uow)
        return session
    return _in_unit(sessions, mentorship_id, work, calendars=True)


def after_critique(sessions: Sessions, uow: UnitOfWork, session: Session, now: datetime) -> list:
    """With a cadence chosen, the pair's next session is proposed after each critique: the
    first time both can make from ``cadence`` weeks after this one, unless one is booked."""
    if not session.mentorship_id:
        return []
    m = sessions.repository.get_mentorship(session.mentorship_id)
    if m is None or m.state != ACTIVE or not m.cadence_weeks or _upcoming(sessions, m, now):
        return []
    sessions.repository.watch_calendars(uow, m.mentor["id"], m.trainee["id"])
    uow.watch(mentorship_key(m.id))
    target = max(now, session.start_dt + timedelta(weeks=m.cadence_weeks) - timedelta(days=3))
    slot = next(iter(follow_up_choices(sessions, m, target, per_week=1)), None)
    if slot is None:
        return []
    return _new_follow_up(sessions, m, slot, "cadence", now)[1]


# --- the pair's choices --------------------------------------------------------------------

def _change(sessions: Sessions, mentorship_id: str, change) -> Mentorship:
    """Apply ``change(mentorship)`` and store it, in one unit watched on the mentorship."""
    def work(uow: UnitOfWork, m: Mentorship) -> Mentorship:
        change(m)
        sessions.repository.save_mentorship(uow.pipe, m)
        return m
    return _in_unit(sessions, mentorship_id, work)


def set_cadence(sessions: Sessions, mentorship_id: str, weeks: int) -> Mentorship:
    return _change(sessions, mentorship_id, lambda m: m.set_cadence(weeks))


def pause(sessions: Sessions, mentorship_id: str, resume: bool = False) -> Mentorship:
    return _change(sessions, mentorship_id, lambda m: m.resume() if resume else m.pause())


def toggle_addressed(sessions: Sessions, mentorship_id: str, note_ref: str) -> Mentorship:
    return _change(sessions, mentorship_id, lambda m: m.toggle_addressed(note_ref))


def end(sessions: Sessions, mentorship_id: str, by: str, reason: str, shared: bool = False,
        rematch: bool = False) -> Mentorship:
    def work(uow: UnitOfWork, m: Mentorship) -> Mentorship:
        for step in end_steps(sessions, m, by, reason, utcnow(), shared, rematch):
            step(uow)
        return m
    return _in_unit(sessions, mentorship_id, work, calendars=True)


def end_steps(sessions: Sessions, m: Mentorship, by: str, reason: str, now: datetime, shared: bool = False,
              rematch: bool = False, cancel_sessions: bool = True, except_session: str = "") -> list:
    """End ``m``; its sessions still to come are let go (``except_session``: one its
    caller is cancelling itself).

    If the pair's first session is still to come, it is called off with the mentorship
    (here, by the caller or by an erasure), and matching answers that cancellation, as for
    any first session: it releases the proposal and, with ``rematch``, proposes the next
    mentor. The end then says so (``first_session_called_off``), so that matching does not
    act on it twice, whichever of the two events it reads first."""
    repo = sessions.repository
    m.end(by, reason, now, shared, rematch)
    steps: list = [lambda u: repo.save_mentorship(u.pipe, m), lambda u: repo.unschedule(u.pipe, m.id, "term_end",
                                                                                          "nudge")]
    held, first_called_off = 0, False
    for session in repo.get_many(m.session_ids):
        held += session.state == COMPLETED
        if session.id == m.session_ids[0]:
            first_called_off = session.state in OPEN and session.end_dt > now
        if (not cancel_sessions or session.id == except_session or session.state not in OPEN
                or session.end_dt <= now):
            continue
        if session.state == CONFIRMED:
            session.state, session.cancelled_by = CANCELLED, "programme" if by in ("term", "programme") else by
            session.sequence += 1
        else:
            session.state = DECLINED
        session.decline_reason = "the mentorship ended"
        steps += [lambda u, x=session: repo.release(u.pipe, x), lambda u, x=session: repo.unschedule(u.pipe, x.id),
                  lambda u, x=session: repo.save(u.pipe, x)]
        if session.state == CANCELLED:     # calendars drop the event
            steps.append(lambda u, x=session: u.emit(session_event(x, "session.cancelled", {
                **payload(sessions, x), "by": x.cancelled_by, "reason": x.decline_reason, "rematch": m.rematch})))
        else:     # an open invite: matching lets the time go; nobody is mailed (the end's email says it)
            steps.append(lambda u, x=session: u.emit(session_event(x, "session.declined",
                                                                   declined_event(sessions, x, tell=False))))
    steps.append(lambda u: u.emit(_event(m, "mentorship.ended", {
        **_payload(sessions, m), "by": m.ended_by, "reason": m.end_reason, "reason_shared": m.reason_shared,
        "rematch": m.rematch, "ended_at": m.ended_at, "sessions_held": held,
        "first_session_called_off": first_called_off})))
    return steps


def answer_survey(sessions: Sessions, mentorship_id: str, role: str, useful: int, again: bool,
                  comment: str) -> Mentorship:
    """``role``'s closing survey, once: kept with the mentorship and told to matching, where
    staff read it beside how the pair went (the comment sealed with its author's key)."""
    def work(uow: UnitOfWork, m: Mentorship) -> Mentorship:
        try:
            answers = m.answer_survey(role, useful, again, comment, utcnow())
        except MentorshipError as exc:
            raise SessionError(exc.code, str(exc)) from exc
        sessions.repository.save_mentorship(uow.pipe, m)
        author = m.trainee if role == "trainee" else m.mentor
        uow.emit(_event(m, "mentorship.surveyed", {
            "mentorship_id": m.id, "request_id": m.request_id, "role": role, "author_id": author["id"],
            "useful": answers["useful"], "again": answers["again"], "comment": answers["comment"],
            "answered_at": answers["at"]}))
        return m
    return _in_unit(sessions, mentorship_id, work)


# --- timers ----------------------------------------------------------------------------------

def fire_timer(sessions: Sessions, uow: UnitOfWork, m: Mentorship, kind: str, now: datetime) -> list:
    """What a due mentorship timer does (run under a watch on the mentorship)."""
    s, repo = sessions.settings, sessions.repository
    if m.state not in (ACTIVE, PAUSED):
        return []
    if kind == "term_end" and now >= m.term_ends:
        return end_steps(sessions, m, "term", "", now, cancel_sessions=False)
    if kind == "nudge" and m.state == ACTIVE:
        if _upcoming(sessions, m, now) or now < m.nudge_due(s.mentorship_nudge_weeks):
            later = max(m.nudge_due(s.mentorship_nudge_weeks), now + timedelta(weeks=1))
            return [lambda u: repo.schedule(u.pipe, m.id, "nudge", later)]
        # Quiet for the set weeks: both get a one-click way back; asked again after as long again.
        return [lambda u: repo.schedule(u.pipe, m.id, "nudge", now + timedelta(weeks=s.mentorship_nudge_weeks)),
                lambda u: u.emit(_event(m, "mentorship.nudged", {
                    **_payload(sessions, m), "quiet_weeks": s.mentorship_nudge_weeks}))]
    return []


# --- a page's view of the pair's history --------------------------------------------------------

def history(sessions: Sessions, mentorships: list[Mentorship]) -> list[tuple[Mentorship, list[Session]]]:
    return [(m, sessions.repository.get_many(m.session_ids)) for m in mentorships]


def score_series(sessions_held: list[Session]) -> list[dict]:
    """Each critique's rubric scores in order: ``{"at": start, "scores": {criterion: score}}``."""
    return [{"at": x.start, "session_id": x.id,
             "scores": {line["criterion"]: int(line["score"]) for line in x.critique.get("rubric", [])}}
            for x in sessions_held if x.critique]


def technical_updates(sessions_held: list[Session]) -> list[dict]:
    """Every technical update of every critique, the newest first."""
    out = []
    for x in sessions_held:
        for entry in (x.critique or {}).get("updates", []):
            out.append({**entry, "at": x.start})
    return sorted(out, key=lambda e: e["at"], reverse=True)
