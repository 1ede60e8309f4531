"""Matching's service layer: what each consumed event does."""
from __future__ import annotations

import uuid

import redis

from services.matching.bootstrap import Matching
from services.matching.domain import MentorProfile, TraineeRequest
from services.matching.explain import explain
from services.matching.pool import Ranking
from services.matching.ranker import rank_request
from shared.availability import find_slot
from shared.consumer import BatchPreparer
from shared.erasure import erasure_handler, forget
from shared.events import Event, make_event, utcnow
from shared.privacy import erased_person
from shared.store import UnitOfWork

SOURCE = "matching"
NEXT_CANDIDATES = 3
# Rankings tried before a claim on the chosen mentor's capacity holds (each one after
# another worker changed that mentor's load); past it, the whole unit runs again.
CLAIM_ROUNDS = 10
# Mentors passed over in one proposal because their calendar is full (a bound on the
# re-rankings; past it, the best is proposed and sessions says if no time fits).
CALENDAR_SKIPS = 30
# How many waiting requests (oldest first) one new mentor profile is looked at against,
# and how many of those that share a language with them are ranked at most (the scan
# stops sooner, once the mentor's places are taken).
WAITLIST_SCAN = 2000
WAITLIST_BATCH = 50


def _month(event: Event) -> str:
    return event.time.strftime("%Y-%m")


def on_mentor_registered(matching: Matching, event: Event, uow: UnitOfWork) -> None:
    d = event.data
    # A paused mentor (on holiday) stays known but has no capacity: no proposals, no invites.
    mentor = MentorProfile(id=d["mentor"]["id"], person=d["mentor"], skills=d["skills"],
                           disciplines=d["disciplines"], bio=d.get("bio", ""),
                           monthly_capacity=0 if d.get("paused") else d["monthly_capacity"],
                           attributes=d.get("attributes") or {})
    matching.repository.save_mentor(uow.pipe, mentor)
    matching.directory.refresh()
    matching.directory.add(mentor)
    if d.get("paused"):
        return
    # A request may have arrived before any mentor who fits it: try the waiting ones.
    _offer_waiting(matching, mentor, event, uow, {})


def _offer_waiting(matching: Matching, mentor: MentorProfile, cause: Event, uow: UnitOfWork,
                   pending: dict[str, int]) -> None:
    """``mentor`` has places (new, or one just freed): rank the waiting requests again,
    oldest first, until their places are taken. ``pending``: load changes made in this
    unit and not in Redis yet (a freed place is -1); each proposal adds to it.

    Only requests this mentor could serve: otherwise a few requests nobody speaks the
    language of would sit at the head of the list and be ranked again every time.
    What this changes for a waiting request is this mentor alone: once their places are
    taken, ranking the rest of the list again would find what it found before. (It also
    keeps the transaction short: several workers welcoming mentors at once all watch the
    head of the list, and a long unit that loses keeps losing, past the poll interval,
    which costs the group a rebalance.)"""
    waiting = matching.repository.waiting(WAITLIST_SCAN)
    if not waiting or mentor.monthly_capacity <= 0:
        return
    speaks = set(mentor.person["languages"])
    # Read under the watch on their capacity: a place taken or freed meanwhile runs the unit again.
    taken = matching.repository.load_for_update(uow, utcnow().strftime("%Y-%m"), mentor.id)
    tried = 0
    for request_id in waiting:
        if taken + pending.get(mentor.id, 0) >= mentor.monthly_capacity:
            break
        # Claimed for update: a copy of this worker handling another new mentor at once
        # may be proposing for the same waiting request; only one of the two commits.
        request = matching.repository.get_request(request_id, uow)
        if request is None or request.current_mentor is not None or not speaks & set(request.trainee["languages"]):
            continue
        propose_next_mentor(matching, request, cause, uow, announce_failure=False, pending_load=pending)
        tried += 1
        if tried == WAITLIST_BATCH:
            break


def on_mentorship_requested(matching: Matching, event: Event, uow: UnitOfWork) -> None:
    d = event.data
    if matching.repository.get_request(d["request_id"], uow) is not None:
        return  # already matching this one (a replayed event with a new id)
    request = _requested(d)
    matching.repository.remember_request(uow.pipe, request.request_id)
    matching.repository.index_request(uow.pipe, request)
    if request.cohort:
        # Programme staff assign this cohort together (exactly, under capacities).
        matching.repository.save_request(uow.pipe, request)
        matching.repository.hold_for_cohort(uow.pipe, request.cohort, request.request_id)
        return
    propose_next_mentor(matching, request, event, uow)


def _requested(d: dict) -> TraineeRequest:
    return TraineeRequest(request_id=d["request_id"], trainee=d["trainee"], discipline=d["discipline"],
                          focus_skills=d["focus_skills"], goals=d["goals"], reel_url=d.get("reel_url", ""),
                          equity=d.get("equity"), cohort=d.get("cohort", ""))


def batch_preparer(matching: Matching) -> BatchPreparer:
    """A poll's new requests vectorised and scored against the pool together (issue #21):
    each is still ranked on its own, in its own unit of work, with the same numbers
    (``PreparedVectors``; docs/decisions/0012-cpu.md, step 19)."""
    def prepare(events: list[Event]) -> None:
        matching.directory.refresh()
        matching.prepared.prepare(matching.directory.pool,
                                  [(e.id, _requested(e.data)) for e in events if not e.data.get("cohort")])
    return BatchPreparer(frozenset({"mentorship.requested"}), prepare)


def on_mentor_unavailable(matching: Matching, event: Event, uow: UnitOfWork) -> None:
    """The proposed mentor declined, let the invite expire, cancelled, or no slot fits
    both: propose the next one (a trainee who cancels ends the request instead)."""
    d = event.data
    mentor_id = d.get("mentor_id") or d["mentor"]["id"]
    if d.get("session_id"):
        matching.repository.free_time(uow.pipe, mentor_id, d["session_id"])
    if d.get("follow_up"):
        record = _answered(matching, uow, d)
        if record is not None:
            matching.repository.save_mentorship(uow.pipe, record)
        return  # a pair's later session: the pair goes on, and the trainee decides what next
    request = matching.repository.get_request(d["request_id"], uow)
    if request is None or request.current_mentor != mentor_id:
        return  # stale: about a proposal that is no longer current
    # Release the load in the month the proposal counted it, which may not be this one.
    month = _proposal_month(matching, request.request_id, mentor_id, _month(event))
    matching.repository.change_load(uow.pipe, month, mentor_id, -1)
    # Not in Redis until this unit commits: what the rankings below must count.
    freed_now = month == utcnow().strftime("%Y-%m")
    pending = {mentor_id: -1} if freed_now else {}
    outcome = {"session.declined": "declined", "session.expired": "expired", "session.cancelled": "cancelled"}
    if event.type in outcome:
        _record_outcome(matching, uow, event, request, outcome[event.type])
    if event.type == "session.cancelled" and d.get("by") == "trainee" and not d.get("rematch"):
        request.current_mentor = None
        matching.repository.save_request(uow.pipe, request)
    else:
        propose_next_mentor(matching, request, event, uow, pending_load=pending)
    # The place this mentor freed goes to who waited longest, not only to the next new request.
    if freed_now and mentor_id in matching.directory.pool.row_of:
        _offer_waiting(matching, matching.directory.get(mentor_id), event, uow, pending)


def on_proposal_answered(matching: Matching, event: Event, uow: UnitOfWork) -> None:
    """Sessions answered a proposal (an invite, or no common time): stop asking again,
    then go on as for any invite or unavailable mentor."""
    if event.data.get("match_id"):
        uow.arrived(_session_for(event.data["match_id"]))
    if event.type == "session.unschedulable":
        on_mentor_unavailable(matching, event, uow)
    else:
        on_follow_up_asked(matching, event, uow)


def on_session_booked(matching: Matching, event: Event, uow: UnitOfWork) -> None:
    """An invite, a proposed or moved time: the mentor is held then (matching's copy of
    their calendar, so it never proposes a mentor with no free slot)."""
    d = event.data
    matching.repository.hold_time(uow.pipe, d["mentor"]["id"], d["session_id"], d["start"], d["end"])


def on_follow_up_asked(matching: Matching, event: Event, uow: UnitOfWork) -> None:
    """A pair's follow-up waits for an answer (the mentor's to an invite, the trainee's to a
    time the mentor proposed): staff see it until it is answered or lets go, and whether
    the reminder went out."""
    on_session_booked(matching, event, uow)
    d = event.data
    if not (d.get("follow_up") and d.get("mentorship_id")):
        return
    record = matching.repository.mentorship_for_update(uow, d["mentorship_id"])
    waiting = record.setdefault("waiting", {})
    entry = waiting.setdefault(d["session_id"], {"since": event.time.isoformat()})
    entry.update({"on": "mentor" if event.type == "session.invited" else "trainee", "start": d["start"],
                  "expires_at": d.get("expires_at", entry.get("expires_at", ""))})
    matching.repository.save_mentorship(uow.pipe, record)


def on_session_reminder(matching: Matching, event: Event, uow: UnitOfWork) -> None:
    d = event.data
    if d["kind"] != "invite_expiring" or not (d.get("follow_up") and d.get("mentorship_id")):
        return
    record = matching.repository.mentorship_for_update(uow, d["mentorship_id"])
    if d["session_id"] in record.get("waiting", {}):
        record["waiting"][d["session_id"]]["reminded"] = True
        matching.repository.save_mentorship(uow.pipe, record)


def _answered(matching: Matching, uow: UnitOfWork, d: dict) -> dict | None:
    """The pair's record with ``d``'s follow-up no longer waiting (None: not a pair's session)."""
    if not d.get("mentorship_id"):
        return None
    record = matching.repository.mentorship_for_update(uow, d["mentorship_id"])
    record.get("waiting", {}).pop(d["session_id"], None)
    return record


def on_session_confirmed(matching: Matching, event: Event, uow: UnitOfWork) -> None:
    on_session_booked(matching, event, uow)
    d = event.data
    record = _answered(matching, uow, d)
    if record is not None:    # the pair's sessions, for staff's view of how mentorships go
        if d["session_id"] not in record["sessions"]:
            record["sessions"].append(d["session_id"])
        record["last_session_at"] = max(record.get("last_session_at", ""), d["start"])
        matching.repository.save_mentorship(uow.pipe, record)
    if d.get("follow_up"):
        return  # the proposal's outcome was the pair's first session
    request = matching.repository.get_request(event.data["request_id"], uow)
    if request is not None:
        _record_outcome(matching, uow, event, request, "accepted")


def on_session_rated(matching: Matching, event: Event, uow: UnitOfWork) -> None:
    request = matching.repository.get_request(event.data["request_id"], uow)
    if request is not None and request.current_mentor == event.data["mentor_id"]:
        _record_outcome(matching, uow, event, request, "accepted", rating=event.data["rating"])


def _proposal_month(matching: Matching, request_id: str, mentor_id: str, fallback: str) -> str:
    proposals = [p for p in matching.repository.proposals(request_id) if p["mentor"]["id"] == mentor_id]
    return proposals[-1]["at"][:7] if proposals else fallback


def on_mentorship_started(matching: Matching, event: Event, uow: UnitOfWork) -> None:
    """The pair meets on: the mentee counts against the mentor's capacity every month
    until the mentorship ends (in its first month through the proposal, never twice)."""
    d = event.data
    month = _proposal_month(matching, d["request_id"], d["mentor"]["id"], _month(event))
    matching.repository.mentee_started(uow.pipe, d["mentorship_id"], d["mentor"]["id"], month)
    request = matching.repository.get_request(d["request_id"])
    record = matching.repository.mentorship_for_update(uow, d["mentorship_id"])
    record.update({
        "request_id": d["request_id"], "trainee": {"id": d["trainee"]["id"]}, "mentor_id": d["mentor"]["id"],
        "mentor_group": d["mentor"].get("region", "unknown"),
        "trainee_group": request.group if request else "unknown", "started_at": d["started_at"],
        "term_ends_at": d["term_ends_at"]})
    record.setdefault("state", "active")
    matching.repository.save_mentorship(uow.pipe, record)


def on_mentorship_ended(matching: Matching, event: Event, uow: UnitOfWork) -> None:
    """The mentee no longer counts. A trainee who asked for a new mentor (or whose mentor
    left) is proposed the best mentor not tried yet: never the previous one. A pair carried
    from an earlier month frees a place this month, which goes to who waited longest."""
    d = event.data
    mentor_id = d["mentor"]["id"]
    since = matching.repository.mentee_since(uow, d["mentorship_id"], mentor_id)
    matching.repository.mentee_ended(uow.pipe, d["mentorship_id"], mentor_id)
    # In its first month the pair counts through its proposal, which stays: nothing is freed then.
    pending = {mentor_id: -1} if since is not None and since < utcnow().strftime("%Y-%m") else {}
    _end_mentorship(matching, event, uow, pending)
    if pending:
        matching.directory.refresh()      # this copy may not have seen the mentor yet
        if mentor_id in matching.directory.pool.row_of:
            _offer_waiting(matching, matching.directory.get(mentor_id), event, uow, pending)


def _end_mentorship(matching: Matching, event: Event, uow: UnitOfWork, pending: dict[str, int]) -> None:
    d = event.data
    record = matching.repository.mentorship_for_update(uow, d["mentorship_id"])
    record.update({"state": "ended", "ended_at": d["ended_at"], "ended_by": d["by"], "reason": d.get("reason", ""),
                   "reason_shared": d.get("reason_shared", False), "sessions_held": d.get("sessions_held", 0),
                   "rematch": d.get("rematch", False), "term_ends_at": d["term_ends_at"], "waiting": {}})
    matching.repository.save_mentorship(uow.pipe, record)
    if not d.get("rematch") or d.get("first_session_called_off"):
        return   # nothing to do, or the first session's cancellation does it (on_mentor_unavailable)
    request = matching.repository.get_request(d["request_id"], uow)
    if request is not None and request.current_mentor == d["mentor"]["id"]:
        propose_next_mentor(matching, request, event, uow, pending_load=pending)


def on_mentorship_surveyed(matching: Matching, event: Event, uow: UnitOfWork) -> None:
    """A closing survey, kept with staff's record of the pair (a replay writes the same)."""
    d = event.data
    record = matching.repository.mentorship_for_update(uow, d["mentorship_id"])
    record.setdefault("survey", {})[d["role"]] = {"useful": d["useful"], "again": d["again"],
                                                   "comment": d.get("comment", ""), "at": d["answered_at"]}
    matching.repository.save_mentorship(uow.pipe, record)


def on_critique_submitted(matching: Matching, event: Event, uow: UnitOfWork) -> None:
    """The mentor followed through: counted per mentor group for the report."""
    matching.repository.record_critique(uow.pipe, event.data["mentor"].get("region", "unknown"))


def _record_outcome(matching: Matching, uow: UnitOfWork, event: Event, request: TraineeRequest, outcome: str,
                    rating: int | None = None):
    proposals = [p for p in matching.repository.proposals(request.request_id)
                 if p["mentor"]["id"] == request.current_mentor]
    if proposals:
        p = proposals[-1]
        matching.repository.record_outcome(uow.pipe, {
            "request_id": request.request_id, "mentor_id": p["mentor"]["id"], "outcome": outcome,
            "features": p["features"], "mentor_group": p["mentor"].get("region", "unknown"),
            "trainee_group": request.group, "at": event.time.isoformat(), "rating": rating})


def propose_next_mentor(matching: Matching, request: TraineeRequest, cause: Event, uow: UnitOfWork,
                        announce_failure: bool = True, pending_load: dict[str, int] | None = None) -> str | None:
    """Rank the mentors not tried yet for ``request``; propose the best who has a free
    slot in common with the trainee (returning who), or put the request on the waitlist
    (saying why, unless it was waiting already). ``request`` must have been read for
    update (``get_request(id, uow)``). ``pending_load``: load changes already made in
    this transaction, not yet in Redis; the proposal made here is added to it."""
    if not matching.prepared.holds(request, cause.id):
        # A request of the batch just prepared ranks on the directory as the preparer
        # refreshed it, moments ago: a second look would be a round trip per request for
        # what a mentor changing a few milliseconds later would also miss (step 30).
        matching.directory.refresh()
    now = utcnow()
    month = now.strftime("%Y-%m")
    weights, policy = matching.policy()
    pending = pending_load if pending_load is not None else {}
    load = matching.repository.active_load(month)
    for mentor_id, extra in pending.items():
        load[mentor_id] = load.get(mentor_id, 0) + extra
    no_time: list[str] = []
    claims = 0
    pool = matching.directory.pool
    vector = matching.prepared.vector(pool, request, cause.id)     # once, however many rankings follow
    exposure, expected = matching.exposure.both(policy.group_attribute)
    while True:
        ranking = rank_request(pool, request, weights, policy, load, exposure, expected,
                               exclude=[*request.tried, *no_time], vector=vector)
        if not ranking:
            _wait_for_mentor(request, cause, uow, matching, now, announce_failure, no_time)
            return None
        best = ranking.mentors[0].mentor_id
        if len(no_time) < CALENDAR_SKIPS and not _has_free_slot(matching, request, best, now):
            no_time.append(best)    # booked up in the horizon: sessions would only say so
            continue
        # Claim the mentor's capacity: their load read again under a watch. If another
        # worker changed it since the ranking read it, rank again with what is true now;
        # if it changes after this read, the commit fails and the whole unit runs again.
        claimed = matching.repository.load_for_update(uow, month, best) + pending.get(best, 0)
        if claimed == load.get(best, 0):
            _propose(matching, request, ranking, weights.version, policy.group_attribute, cause, uow, now)
            pending[best] = pending.get(best, 0) + 1
            return best
        load[best] = claimed
        claims += 1
        if claims == CLAIM_ROUNDS:
            raise redis.WatchError("mentors' loads kept changing while ranking; the unit runs again")


def _has_free_slot(matching: Matching, request: TraineeRequest, mentor_id: str, now) -> bool:
    """Whether the mentor has a session-long slot in common with the trainee inside the
    booking horizon, clear of the times sessions reported them booked."""
    mentor = matching.directory.get(mentor_id)
    s = matching.runtime.settings
    return find_slot(request.windows, request.trainee["timezone"], mentor.windows, mentor.person["timezone"],
                     matching.repository.booked_times(mentor_id, now), now, minutes=s.session_minutes,
                     lead_hours=s.slot_lead_hours,
                     horizon_days=s.horizon_days) is not None


def _wait_for_mentor(request: TraineeRequest, cause: Event, uow: UnitOfWork, matching: Matching, now,
                     announce_failure: bool, no_time: list[str]) -> None:
    request.current_mentor = None
    matching.repository.save_request(uow.pipe, request)
    matching.repository.wait(uow.pipe, request.request_id, now.timestamp())
    if announce_failure:
        reason = ("no mentor shares a language, has capacity left and enough free time in common"
                  if not request.tried else
                  f"all {len(request.tried)} suitable mentors were asked and none could take it")
        if no_time:
            reason += f"; {len(no_time)} more are booked up in the coming {matching.runtime.settings.horizon_days} days"
        uow.emit(cause.caused("match.failed", request.request_id, {
            "request_id": request.request_id,
            "reason": reason + "; we will try again as new mentors join"}, SOURCE))


def _propose(matching: Matching, request: TraineeRequest, result: Ranking, weights_version: int,
             attribute: str, cause: Event, uow: UnitOfWork, now) -> None:
    best = result.mentors[0]
    proposal = _record_proposal(
        matching, request, best.mentor_id, best.score, best.breakdown, best.features,
        [r.mentor_id for r in result.mentors[1:NEXT_CANDIDATES + 1]], weights_version, uow, now,
        ranking=[{"mentor_id": r.mentor_id, "score": r.score} for r in result.mentors])
    matching.exposure.record(uow.pipe, attribute, result)
    _ask_sessions(matching, uow, cause.caused("match.proposed", request.request_id, proposal, SOURCE))


def propose_from_cohort(matching: Matching, request: TraineeRequest, assignment: dict, weights_version: int,
                        attribute: str, uow: UnitOfWork, now, cohort_id: str) -> None:
    """Propose the mentor a confirmed cohort assignment chose for ``request``."""
    proposal = _record_proposal(matching, request, assignment["mentor_id"], assignment["score"],
                                assignment["breakdown"], assignment["features"], [], weights_version, uow, now,
                                cohort_id=cohort_id)
    _ask_sessions(matching, uow, make_event("match.proposed", request.request_id, proposal, SOURCE))


def _ask_sessions(matching: Matching, uow: UnitOfWork, proposed: Event) -> None:
    """Emit a proposal and send it again until sessions answers it (an invite or no common
    time): a proposal the bus lost still becomes a session (shared.outbox, a step that must follow)."""
    uow.expect(proposed, answer=_session_for(proposed.data["match_id"]),
               after_s=matching.runtime.settings.redrive_after_s)


def _session_for(match_id: str) -> str:
    return f"session:{match_id}"


def _record_proposal(matching: Matching, request: TraineeRequest, mentor_id: str, score: float, breakdown: dict,
                     features: dict, next_candidates: list[str], weights_version: int, uow: UnitOfWork, now,
                     **extra) -> dict:
    """Update the request, the mentor's load and the proposal log; returns the event data."""
    mentor = matching.directory.get(mentor_id)
    request.attempt += 1
    request.tried.append(mentor_id)
    request.current_mentor = mentor_id
    proposal = {
        "request_id": request.request_id, "match_id": uuid.uuid4().hex, "attempt": request.attempt,
        "trainee": request.trainee, "mentor": mentor.person, "discipline": request.discipline,
        "focus_skills": request.focus_skills, "goals": request.goals, "reel_url": request.reel_url,
        "score": score, "breakdown": breakdown, "weights_version": weights_version, "cohort": request.cohort,
        "next_candidates": next_candidates, "why": explain(request, mentor, breakdown, now),
    }
    matching.repository.save_request(uow.pipe, request)
    matching.repository.stop_waiting(uow.pipe, request.request_id)
    if request.cohort:
        matching.repository.release_from_cohort(uow.pipe, request.cohort, request.request_id)
    matching.repository.change_load(uow.pipe, now.strftime("%Y-%m"), mentor_id, +1)
    matching.repository.index_mentor_of(uow.pipe, request.request_id, mentor)
    matching.repository.record_proposal(uow.pipe, request.request_id, {
        **proposal, "features": features, "at": now.isoformat(), "trainee_group": request.group,
        "equity": request.equity, **extra})
    return proposal


def on_notification(matching: Matching, event: Event, uow: UnitOfWork) -> None:
    """Keep what notifications reported about a request's emails, for staff's request page."""
    d = event.data
    if not d["request_id"] or d["request_id"].startswith("mentor:"):
        return
    matching.repository.record_email(uow.pipe, d["request_id"], {
        "kind": d["kind"], "to": d["recipient_role"], "status": "sent" if event.type == "notification.sent"
        else "failed", "at": event.time.isoformat(), "error": d.get("error", "")})


# What a person typed, per event type: the field, and who wrote it (``by``, or the mentor).
_WRITTEN = {"session.declined": "message", "session.slot_proposed": "reason", "session.rescheduled": "reason",
            "session.cancelled": "reason", "session.move_proposed": "reason", "session.move_declined": "reason",
            "mentorship.ended": "reason"}


def on_message(matching: Matching, event: Event, uow: UnitOfWork) -> None:
    """Keep what a trainee or a mentor wrote (a reason, a note with a new time) for staff's
    request page, with who wrote it and when. Texts the system filled in (a programme's
    cancellation, a lapsed invite) carry no author and are not kept here. Each entry names
    its author as ``person``, so erasing them deletes it (shared.erasure)."""
    d = event.data
    text = (d.get(_WRITTEN[event.type]) or "").strip()
    by = "mentor" if event.type == "session.slot_proposed" else d.get("by", "mentor")
    if not text or by not in ("trainee", "mentor") or d.get("first_session_called_off"):
        return   # nothing typed; or an end that cancelled the first session, whose words that carries
    if by == "mentor":
        author = (d.get("mentor") or {}).get("id") or d.get("mentor_id", "")
    else:
        author = (d.get("trainee") or {}).get("id") or d.get("trainee_id", "")
    if not author:
        return
    matching.repository.record_message(uow.pipe, d["request_id"], {
        "id": event.id, "at": event.time.isoformat(), "event": event.type, "by": by, "person": {"id": author},
        "follow_up": bool(d.get("follow_up")), "shared": _shared(event), "text": text})


def _shared(event: Event) -> bool:
    """Whether the other person reads it too, as the form that took it said: a first
    invite's decline reason and an end's reason not shared are the programme's alone."""
    d = event.data
    if event.type == "session.declined":
        return bool(d.get("follow_up"))
    if event.type == "mentorship.ended":
        return bool(d.get("reason_shared"))
    return True


def on_erasure_requested(matching: Matching, event: Event, uow: UnitOfWork) -> None:
    """Forget a person: their requests and proposals, or their profile. An erased mentor
    stays in the pool as an empty row with no capacity, so no replica can propose them;
    the fairness aggregates stay (no personal field)."""
    d = event.data
    removed = forget(matching.runtime.redis, "matching", d["person_id"])
    for request_id in d["request_ids"]:
        matching.repository.forget_request(uow.pipe, request_id)
    if d["role"] == "mentor":
        matching.repository.unindex_mentor(uow.pipe, d["person_id"])
        gone = MentorProfile(id=d["person_id"], person=erased_person(d["person_id"]), skills=[], disciplines=[],
                             bio="", monthly_capacity=0)
        matching.repository.save_mentor(uow.pipe, gone)
        matching.directory.add(gone)
    uow.emit(event.caused("person.forgotten", d["person_id"], {
        "person_id": d["person_id"], "service": "matching", "removed": removed}, SOURCE))


def event_handlers(matching: Matching):
    own = {
        "profile.mentor_registered": on_mentor_registered,
        "mentorship.requested": on_mentorship_requested,
        "mentorship.started": on_mentorship_started,
        "mentorship.ended": on_mentorship_ended,
        "mentorship.surveyed": on_mentorship_surveyed,
        "session.declined": on_mentor_unavailable,
        "session.unschedulable": on_proposal_answered,
        "session.confirmed": on_session_confirmed,
        "session.invited": on_proposal_answered,
        "session.slot_proposed": on_follow_up_asked,
        "session.reminder": on_session_reminder,
        "session.rescheduled": on_session_booked,
        "session.expired": on_mentor_unavailable,
        "session.cancelled": on_mentor_unavailable,
        "session.rated": on_session_rated,
        "critique.submitted": on_critique_submitted,
        "person.erasure_requested": on_erasure_requested,
        "notification.sent": on_notification,
        "notification.failed": on_notification,
    }

    def bind(event_type: str):
        steps = [fn for fn in (own.get(event_type), on_message if event_type in _WRITTEN else None) if fn]

        def handle(event, uow):
            for step in steps:     # the event's own work, then what its author wrote is kept
                step(matching, event, uow)
        return handle
    handlers = {event_type: bind(event_type) for event_type in own.keys() | _WRITTEN.keys()}
    handlers["person.erasure_requested"] = erasure_handler("matching", handlers["person.erasure_requested"])
    return handlers
