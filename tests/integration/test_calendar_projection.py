"""Matching keeps its own copy of the mentors' booked times, from sessions' events, and
never proposes a mentor who has no free slot in common with the trainee inside the
booking horizon (before, sessions answered "unschedulable" and the request took a second
round). Matching's handlers on real Redis, the clock fixed."""
from __future__ import annotations

import pytest
import time_machine

from services.matching import handlers
from services.matching.bootstrap import bootstrap
from shared.availability import Window, free_slots, lead_hours
from shared.config import StackSettings
from shared.events import make_event, utcnow

pytestmark = pytest.mark.integration

ONE_HOUR = [{"day": 2, "start": "10:00", "end": "11:00"}]     # Wednesdays, 10:00 UTC
NOW = "2027-03-01 09:00:00+00:00"                            # a Monday


def person(pid: str, windows) -> dict:
    return {"id": pid, "name": pid.title(), "email": f"{pid}@example.org", "country": "GH", "region": "West Africa",
            "timezone": "UTC", "languages": ["en"], "availability": windows, "locale": "en"}


def mentor(mentor_id: str, level: int):
    return make_event("profile.mentor_registered", mentor_id, {
        "mentor": person(mentor_id, ONE_HOUR), "skills": [{"name": "boom operation", "level": level}],
        "disciplines": ["sound"], "bio": "", "monthly_capacity": 10}, "tests")


def requested(request_id: str):
    return make_event("mentorship.requested", request_id, {
        "request_id": request_id, "trainee": person(f"t-{request_id}", ONE_HOUR), "discipline": "sound",
        "focus_skills": ["boom operation"], "goals": "Clean dialogue"}, "tests")


def invited(session_id: str, mentor_id: str, start, end):
    data = {"session_id": session_id, "request_id": f"other-{session_id}", "match_id": "x",
            "mentor": person(mentor_id, ONE_HOUR), "trainee": person("someone", ONE_HOUR), "discipline": "sound",
            "start": start.isoformat(), "end": end.isoformat(), "video_url": "https://meet.example/x", "sequence": 0,
            "links": {}, "accept_url": "https://x/a", "decline_url": "https://x/d",
            "expires_at": start.isoformat()}
    return make_event("session.invited", session_id, data, "sessions")


def every_free_hour(settings: StackSettings):
    """Each slot the weekly hour gives inside the booking horizon, from now."""
    windows = [Window.from_dict(w) for w in ONE_HOUR]
    lead = lead_hours(settings.min_lead_hours, settings.answer_margin_hours, settings.min_answer_hours)
    return free_slots(windows, "UTC", windows, "UTC", [], utcnow(), minutes=settings.session_minutes,
                      lead_hours=lead, horizon_days=settings.horizon_days, limit=100)


def run(matching, event):
    uow = matching.runtime.unit_of_work()
    handlers.event_handlers(matching)[event.type](event, uow)
    uow.commit()
    return uow


def test_a_mentor_booked_up_in_the_horizon_is_passed_over_until_a_time_frees(infra, redis_client):
    settings = StackSettings.from_env(infra.env())
    matching = bootstrap(settings)
    try:
        with time_machine.travel(NOW, tick=False):
            run(matching, mentor("best", level=5))
            run(matching, mentor("next", level=2))
            slots = every_free_hour(settings)
            assert len(slots) >= 1
            for i, (start, end) in enumerate(slots):
                run(matching, invited(f"s{i}", "best", start, end))     # every Wednesday hour taken
            uow = run(matching, requested("r1"))
            [proposal] = [e for e in uow.emitted if e.type == "match.proposed"]
            assert proposal.data["mentor"]["id"] == "next"
            # One of the best mentor's invites is declined: that hour is free again.
            run(matching, make_event("session.declined", "s0", {
                "session_id": "s0", "request_id": "other-s0", "mentor_id": "best", "reason": "busy"}, "sessions"))
            uow = run(matching, requested("r2"))
            [proposal] = [e for e in uow.emitted if e.type == "match.proposed"]
            assert proposal.data["mentor"]["id"] == "best"
    finally:
        matching.runtime.close()
