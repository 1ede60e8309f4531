"""Matching's service layer: what each consumed event does."""
from __future__ import annotations

import uuid
from datetime import timedelta

from services.matching.bootstrap import Matching
from services.matching.domain import MentorProfile, TraineeRequest, rank_mentors
from shared.events import Event, utcnow
from shared.store import UnitOfWork

SOURCE = "matching"
NEXT_CANDIDATES = 3
# How many waiting requests one new mentor profile is tried against.
WAITLIST_BATCH = 50


def _month(event: Event) -> str:
    return event.time.strftime("%Y-%m")


def on_mentor_registered(matching: Matching, event: Event, uow: UnitOfWork) -> None:
    d = event.data
    mentor = MentorProfile(id=d["mentor"]["id"], person=d["mentor"], skills=d["skills"],
                           disciplines=d["disciplines"], bio=d.get("bio", ""),
                           monthly_capacity=d["monthly_capacity"])
    matching.repository.save_mentor(uow.pipe, mentor)
    # A request may have arrived before any mentor who fits it: try the waiting ones.
    matching.directory.refresh()
    matching.directory.add(mentor)
    for request_id in matching.repository.waiting(WAITLIST_BATCH):
        request = matching.repository.get_request(request_id)
        if request is not None and request.current_mentor is None:
            propose_next_mentor(matching, request, event, uow, announce_failure=False)


def on_mentorship_requested(matching: Matching, event: Event, uow: UnitOfWork) -> None:
    d = event.data
    if matching.repository.get_request(d["request_id"]) is not None:
        return  # already matching this one (a replayed event with a new id)
    request = TraineeRequest(request_id=d["request_id"], trainee=d["trainee"], discipline=d["discipline"],
                             focus_skills=d["focus_skills"], goals=d["goals"], reel_url=d.get("reel_url", ""),
                             equity=d.get("equity"))
    propose_next_mentor(matching, request, event, uow)


def on_mentor_unavailable(matching: Matching, event: Event, uow: UnitOfWork) -> None:
    """The proposed mentor declined, or no slot fits both: propose the next one."""
    d = event.data
    request = matching.repository.get_request(d["request_id"])
    if request is None or request.current_mentor != d["mentor_id"]:
        return  # stale: about a proposal that is no longer current
    matching.repository.change_load(uow.pipe, _month(event), d["mentor_id"], -1)
    propose_next_mentor(matching, request, event, uow)


def propose_next_mentor(matching: Matching, request: TraineeRequest, cause: Event, uow: UnitOfWork,
                        announce_failure: bool = True) -> None:
    """Rank the mentors not tried yet for ``request``; propose the best, or put the
    request on the waitlist (saying why, unless it was waiting already)."""
    matching.directory.refresh()
    now = utcnow()
    ranking = rank_mentors(
        request, list(matching.directory.mentors.values()),
        matching.directory.index.similarities(request.text),
        matching.repository.active_load(_month(cause)), matching.weights, matching.policy,
        week_start=now + timedelta(days=1), limit=NEXT_CANDIDATES + 1)
    if not ranking:
        request.current_mentor = None
        matching.repository.save_request(uow.pipe, request)
        matching.repository.wait(uow.pipe, request.request_id, now.timestamp())
        if announce_failure:
            reason = ("no mentor shares a language, has capacity left and enough free time in common"
                      if not request.tried else
                      f"all {len(request.tried)} suitable mentors were asked and none could take it")
            uow.emit(cause.caused("match.failed", request.request_id, {
                "request_id": request.request_id,
                "reason": reason + "; we will try again as new mentors join"}, SOURCE))
        return
    best = ranking[0]
    mentor = matching.directory.mentors[best.mentor_id]
    request.attempt += 1
    request.tried.append(best.mentor_id)
    request.current_mentor = best.mentor_id
    match_id = uuid.uuid4().hex
    proposal = {
        "request_id": request.request_id, "match_id": match_id, "attempt": request.attempt,
        "trainee": request.trainee, "mentor": mentor.person, "discipline": request.discipline,
        "focus_skills": request.focus_skills, "goals": request.goals, "reel_url": request.reel_url,
        "score": best.score, "breakdown": best.breakdown, "weights_version": matching.weights.version,
        "next_candidates": [r.mentor_id for r in ranking[1:]],
    }
    matching.repository.save_request(uow.pipe, request)
    matching.repository.stop_waiting(uow.pipe, request.request_id)
    matching.repository.change_load(uow.pipe, _month(cause), best.mentor_id, +1)
    matching.repository.record_proposal(uow.pipe, request.request_id,
                                        {**proposal, "features": best.features, "at": now.isoformat()})
    uow.emit(cause.caused("match.proposed", request.request_id, proposal, SOURCE))


def event_handlers(matching: Matching):
    def bind(fn):
        return lambda event, uow: fn(matching, event, uow)
    return {
        "profile.mentor_registered": bind(on_mentor_registered),
        "mentorship.requested": bind(on_mentorship_requested),
        "session.declined": bind(on_mentor_unavailable),
        "session.unschedulable": bind(on_mentor_unavailable),
    }
