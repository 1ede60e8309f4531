"""Sealing personal fields per person, and what a reader gets once the key is gone."""
import json

import pytest
from cryptography.exceptions import InvalidTag

from shared.events import deserialize, make_event, serialize
from shared.privacy import KeyRing, Sealer, is_erased_address


class FakeRedis:
    """Just the hash and string calls the key ring makes."""

    def __init__(self):
        self.hashes: dict[str, dict[str, str]] = {}
        self.strings: dict[str, str] = {}

    def hget(self, name, key):
        return self.hashes.get(name, {}).get(key)

    def hmget(self, name, keys):
        return [self.hget(name, key) for key in keys]

    def hsetnx(self, name, key, value):
        self.hashes.setdefault(name, {}).setdefault(key, value)

    def hdel(self, name, key):
        self.hashes.get(name, {}).pop(key, None)

    def exists(self, key):
        return int(key in self.strings)

    def set(self, key, value, ex=None):
        self.strings[key] = value

    def register_script(self, _source):
        """The key ring's one script: each person's key, made unless they are erased."""
        def keys_or_create(keys, args):
            ring, tombstones = keys[0], keys[1:]
            n = len(args) // 2
            out = []
            for person_id, tombstone, key in zip(args[:n], tombstones, args[n:], strict=True):
                if self.hget(ring, person_id) is None and tombstone not in self.strings:
                    self.hsetnx(ring, person_id, key)
                out.append(self.hget(ring, person_id))
            return out
        return keys_or_create


def person(pid, name, email):
    return {"id": pid, "name": name, "email": email, "country": "KE", "region": "East Africa",
            "timezone": "Africa/Nairobi", "languages": ["sw", "en"], "availability": [], "locale": "en"}


def requested():
    return make_event("mentorship.requested", "r1", {
        "request_id": "r1", "trainee": person("t1", "Wanjiru Kamau", "wanjiru@example.org"), "discipline": "sound",
        "focus_skills": ["boom operation"], "goals": "Cleaner dialogue in Nairobi traffic", "reel_url": "",
        "equity": {"gender": "woman"}, "cohort": ""}, "intake")


@pytest.fixture
def sealer():
    return Sealer(KeyRing(FakeRedis()))


def test_nothing_personal_travels_in_clear_and_the_reader_gets_it_back(sealer):
    raw = serialize(requested(), sealer)
    for secret in (b"Wanjiru", b"wanjiru@example.org", b"Nairobi traffic", b"woman"):
        assert secret not in raw
    body = json.loads(raw)
    assert body["data"]["request_id"] == "r1" and body["data"]["trainee"]["$sealed"] == "t1"
    back = deserialize(raw, sealer)
    assert back.data["trainee"]["name"] == "Wanjiru Kamau" and back.data["equity"] == {"gender": "woman"}


def test_once_the_key_is_destroyed_readers_get_blanks_and_new_events_carry_none(sealer):
    raw = serialize(requested(), sealer)
    sealer._keys.destroy("t1")
    back = deserialize(raw, sealer)
    assert back.data["trainee"]["name"] == "—" and is_erased_address(back.data["trainee"]["email"])
    assert back.data["goals"] == "" and back.data["equity"] is None and back.data["focus_skills"] == []
    # An event made later from state not yet forgotten cannot re-seal them with a new key.
    again = json.loads(serialize(requested(), sealer))
    assert again["data"]["trainee"]["name"] == "—" and "$sealed" not in json.dumps(again["data"]["trainee"])


def test_a_sealed_field_moved_to_another_person_does_not_open(sealer):
    body = json.loads(serialize(requested(), sealer))
    other = json.loads(serialize(make_event("mentorship.requested", "r2", {
        **requested().data, "request_id": "r2", "trainee": person("t2", "Other", "other@example.org")}, "intake"),
        sealer))
    body["data"]["trainee"] = {**other["data"]["trainee"], "$sealed": "t1"}   # t2's ciphertext claimed as t1's
    with pytest.raises(InvalidTag):
        deserialize(json.dumps(body).encode(), sealer)


def test_every_person_and_contact_field_of_every_event_is_marked_personal_in_its_contract():
    # The contract is the one list (shared.contracts.personal): a person, a name or an
    # address added to an event without the mark would travel in clear, and this fails.
    from marshmallow import fields

    from shared.contracts import EVENT_SCHEMAS, PersonSchema
    from shared.privacy import OWNERS, SEALED
    unmarked = [f"{t}.{name}" for t, schema in EVENT_SCHEMAS.items() for name, field in schema.fields.items()
                if ((isinstance(field, fields.Nested) and field.nested is PersonSchema) or name in ("name", "email"))
                and "personal" not in field.metadata]
    assert unmarked == []
    assert {owner for fs in SEALED.values() for owner in fs.values()} <= set(OWNERS.values())
    assert SEALED["mentorship.requested"].keys() == {"trainee", "focus_skills", "goals", "reel_url", "equity"}


def test_a_trainee_who_declines_seals_her_words_with_her_own_key(sealer):
    # Before the registry, a first session's decline reason was sealed with the mentor's
    # key even when the trainee declined a proposed time: erasing her left it readable.
    data = {"session_id": "s1", "request_id": "r1", "mentor_id": "m1", "by": "trainee",
            "reason": "I am on set that week", "message": "Could we meet the week after?",
            "trainee": person("t1", "Wanjiru Kamau", "wanjiru@example.org"),
            "mentor": person("m1", "Inès Lefèvre", "ines@example.org")}
    body = json.loads(serialize(make_event("session.declined", "s1", data, "sessions"), sealer))["data"]
    assert body["reason"]["$sealed"] == body["message"]["$sealed"] == "t1"
    by_mentor = json.loads(serialize(make_event("session.declined", "s1", {**data, "by": "mentor"}, "sessions"),
                                     sealer))["data"]
    assert by_mentor["reason"]["$sealed"] == "m1"
