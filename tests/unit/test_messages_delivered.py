"""What a person types with a change reaches the other person, in the reader's language,
and never comes back to its author; on the bus it is sealed with its author's key."""
import json
from datetime import UTC, datetime

import pytest

from services.notifications import messages
from shared.events import make_event, serialize
from shared.privacy import KeyRing, Sealer
from tests.unit.test_privacy import FakeRedis

NOW = datetime(2027, 1, 31, 9, 0, tzinfo=UTC)


def person(pid, name, locale):
    return {"id": pid, "name": name, "email": f"{pid}@example.org", "country": "BR", "region": "x",
            "timezone": "America/Sao_Paulo", "languages": [locale], "availability": [], "locale": locale}


def session(**extra):
    return {"session_id": "s1", "request_id": "r1", "match_id": "m1", "discipline": "colour",
            "mentor": person("mentor-1", "Lucía García", "es"), "trainee": person("trainee-1", "Thiago Lima", "pt"),
            "start": "2027-02-10T14:00:00+00:00", "end": "2027-02-10T15:00:00+00:00",
            "video_url": "https://meet.test/x", "sequence": 1, "links": {}, **extra}


def emails(event_type, d):
    return {e.recipient_role: e for e in messages.compose(event_type, d, ("Twoshot", "p@t.test"), NOW)}


def test_the_mentors_note_with_a_proposed_time_reaches_the_trainee_in_her_language():
    (e,) = emails("session.slot_proposed", session(reason="Tenho rodagem nesse dia")).values()
    assert e.recipient_role == "trainee" and "Lucía García escreveu: «Tenho rodagem nesse dia»" in e.text


@pytest.mark.parametrize("event_type", ["session.cancelled", "session.rescheduled"])
def test_a_cancel_or_move_message_reaches_the_other_person_only(event_type):
    got = emails(event_type, session(by="trainee", reason="Estou doente"))
    assert "Thiago Lima escribió: «Estou doente»" in got["mentor"].text
    assert "Estou doente" not in got["trainee"].text


def test_a_programme_cancellation_quotes_nobody():
    got = emails("session.cancelled", session(by="programme", reason="the mentorship ended"))
    assert all("the mentorship ended" not in e.text for e in got.values())


def test_a_cancel_message_is_sealed_with_its_authors_key():
    sealer = Sealer(KeyRing(FakeRedis()))
    wire = serialize(make_event("session.cancelled", "s1", session(by="trainee", reason="Estou doente"),
                                "sessions"), sealer)
    assert b"Estou doente" not in wire
    assert json.loads(wire)["data"]["reason"]["$sealed"] == "trainee-1"
