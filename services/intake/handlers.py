"""Intake's service layer: what a submitted form, a mentor registration and each
downstream event do to intake's state. Entrypoints (Flask, the worker) only call these."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from services.intake.bootstrap import Intake
from services.intake.domain import (Mentor, MentorshipRequest, Person, StatusEntry, mentor_id_for,
                                    new_id, person_payload)
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
    request.record(StatusEntry("requested", request.created_at, (
        f"We have your request. Your programme ({request.cohort}) matches its trainees together; "
        "you will hear from us when it does." if request.cohort else
        "We have your request and are looking for a mentor.")))
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

def _local(iso: str, tz: str) -> str:
    return datetime.fromisoformat(iso).astimezone(ZoneInfo(tz)).strftime("%A %d %B %Y, %H:%M (%Z)")


def _status_message(event: Event, request: MentorshipRequest) -> tuple[str, str, dict] | None:
    d = event.data
    tz = request.trainee.timezone
    match event.type:
        case "match.proposed":
            m = d["mentor"]
            return ("matched", f"We matched you with {m['name']} ({country_name(m['country'])}).",
                    {"mentor_name": m["name"], "mentor_country": m["country"], "score": d["score"]})
        case "match.failed":
            return ("unmatched", f"We could not find a mentor yet: {d['reason']}", {})
        case "session.invited":
            return ("invited", f"{d['mentor']['name']} has been invited to a session on "
                    f"{_local(d['start'], tz)}.", {"start": d["start"]})
        case "session.confirmed":
            return ("confirmed", f"Confirmed: your session is on {_local(d['start'], tz)}.",
                    {"start": d["start"], "end": d["end"], "video_url": d["video_url"]})
        case "session.declined":
            return ("declined", "The mentor could not take this session; we are finding another.", {})
        case "session.unschedulable":
            return ("declined", "Your free times did not overlap with the mentor's; "
                    "we are finding another.", {})
        case "session.expired":
            return ("declined", "The mentor did not answer in time; we are finding another.", {})
        case "session.slot_proposed":
            return ("invited", f"{d['mentor']['name']} proposed another time, {_local(d['start'], tz)}: "
                    "answer with the links in your email.", {"start": d["start"]})
        case "session.rescheduled":
            return ("confirmed", f"Moved: your session is now on {_local(d['start'], tz)}.",
                    {"start": d["start"], "end": d["end"], "video_url": d["video_url"]})
        case "session.cancelled":
            who = "The mentor" if d["by"] == "mentor" else "You"
            after = " We are finding another mentor." if d["by"] == "mentor" else ""
            return ("cancelled", f"{who} cancelled the session.{after}", {})
        case "session.completed":
            return ("completed", "Your session has taken place. Your mentor will send a critique.", {})
        case "critique.submitted":
            return ("critiqued", f"{d['mentor']['name']} sent your critique.",
                    {"rubric": d["rubric"], "notes": d["notes"], "next_steps": d["next_steps"]})
        case "session.rated":
            return ("rated", f"Thank you for rating the session ({d['rating']}/5).", {})
    return None


def record_progress(intake: Intake, event: Event, uow: UnitOfWork) -> None:
    """Add the step ``event`` marks to its request's status timeline."""
    request = intake.repository.get_request(event.data["request_id"])
    if request is None:
        return  # a request another intake deployment owns
    step = _status_message(event, request)
    if step is None:
        return
    name, message, detail = step
    request.record(StatusEntry(name, event.time.isoformat(), message, detail))
    intake.repository.save_request(uow.pipe, request)


def event_handlers(intake: Intake):
    handle = lambda event, uow: record_progress(intake, event, uow)  # noqa: E731
    return {t: handle for t in ("match.proposed", "match.failed", "session.invited", "session.confirmed",
                                "session.declined", "session.unschedulable", "session.expired",
                                "session.slot_proposed", "session.rescheduled", "session.cancelled",
                                "session.completed", "critique.submitted", "session.rated")}
