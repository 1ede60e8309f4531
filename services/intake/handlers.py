"""Intake's service layer: what a submitted form, a mentor registration and each
downstream event do to intake's state. Entrypoints (Flask, the worker) only call these."""
from __future__ import annotations

from services.intake.bootstrap import Intake
from services.intake.domain import Mentor, MentorshipRequest, Person, StatusEntry, mentor_id_for, new_id, person_payload
from shared import i18n
from shared.events import Event, make_event, utcnow
from shared.geo import country_name, region_of
from shared.store import UnitOfWork

SOURCE = "intake"


def _person(person_id: str, data: dict) -> Person:
    return Person(id=person_id, name=data["name"], email=data["email"], country=data["country"],
                  region=region_of(data["country"]), timezone=data["timezone"],
                  languages=list(data["languages"]), availability=list(data["availability"]),
                  locale=data.get("locale", ""))


def _store_and_announce(intake: Intake, store, event: Event) -> None:
    """Store a change and its event in one transaction, then ask the relay to publish."""
    uow = intake.runtime.unit_of_work()
    store(uow.pipe)
    uow.emit(event)
    uow.commit()
    intake.runtime.relay.nudge()


def submit_request(intake: Intake, data: dict) -> MentorshipRequest:
    """Store a validated request and emit ``mentorship.requested`` in one transaction."""
    trainee = _person(new_id(), data)
    request = MentorshipRequest(
        id=new_id(), trainee=trainee, discipline=data["discipline"],
        focus_skills=list(data["focus_skills"]), goals=data["goals"], reel_url=data.get("reel_url", ""),
        equity=data.get("equity"), created_at=utcnow().isoformat(), cohort=data.get("cohort", ""))
    request.record(status_entry("requested", request.created_at, "st_held" if request.cohort else "st_requested",
                                {"code": request.cohort} if request.cohort else {}, trainee.timezone))
    event = make_event("mentorship.requested", request.id, {
        "request_id": request.id, "trainee": person_payload(trainee), "discipline": request.discipline,
        "focus_skills": request.focus_skills, "goals": request.goals, "reel_url": request.reel_url,
        "equity": request.equity, "cohort": request.cohort}, SOURCE)
    _store_and_announce(intake, lambda pipe: intake.repository.save_request(pipe, request), event)
    return request


def register_mentor(intake: Intake, data: dict) -> tuple[Mentor, bool]:
    """Create or update a mentor profile (known by email); returns (mentor, created)."""
    mentor_id = mentor_id_for(data["email"])
    created = intake.repository.get_mentor(mentor_id) is None
    mentor = Mentor(person=_person(mentor_id, data), skills=list(data["skills"]),
                    disciplines=list(data["disciplines"]), bio=data.get("bio", ""),
                    monthly_capacity=data["monthly_capacity"], attributes=dict(data.get("attributes") or {}))
    event = make_event("profile.mentor_registered", mentor.id, {
        "mentor": person_payload(mentor.person), "skills": mentor.skills,
        "disciplines": mentor.disciplines, "bio": mentor.bio,
        "monthly_capacity": mentor.monthly_capacity, "attributes": mentor.attributes}, SOURCE)
    _store_and_announce(intake, lambda pipe: intake.repository.save_mentor(pipe, mentor), event)
    return mentor, created


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
        values["country"] = country_name(values["country"])
    return i18n.t(key, locale, **values)


def _status(event: Event) -> tuple[str, str, dict, dict] | None:
    """(step, message key, parameters, detail) for an event about a request."""
    d = event.data
    match event.type:
        case "match.proposed":
            m = d["mentor"]
            return "matched", "st_matched", {"name": m["name"], "country": m["country"]}, {"score": d["score"]}
        case "match.failed":
            return "unmatched", "st_unmatched", {"reason": d["reason"]}, {}
        case "session.invited":
            return "invited", "st_invited", {"name": d["mentor"]["name"], "start": d["start"]}, {"start": d["start"]}
        case "session.confirmed":
            return "confirmed", "st_confirmed", {"start": d["start"]}, {
                "start": d["start"], "end": d["end"], "video_url": d["video_url"]}
        case "session.declined":
            return "declined", "st_declined", {}, {}
        case "session.unschedulable":
            return "declined", "st_no_overlap", {}, {}
        case "session.expired":
            return "declined", "st_expired", {}, {}
        case "session.slot_proposed":
            return "invited", "st_slot", {"name": d["mentor"]["name"], "start": d["start"]}, {"start": d["start"]}
        case "session.rescheduled":
            return "confirmed", "st_moved", {"start": d["start"]}, {
                "start": d["start"], "end": d["end"], "video_url": d["video_url"]}
        case "session.cancelled":
            return "cancelled", f"st_cancelled_{d['by']}", {}, {}
        case "session.completed":
            return "completed", "st_completed", {}, {}
        case "critique.submitted":
            return "critiqued", "st_critiqued", {"name": d["mentor"]["name"]}, {
                "rubric": d["rubric"], "notes": d["notes"], "next_steps": d["next_steps"]}
        case "session.rated":
            return "rated", "st_rated", {"rating": d["rating"]}, {}
    return None


def record_progress(intake: Intake, event: Event, uow: UnitOfWork) -> None:
    """Add the step ``event`` marks to its request's status timeline."""
    request = intake.repository.get_request(event.data["request_id"])
    if request is None:
        return  # a request another intake deployment owns
    status = _status(event)
    if status is None:
        return
    step, key, params, detail = status
    request.record(status_entry(step, event.time.isoformat(), key, params, request.trainee.timezone, detail))
    intake.repository.save_request(uow.pipe, request)


def event_handlers(intake: Intake):
    handle = lambda event, uow: record_progress(intake, event, uow)  # noqa: E731
    return dict.fromkeys(
        (
            "match.proposed",
            "match.failed",
            "session.invited",
            "session.confirmed",
            "session.declined",
            "session.unschedulable",
            "session.expired",
            "session.slot_proposed",
            "session.rescheduled",
            "session.cancelled",
            "session.completed",
            "critique.submitted",
            "session.rated",
        ),
        handle,
    )
