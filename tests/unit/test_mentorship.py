"""A mentorship's rules (term, states, cadence, nudge) and what its emails say: pure, no
broker or Redis."""
import json
from datetime import UTC, datetime, timedelta

import pytest

from services.notifications import messages
from services.sessions.mentorship import ACTIVE, ENDED, PAUSED, Mentorship, MentorshipError, add_months
from shared.catalogue import locales
from shared.events import deserialize, make_event, serialize
from shared.privacy import KeyRing, Sealer
from tests.unit.test_privacy import FakeRedis

NOW = datetime(2027, 1, 31, 9, 0, tzinfo=UTC)


def person(pid, name, locale="en"):
    return {"id": pid, "name": name, "email": f"{pid}@example.org", "country": "BR", "region": "x",
            "timezone": "America/Sao_Paulo", "languages": [locale], "availability": [], "locale": locale}


def pair(term_months=6) -> Mentorship:
    return Mentorship.begin("m1", "r1", person("mentor", "Lucía García"), person("trainee", "Thiago Lima"),
                            "colour", "s1", (NOW + timedelta(days=2)).isoformat(), NOW, term_months)


def test_a_term_ends_on_the_same_day_months_later_or_the_months_last_day():
    assert add_months(NOW, 1) == datetime(2027, 2, 28, 9, 0, tzinfo=UTC)
    assert add_months(NOW, 6) == datetime(2027, 7, 31, 9, 0, tzinfo=UTC)
    assert add_months(datetime(2027, 11, 15, tzinfo=UTC), 3) == datetime(2028, 2, 15, tzinfo=UTC)
    assert pair().term_ends == datetime(2027, 7, 31, 9, 0, tzinfo=UTC)


def test_booking_is_for_an_active_mentorship_within_its_term():
    m = pair()
    m.can_book(NOW)
    with pytest.raises(MentorshipError) as late:
        m.can_book(m.term_ends)
    assert late.value.code == "term_over"
    m.pause()
    assert m.state == PAUSED
    with pytest.raises(MentorshipError):
        m.can_book(NOW)
    m.resume()
    assert m.state == ACTIVE


def test_an_ended_mentorship_cannot_be_ended_paused_or_given_a_cadence_again():
    m = pair()
    m.end("trainee", "our schedules never fit", NOW, shared=False, rematch=True)
    assert (m.state, m.ended_by, m.rematch, m.reason_shared) == (ENDED, "trainee", True, False)
    for change in (lambda: m.end("mentor", "", NOW), m.pause, lambda: m.set_cadence(2)):
        with pytest.raises(MentorshipError):
            change()


def test_the_nudge_counts_from_the_latest_session_and_a_cadence_is_one_of_the_offered():
    m = pair()
    first = datetime.fromisoformat(m.last_session_at)
    assert m.nudge_due(6) == first + timedelta(weeks=6)
    later = (first + timedelta(weeks=3)).isoformat()
    m.add_session("s2", later)
    m.add_session("s2", later)     # a replayed booking adds nothing
    assert m.session_ids == ["s1", "s2"] and m.nudge_due(6) == datetime.fromisoformat(later) + timedelta(weeks=6)
    m.set_cadence(4)
    with pytest.raises(MentorshipError):
        m.set_cadence(3)
    assert m.cadence_weeks == 4


def ended(by, shared, locale="en", rematch=False):
    m = pair()
    d = {"mentorship_id": m.id, "request_id": m.request_id, "mentor": person("mentor", "Lucía García", locale),
         "trainee": person("trainee", "Thiago Lima", locale), "discipline": "colour", "started_at": m.started_at,
         "term_ends_at": m.term_ends_at, "by": by, "reason": "our schedules never fit", "reason_shared": shared,
         "rematch": rematch, "ended_at": NOW.isoformat(), "sessions_held": 2,
         "links": {"trainee": {"mentoring": "https://s.test/t"}, "mentor": {"mentoring": "https://s.test/m"}}}
    return {e.recipient_role: e for e in messages.compose("mentorship.ended", d, ("Twoshot", "p@t.test"), NOW)}


def test_the_other_person_reads_an_end_reason_only_when_its_author_shared_it():
    private = ended("trainee", shared=False)
    assert "schedules" not in private["mentor"].text and "Thiago Lima ended your mentorship" in private["mentor"].text
    shared = ended("trainee", shared=True)
    assert "Their reason: our schedules never fit" in shared["mentor"].text
    assert "https://s.test/m" in shared["mentor"].text and "https://s.test/t" in shared["trainee"].text


@pytest.mark.parametrize("locale", locales())
def test_a_mentor_who_ends_it_tells_the_trainee_plainly_that_a_new_mentor_is_coming(locale):
    trainee = ended("mentor", shared=False, locale=locale, rematch=True)["trainee"]
    assert trainee.locale == locale
    assert ("new mentor" in trainee.text) == (locale == "en")   # the other languages say it in their words
    assert "Lucía García" in trainee.subject


def test_an_end_reason_is_sealed_with_its_authors_key():
    sealer = Sealer(KeyRing(FakeRedis()))
    m = pair()
    data = {"mentorship_id": m.id, "request_id": m.request_id, "mentor": m.mentor, "trainee": m.trainee,
            "discipline": "colour", "started_at": m.started_at, "term_ends_at": m.term_ends_at, "by": "mentor",
            "reason": "I am moving abroad", "ended_at": NOW.isoformat()}
    wire = serialize(make_event("mentorship.ended", m.id, data, "sessions"), sealer)
    assert b"I am moving abroad" not in wire and b"Thiago Lima" not in wire
    sealed = json.loads(wire)["data"]["reason"]
    assert sealed["$sealed"] == "mentor"       # the mentor's key: erasing the mentor makes it unreadable
    assert deserialize(wire, sealer).data["reason"] == "I am moving abroad"


def test_staff_see_waiting_follow_ups_longest_first_and_none_of_an_ended_pair():
    from services.matching.mentorship_health import health
    def record(mid, state, waiting):
        return {"mentorship_id": mid, "state": state, "started_at": "2026-01-05T10:00:00+00:00",
                "mentor_id": f"mentor-{mid}", "mentor_group": "Europe", "trainee_group": "West Africa",
                "sessions": ["s1"], "waiting": waiting}
    report = health([
        record("a", "active", {"s2": {"on": "mentor", "since": "2026-03-01T09:00:00+00:00", "reminded": True}}),
        record("b", "active", {"s3": {"on": "trainee", "since": "2026-02-20T09:00:00+00:00"}}),
        record("c", "ended", {"s4": {"on": "mentor", "since": "2026-01-01T09:00:00+00:00"}}),
    ], datetime(2026, 3, 4, 12, 0, tzinfo=UTC))
    rows = report["waiting_follow_ups"]
    assert [(r["session_id"], r["waiting_on"], r["days_waiting"], r["reminded"]) for r in rows] == [
        ("s3", "trainee", 12, False), ("s2", "mentor", 3, True)]


@pytest.mark.parametrize("by, told", [("mentor", "trainee"), ("trainee", "mentor")])
def test_a_declined_follow_up_tells_the_other_person_with_a_way_back_to_their_page(by, told):
    m = pair()
    d = {"session_id": "s2", "request_id": m.request_id, "mentor_id": "mentor-1", "reason": "", "by": by,
         "mentorship_id": m.id, "follow_up": True, "start": "2026-03-10T14:00:00+00:00",
         "mentor": person("mentor", "Lucía García", "es"), "trainee": person("trainee", "Thiago Lima", "pt"),
         "links": {"trainee": {"mentoring": "https://s.test/t"}, "mentor": {"mentoring": "https://s.test/m"}}}
    (email,) = messages.compose("session.declined", d, ("Twoshot", "p@t.test"), NOW)
    assert email.recipient_role == told
    other = "Thiago Lima" if told == "mentor" else "Lucía García"
    assert other in email.subject and f"https://s.test/{told[0]}" in email.text
    assert email.locale == ("es" if told == "mentor" else "pt")


def test_a_cohort_can_have_a_term_of_its_own_and_a_mistyped_one_stops_the_start():
    from shared.config import StackSettings
    s = StackSettings.from_env({"MENTORSHIP_TERM_MONTHS": "6",
                           "MENTORSHIP_TERM_MONTHS_BY_COHORT": "ACCRA-2026=9, lagos-2027=4"})
    assert (s.term_months("accra-2026"), s.term_months("LAGOS-2027"), s.term_months(""), s.term_months("X")) == (
        9, 4, 6, 6)
    for bad in ("ACCRA-2026", "ACCRA-2026=nine", "=9", "ACCRA-2026=0"):
        with pytest.raises(ValueError, match="MENTORSHIP_TERM_MONTHS_BY_COHORT"):
            StackSettings.from_env({"MENTORSHIP_TERM_MONTHS_BY_COHORT": bad})


def test_a_mentorship_writes_out_what_asdict_wrote_and_reads_back_the_same():
    from dataclasses import asdict
    m = pair()
    m.session_ids.append("s1")
    m.survey["trainee"] = {"useful": 5, "again": True, "comment": "", "at": "2027-01-01T00:00:00+00:00"}
    assert m.to_dict() == asdict(m)
    assert Mentorship(**json.loads(json.dumps(m.to_dict()))) == m
