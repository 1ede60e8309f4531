"""Personal fields on the bus, sealed with a key per person (crypto-shredding).

Every event carries the people it is about (event-carried state transfer), and topics
keep what they carry for their retention. So no personal field travels in clear: as an
event is serialised, each personal field is replaced by ``{"$sealed": <owner id>, "v":
<AES-256-GCM of the value>}`` with the key of the person it belongs to, and unsealed as
it is read. Erasing a person destroys their key (``KeyRing.destroy``): every copy of
their fields, in every topic, dead-letter topic and outbox, is unreadable from then on.

A reader that meets a sealed field whose key is gone gets a blank instead (an empty
text, an empty list, or ``erased_person`` for a person): events keep flowing, and a
later event about an erased person carries no personal data either, because sealing
for a destroyed key writes the blank instead. See docs/decisions/0006.

The keys live in Redis under ``twoshot:keys`` (KEYRING_URL, by default each service's
own Redis; in production one store every service reaches, like the staff accounts).
"""
from __future__ import annotations

import base64
import os
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from marshmallow import Schema

from shared import fastjson
from shared.contracts import EVENT_SCHEMAS

NS = "twoshot:keys"
ERASED_DOMAIN = "erased.invalid"
# After an erasure, no new key is made for that id for this long, so an event about
# the person still in flight cannot re-seal their data with a fresh, readable key.
TOMBSTONE_S = 7 * 24 * 3600


# KEYS = the key ring, then each person's erasure tombstone; ARGV = each person's id, then
# as many new keys. Returns each person's key: the one already there, else the new one,
# else false once erased (no key is made while the tombstone stands). One round trip for
# people seen before and new ones alike (a trainee's first request seals for a new person).
_KEYS_OR_CREATE = """
local n = #ARGV / 2
local out = {}
for i = 1, n do
  local key = redis.call('HGET', KEYS[1], ARGV[i])
  if not key and redis.call('EXISTS', KEYS[i + 1]) == 0 then
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[n + i])
    key = ARGV[n + i]
  end
  out[i] = key
end
return out
"""


def erased_person(person_id: str) -> dict:
    """What a person looks like to a reader once they are erased: no name, no address."""
    return {"id": person_id, "name": "—", "email": f"erased-{person_id[:16]}@{ERASED_DOMAIN}", "country": "",
            "region": "", "timezone": "UTC", "languages": [], "availability": [], "locale": ""}


def is_erased_address(email: str) -> bool:
    return email.endswith("@" + ERASED_DOMAIN)


class KeyRing:
    """One random 256-bit key per person id, made on first use. Not cached in the
    process: a destroyed key must stop working in every process at once (a cache let a
    service seal a just-erased person with the old key; the erasure test caught it)."""

    def __init__(self, redis_client):
        self._redis = redis_client
        self._keys_or_create = redis_client.register_script(_KEYS_OR_CREATE)

    def key(self, person_id: str, create: bool) -> bytes | None:
        return self.keys([person_id], create)[person_id]

    def keys(self, person_ids: list[str], create: bool) -> dict[str, bytes | None]:
        """The keys of several people in one round trip. With ``create``, one script reads
        them and makes the missing ones, the erasure tombstone checked in the same atomic
        step, so an erasure can never slip in between and leave a fresh key."""
        ids = list(dict.fromkeys(person_ids))
        if not ids:
            return {}
        if create:
            fresh = [base64.b64encode(AESGCM.generate_key(bit_length=256)).decode() for _ in ids]
            raws = self._keys_or_create(keys=[NS, *(f"{NS}:erased:{i}" for i in ids)], args=[*ids, *fresh])
        else:
            raws = self._redis.hmget(NS, ids)
        return {person_id: base64.b64decode(raw) if raw else None for person_id, raw in zip(ids, raws, strict=True)}

    def erased_until(self, person_id: str) -> float | None:
        """While the person's erasure tombstone stands, when it ends (epoch seconds)."""
        ttl = self._redis.ttl(f"{NS}:erased:{person_id}")
        return time.time() + ttl if ttl and ttl > 0 else None

    def destroy(self, person_id: str, pipe=None) -> None:
        """Shred: every field sealed with this person's key becomes unreadable."""
        target = pipe if pipe is not None else self._redis
        target.hdel(NS, person_id)
        target.set(f"{NS}:erased:{person_id}", "1", ex=TOMBSTONE_S)


def _person_owner(field: str) -> Callable[[dict], str | None]:
    def owner(data: dict) -> str | None:
        value = data.get(field)
        if isinstance(value, dict):
            return value.get("id")
        return value if isinstance(value, str) else None
    return owner


TRAINEE, MENTOR = _person_owner("trainee"), _person_owner("mentor")
_MENTOR_ID = _person_owner("mentor_id")


def _author(data: dict) -> str | None:
    """A message is its author's: sealed with the key of the trainee or the mentor that
    ``by`` names (a programme's or the term's end has no author: nothing to seal)."""
    return {"trainee": TRAINEE, "mentor": MENTOR}.get(data.get("by", ""), lambda _: None)(data)


def _decliner(data: dict) -> str | None:
    """A decline's words are its author's: the trainee's (a proposed time) or the mentor's."""
    return (TRAINEE(data) or data.get("trainee_id") or None) if data.get("by") == "trainee" else _MENTOR_ID(data)


# The rules a contract field's ``personal(owner)`` names: whose key seals it.
OWNERS: dict[str, Callable[[dict], str | None]] = {
    "trainee": TRAINEE, "mentor": MENTOR, "mentor_id": _MENTOR_ID, "author": _author, "decliner": _decliner,
    "author_id": _person_owner("author_id"), "recipient_id": _person_owner("recipient_id"),
}


def sealed_fields(schemas: dict[str, Schema]) -> dict[str, dict[str, Callable[[dict], str | None]]]:
    """Per event type, each personal field and whose key seals it, read from the
    contracts' field metadata (``shared.contracts.personal``): the one list there is."""
    return {event_type: {name: OWNERS[field.metadata["personal"]]
                         for name, field in schema.fields.items() if "personal" in field.metadata}
            for event_type, schema in schemas.items()}


SEALED = {t: f for t, f in sealed_fields(EVENT_SCHEMAS).items() if f}


_BLANK_LIST = ("focus_skills", "rubric", "notes", "why", "updates")


def _blank(field: str, owner: str) -> Any:
    """What a reader gets for a field whose owner is erased: valid, and empty."""
    if field in ("trainee", "mentor"):
        return erased_person(owner)
    if field == "email":
        return erased_person(owner)["email"]
    if field == "name":
        return "—"
    if field in _BLANK_LIST:
        return []
    if field == "attributes":
        return {}
    if field == "equity":
        return None
    return ""


class Sealer:
    def __init__(self, keyring: KeyRing):
        self._keys = keyring

    def seal(self, event_type: str, data: dict) -> dict:
        fields = SEALED.get(event_type)
        if not fields:
            return data
        out = dict(data)
        owners = {field: owner_of(data) for field, owner_of in fields.items()}
        todo = {field: owner for field, owner in owners.items()
                if field in data and owner and not _is_sealed(data[field])}
        keys = self._keys.keys(list(todo.values()), create=True)    # one round trip per event
        for field, owner in todo.items():
            key = keys[owner]
            if key is None:     # erased: nothing of theirs goes out again
                out[field] = _blank(field, owner)
                continue
            nonce = os.urandom(12)
            plain = fastjson.dumpb(data[field])
            out[field] = {"$sealed": owner,
                          "v": base64.b64encode(nonce + AESGCM(key).encrypt(nonce, plain, owner.encode())).decode()}
        return out

    def keys_for(self, datas: Iterable[dict]) -> dict[str, bytes | None]:
        """The keys that open the sealed fields of several events' data, in one round
        trip: a poll's batch is opened with one read of the key store, not one an event."""
        return self._keys.keys([value["$sealed"] for data in datas for value in data.values()
                                if _is_sealed(value)], create=False)

    def unseal(self, data: dict, keys: Mapping[str, bytes | None] | None = None) -> dict:
        """``data`` with its sealed fields opened (blank where the owner is erased);
        ``keys`` (``keys_for``) are used where they hold the owner, the rest are read."""
        out = dict(data)
        sealed = {field: value["$sealed"] for field, value in data.items() if _is_sealed(value)}
        if not sealed:
            return out
        held = keys or {}
        read = self._keys.keys([owner for owner in sealed.values() if owner not in held], create=False)
        ciphers: dict[str, AESGCM] = {}      # one per owner: an event seals several fields of each
        for field, owner in sealed.items():
            key = held[owner] if owner in held else read[owner]
            if key is None:
                out[field] = _blank(field, owner)
                continue
            if owner not in ciphers:
                ciphers[owner] = AESGCM(key)
            raw = base64.b64decode(data[field]["v"])
            out[field] = fastjson.loads(ciphers[owner].decrypt(raw[:12], raw[12:], owner.encode()))
        return out


def _is_sealed(value: Any) -> bool:
    return isinstance(value, dict) and "$sealed" in value and "v" in value
