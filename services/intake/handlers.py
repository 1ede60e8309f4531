"""Intake's service layer: what a submitted form, a mentor registration and each
downstream event do to intake's state. Entrypoints (Flask, the worker) only call these."""
from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from services.intake import erasures
from services.intake.bootstrap import Intake
from services.intake.domain import Mentor, MentorshipRequest, Person, StatusEntry, mentor_id_for, new_id, person_payload
from shared import i18n
from shared.erasure import erasure_handler
from shared.events import Event, make_event, utcnow, valid_event
from shared.geo import country_name, region_of
from shared.links import CONFIRM_TTL_S
from shared.store import UnitOfWork, claim

SOURCE = "intake"


def _person(person_id: str, data: dict) -> Person:
    return Person(id=person_id, name=data["name"], email=data["email"], country=data["country"],
                  region=region_of(data["country"]), timezone=data["timezone"],
                  languages=list(data["languages"]), availability=list(data["availability"]),
                  locale=data.get("locale", ""))


@dataclass(frozen=True)
class Submitted:
    """A stored request, or the one an earlier send of the same form or key stored."""
    request_id: str
    status: str
    replayed: bool = False


class KeyReused(ValueError):
    """An idempotency key sent again with a different request."""


ONCE_TTL_S = 7 * 24 * 3600      # how long a form or an Idempotency-Key is remembered
_ONCE_ATTEMPTS = 20


def submit_request(intake: Intake, data: dict, once: str = "") -> Submitted:
    """Store a validated request and emit ``mentorship.requested`` in one transaction.

    ``once``: the form's one-time token, or the API's Idempotency-Key. The first send
    claims it in the same transaction as the request; a repeat, in sequence or at the same
    moment, gets the first request back (``replayed``) and stores nothing. The same key
    with a different request raises ``KeyReused``."""
    digest = hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()
    key = f"intake:once:{hashlib.sha256(once.encode()).hexdigest()}" if once else ""

    def work(uow: UnitOfWork) -> Submitted:
        first = str(intake.runtime.redis.get(key) or "") if key else ""
        if first:       # the same form or key, stored first (maybe at the same moment)
            request_id, _, first_digest = first.partition("|")
            if first_digest != digest:
                raise KeyReused("This Idempotency-Key was already used for another request.")
            stored = intake.repository.get_request(request_id)
            return Submitted(request_id, stored.status if stored else "requested", replayed=True)
        request, event = _new_request(data)
        intake.repository.save_request(uow.pipe, request)
        if key:
            uow.pipe.set(key, f"{request.id}|{digest}", ex=ONCE_TTL_S)
        if request.cohort:      # held for staff's cohort run: no answer comes until then
            uow.emit(event)
        else:                   # matching answers with a match or a failure; until then it is asked again
            uow.expect(event, answer=f"match:{request.id}", after_s=intake.runtime.settings.redrive_after_s)
        return Submitted(request.id, request.status)

    submitted = claim(lambda: intake.runtime.unit_of_work(watch=[key] if key else []), work, _ONCE_ATTEMPTS)
    return submitted


def _new_request(data: dict) -> tuple[MentorshipRequest, Event]:
    trainee = _person(new_id(), data)
    request = MentorshipRequest(
        id=new_id(), trainee=trainee, discipline=data["discipline"],
        focus_skills=list(data["focus_skills"]), goals=data["goals"], reel_url=data.get("reel_url", ""),
        equity=data.get("equity"), created_at=utcnow().isoformat(), cohort=data.get("cohort", ""))
    request.record(status_entry("requested", request.created_at, "st_held" if request.cohort else "st_requested",
                                {"code": request.cohort} if request.cohort else {}, trainee.timezone))
    # ``data`` was loaded by MentorshipRequestSchema, so the event is not validated again
    # (docs/decisions/0012-cpu.md, step 15; the test suite still checks it).
    event = valid_event("mentorship.requested", request.id, {
        "request_id": request.id, "trainee": person_payload(trainee), "discipline": request.discipline,
        "focus_skills": request.focus_skills, "goals": request.goals, "reel_url": request.reel_url,
        "equity": request.equity, "cohort": request.cohort}, SOURCE)
    return request, event


def register_mentor(intake: Intake, data: dict) -> tuple[Mentor, bool]:
    """Create or update a mentor profile (known by email); returns (mentor, created).
    Staff import; a mentor's own sign-up goes through ``request_signup``."""
    mentor_id = mentor_id_for(data["email"])
    existing = intake.repository.get_mentor(mentor_id)
    mentor = _mentor(mentor_id, data, paused=existing.paused if existing else False)
    _announce_mentor(intake, mentor)
    return mentor, existing is None


def _mentor(mentor_id: str, data: dict, paused: bool = False) -> Mentor:
    return Mentor(person=_person(mentor_id, data), skills=list(data["skills"]),
                  disciplines=list(data["disciplines"]), bio=data.get("bio", ""),
                  monthly_capacity=data["monthly_capacity"], attributes=dict(data.get("attributes") or {}),
                  paused=paused)


def _announce_mentor(intake: Intake, mentor: Mentor, also=None) -> None:
    """Store the profile and ``profile.mentor_registered`` in one transaction."""
    event = make_event("profile.mentor_registered", mentor.id, {
        "mentor": person_payload(mentor.person), "skills": mentor.skills,
        "disciplines": mentor.disciplines, "bio": mentor.bio, "paused": mentor.paused,
        "monthly_capacity": mentor.monthly_capacity, "attributes": mentor.attributes}, SOURCE)

    def store(pipe):
        intake.repository.save_mentor(pipe, mentor)
        if also is not None:
            also(pipe)
    intake.store_and_announce(store, event)


# --- a mentor's own sign-up and profile (double opt-in, signed links) ----------------

def request_signup(intake: Intake, data: dict) -> float | None:
    """A sign-up from the public page. Nothing goes live until the address confirms:
    a new address gets a confirmation link; an address that already has a profile (or a
    sign-up waiting) gets a link again (retiring the older ones) and nothing changes. The
    page says the same either way, so it reveals nothing about who is a mentor.

    An address erased in the last days cannot start again until its erasure's tombstone
    ends (a new key could not be made for it, so no email could reach it): nothing is
    held, and the time it can is returned so the page says so plainly."""
    mentor_id = mentor_id_for(data["email"])
    erased_until = intake.runtime.keyring.erased_until(mentor_id)
    if erased_until is not None:
        return erased_until
    existing = intake.repository.get_mentor(mentor_id)
    waiting = intake.repository.get_signup(mentor_id)
    locale = data.get("locale", "en")
    retired = time.time()
    if existing is not None:
        kind, url, person = "manage", intake.links.manage_url(mentor_id), existing.person
        name, email, locale = person.name, person.email, person.locale or locale
    else:
        kind, url = "confirm", intake.links.confirm_url(mentor_id)
        held = waiting or data
        name, email, locale = held["name"], held["email"], held.get("locale", locale)
    event = make_event("profile.link_requested", mentor_id, {
        "mentor_id": mentor_id, "kind": kind, "name": name, "email": email, "locale": locale, "url": url}, SOURCE)

    def store(pipe):
        if existing is None and waiting is None:
            intake.repository.hold_signup(pipe, mentor_id, data, CONFIRM_TTL_S)
        if kind == "manage":   # the new link (signed above, after ``retired``) retires every older one
            intake.repository.retire_links(pipe, mentor_id, retired)
    intake.store_and_announce(store, event)
    return None


def revoke_links(intake: Intake, mentor_id: str) -> None:
    """Every manage link sent so far stops working (a forwarded email, a shared screen)."""
    uow = intake.runtime.unit_of_work()
    intake.repository.retire_links(uow.pipe, mentor_id, time.time())
    uow.commit()


def confirm_signup(intake: Intake, mentor_id: str) -> Mentor | None:
    """The confirmation link was followed: the profile goes live (once)."""
    existing = intake.repository.get_mentor(mentor_id)
    if existing is not None:
        return existing
    held = intake.repository.get_signup(mentor_id)
    if held is None:
        return None   # expired before it was confirmed
    mentor = _mentor(mentor_id, held)
    _announce_mentor(intake, mentor, also=lambda pipe: intake.repository.drop_signup(pipe, mentor_id))
    return mentor


def update_profile(intake: Intake, mentor: Mentor, data: dict) -> Mentor:
    """An edit from the manage page (the email address, which names the profile, stays)."""
    updated = _mentor(mentor.id, {**data, "email": mentor.person.email}, paused=mentor.paused)
    _announce_mentor(intake, updated)
    return updated


def set_paused(intake: Intake, mentor: Mentor, paused: bool) -> Mentor:
    updated = replace(mentor, paused=paused)
    _announce_mentor(intake, updated)
    return updated


def withdraw_equity(intake: Intake, mentor: Mentor) -> Mentor:
    updated = replace(mentor, attributes={})
    _announce_mentor(intake, updated)
    return updated


# --- the status page follows the request downstream -------------------------------

def status_entry(step: str, at: str, key: str, params: dict, tz: str, detail: dict | None = None) -> StatusEntry:
    """A timeline entry: the catalogue key and its parameters, plus the English text (times in ``tz``)."""
    return StatusEntry(step, at, say(key, params, "en", tz), detail or {}, key, params)


def say(key: str, params: dict, locale: str, tz: str) -> str:
    """A timeline message in ``locale``, times in ``tz``."""
    values = dict(params)
    if "start" in values:
        values["when"] = i18n.when(values["start"], tz, locale)
    if "country" in values:
        values["country"] = country_name(values["country"], locale)
    return i18n.t(key, locale, **values)


def _mentoring_page(d: dict) -> dict:
    return {"mentoring_url": d["links"]["trainee"]["mentoring"]}


def _session_times(d: dict) -> dict:
    return {"start": d["start"], "end": d["end"], "video_url": d["video_url"]}


# Each event about a request → (step, message key, parameters, detail) on its status page.
_STATUS: dict[str, Callable[[dict], tuple[str, str, dict, dict]]] = {
    "mentorship.started": lambda d: ("mentoring", "st_mentoring",
                                     {"name": d["mentor"]["name"], "start": d["term_ends_at"]}, _mentoring_page(d)),
    "mentorship.ended": lambda d: ("rematching" if d["rematch"] else "ended",
                                   "st_ended_rematch" if d["rematch"] else f"st_ended_{d['by']}",
                                   {"name": d["mentor"]["name"]}, _mentoring_page(d)),
    "match.proposed": lambda d: ("matched", "st_matched",
                                 {"name": d["mentor"]["name"], "country": d["mentor"]["country"]},
                                 {"score": d["score"], "why": d.get("why", [])}),
    "match.failed": lambda d: ("unmatched", "st_unmatched", {"reason": d["reason"]}, {}),
    "session.invited": lambda d: ("invited", "st_invited", {"name": d["mentor"]["name"], "start": d["start"]},
                                  {"start": d["start"]}),
    "session.confirmed": lambda d: ("confirmed", "st_confirmed", {"start": d["start"]}, _session_times(d)),
    "session.declined": lambda d: ("declined", "st_declined", {}, {}),
    "session.unschedulable": lambda d: ("declined", "st_no_overlap", {}, {}),
    "session.expired": lambda d: ("declined", "st_expired", {}, {}),
    "session.slot_proposed": lambda d: ("invited", "st_slot", {"name": d["mentor"]["name"], "start": d["start"]},
                                        {"start": d["start"]}),
    "session.rescheduled": lambda d: ("confirmed", "st_moved", {"start": d["start"]}, _session_times(d)),
    "session.move_proposed": lambda d: ("confirmed", "st_move_asked", {"start": d["proposed_start"]}, {}),
    "session.move_declined": lambda d: ("confirmed", "st_move_kept", {"start": d["start"]}, {}),
    "session.cancelled": lambda d: ("cancelled", f"st_cancelled_{d['by']}", {}, {}),
    "session.completed": lambda d: ("completed", "st_completed", {}, {}),
    "critique.submitted": lambda d: ("critiqued", "st_critiqued", {"name": d["mentor"]["name"]},
                                     {"rubric": d["rubric"], "notes": d["notes"], "next_steps": d["next_steps"]}),
    "session.rated": lambda d: ("rated", "st_rated", {"rating": d["rating"]}, {}),
}


def _status(event: Event) -> tuple[str, str, dict, dict] | None:
    """(step, message key, parameters, detail) for an event about a request; None for
    a pair's later sessions (they live on the mentoring page) and other events."""
    build = _STATUS.get(event.type)
    return None if build is None or event.data.get("follow_up") else build(event.data)


def record_progress(intake: Intake, event: Event, uow: UnitOfWork) -> None:
    """Add the step ``event`` marks to its request's status timeline. Read for update:
    a request's events come on several topics, to several workers at once."""
    request = intake.repository.get_request(event.data["request_id"], uow)
    if request is None:
        return  # a request another intake deployment owns
    status = _status(event)
    if status is None:
        return
    step, key, params, detail = status
    request.record(status_entry(step, event.time.isoformat(), key, params, request.trainee.timezone, detail))
    intake.repository.save_request(uow.pipe, request)
    uow.arrived(f"match:{request.id}")      # downstream answered the request: no need to ask again


def event_handlers(intake: Intake):
    handle = lambda event, uow: record_progress(intake, event, uow)  # noqa: E731
    return {
        "person.erasure_requested": erasure_handler(
            "intake", lambda event, uow: erasures.on_erasure_requested(intake, event, uow)),
        "person.forgotten": lambda event, uow: erasures.on_person_forgotten(intake, event, uow),
        **_progress_handlers(handle),
    }


def _progress_handlers(handle):
    return dict.fromkeys(
        (
            "match.proposed",
            "match.failed",
            "mentorship.started",
            "mentorship.ended",
            "session.invited",
            "session.confirmed",
            "session.declined",
            "session.unschedulable",
            "session.expired",
            "session.slot_proposed",
            "session.rescheduled",
            "session.move_proposed",
            "session.move_declined",
            "session.cancelled",
            "session.completed",
            "critique.submitted",
            "session.rated",
        ),
        handle,
    )
