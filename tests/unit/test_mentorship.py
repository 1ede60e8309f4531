"""A mentorship's rules (term, states, cadence, nudge) and what its emails say: pure, no
broker or Redis."""
import json
from datetime import UTC, datetime, timedelta

import pytest

from services.notifications import messages
from services.sessions.mentorship import ACTIVE, ENDED, PAUSED, Mentorship, MentorshipError, add_months
from shared.events import deserialize, make_event, serialize
from shared.i18n import LOCALES
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


@pytest.mark.parametrize("locale", LOCALES)
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
