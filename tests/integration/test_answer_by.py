"""An invite never asks the mentor to answer after the session has started: sessions'
handler on real Redis, for sessions 24 h, 48 h and 14 days ahead, and for a time the
mentor proposes instead."""
from datetime import timedelta

import pytest
import time_machine

from services.sessions import handlers
from services.sessions.bootstrap import bootstrap
from shared.events import make_event, utcnow

pytestmark = pytest.mark.integration


def person(pid, windows, tz="UTC"):
    return {"id": pid, "name": pid.title(), "email": f"{pid}@example.org", "country": "GH", "region": "West Africa",
            "timezone": tz, "languages": ["en"], "availability": windows, "locale": "en"}


def proposed(now, days_ahead: int):
    """A match whose two people are both free only on the day ``days_ahead`` from now."""
    day = (now + timedelta(days=days_ahead)).weekday()
    window = [{"day": day, "start": "00:00", "end": "24:00"}]
    return make_event("match.proposed", "r1", {
        "request_id": f"r{days_ahead}", "match_id": f"m{days_ahead}", "attempt": 1,
        "trainee": person(f"trainee{days_ahead}", window), "mentor": person(f"mentor{days_ahead}", window),
        "discipline": "sound", "score": 0.9, "breakdown": {"skills": 0.9}, "weights_version": 0,
        "next_candidates": [], "focus_skills": ["boom operation"], "goals": "Cleaner dialogue", "reel_url": ""},
        "matching")


@pytest.mark.parametrize("days_ahead", [1, 2, 14])
def test_the_answer_by_time_comes_a_margin_before_the_session(settings, redis_client, days_ahead):
    sessions = bootstrap(settings, redis_client)
    # 09:30 UTC on a fixed date, so the free day is exactly 1, 2 or 14 days on.
    with time_machine.travel("2027-03-03 09:30:00+00:00", tick=False):
        now = utcnow()
        uow = sessions.runtime.unit_of_work()
        handlers.on_match_proposed(sessions, proposed(now, days_ahead), uow)
        uow.commit()
    [invite] = [e for e in uow.emitted if e.type == "session.invited"]
    start, answer_by = invite.data["start"], invite.data["expires_at"]
    start_dt, answer_dt = (sessions.repository.get(invite.data["session_id"]).start_dt,
                           utcnow().fromisoformat(answer_by))
    assert (start_dt - now) >= timedelta(hours=settings.min_lead_hours), start
    assert now + timedelta(hours=settings.min_answer_hours) <= answer_dt
    assert answer_dt <= start_dt - timedelta(hours=settings.answer_margin_hours)
    # Far enough ahead, the usual time to answer applies.
    if days_ahead == 14:
        assert answer_dt == now + timedelta(hours=settings.invite_ttl_hours)
    sessions.runtime.close()


def test_a_time_the_mentor_proposes_is_also_answered_before_it_starts(settings, redis_client):
    sessions = bootstrap(settings, redis_client)
    always = [{"day": d, "start": "00:00", "end": "24:00"} for d in range(7)]
    with time_machine.travel("2027-03-03 09:30:00+00:00", tick=False):
        now = utcnow()
        event = proposed(now, 1)
        event.data["trainee"]["availability"] = event.data["mentor"]["availability"] = always
        uow = sessions.runtime.unit_of_work()
        handlers.on_match_proposed(sessions, event, uow)
        uow.commit()
        session = sessions.repository.get(uow.emitted[0].data["session_id"])
        first_choice = handlers.slot_choices(sessions, session)[0]
        uow = sessions.runtime.unit_of_work()
        handlers._apply(sessions, uow, session, "mentor", "propose", {"start": first_choice[0].isoformat()}, now)
    assert first_choice[0] >= now + timedelta(hours=settings.min_lead_hours)
    # The session's own time is never offered as "another time" (it was the first choice before).
    assert all(b <= session.start_dt or a >= session.end_dt for a, b in handlers.slot_choices(sessions, session, now))
    answer_dt = utcnow().fromisoformat(session.expires_at)
    assert now < answer_dt <= first_choice[0] - timedelta(hours=settings.answer_margin_hours)
    sessions.runtime.close()
