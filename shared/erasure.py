"""Forgetting a person in one service's Redis state (the right to erasure).

``forget`` walks every key of the service's namespace twice. The first pass learns how
the person appears there (the name and email of every embedded person record with their
id). The second rewrites: a record that belongs to the person (its top-level
``trainee`` or ``person`` is them, or its ``mentor`` when no trainee is in it) is
deleted; elsewhere their embedded record becomes ``erased_person`` and their name and
email are cut out of every text.
Aggregate counts (fairness figures, loads) stay: they hold no personal field.

It reads the whole namespace, so it costs O(keys) per erasure: fine for erasures,
which are rare; an index per person is the next step if that ever shows.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from shared.consumer import Handler, Selective
from shared.events import Event
from shared.privacy import erased_person
from shared.store import UnitOfWork


def _walk_needles(value: Any, person_id: str, needles: set[str]) -> None:
    if isinstance(value, dict):
        if value.get("id") == person_id:
            for field in ("name", "email"):
                if isinstance(value.get(field), str) and value[field].strip():
                    needles.add(value[field])
        for v in value.values():
            _walk_needles(v, person_id, needles)
    elif isinstance(value, list):
        for v in value:
            _walk_needles(v, person_id, needles)


def _owned(doc: Any, person_id: str) -> bool:
    """A trainee owns what is theirs (a request, its sessions and critiques); a mentor owns
    their profile. A record of another trainee's with this mentor in it (a proposal, a
    session) is theirs, not the mentor's: it is redacted, not deleted."""
    if not isinstance(doc, dict):
        return False

    def who(field: str) -> str | None:
        value = doc.get(field)
        return value.get("id") if isinstance(value, dict) else None
    if who("trainee") == person_id or who("person") == person_id:
        return True
    return who("mentor") == person_id and "trainee" not in doc


def _redact(value: Any, person_id: str, needles: list[str]) -> Any:
    if isinstance(value, dict):
        if value.get("id") == person_id and "email" in value:
            return erased_person(person_id)
        return {k: _redact(v, person_id, needles) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact(v, person_id, needles) for v in value]
    if isinstance(value, str):
        for needle in needles:
            value = value.replace(needle, "—")
        return value
    return value


def _rewrite(raw: str, person_id: str, needles: list[str]) -> str | None:
    """The value to store instead of ``raw``: None to delete it, ``raw`` to keep it."""
    if person_id not in raw and not any(n in raw for n in needles):
        return raw
    try:
        doc = json.loads(raw)
    except ValueError:
        doc = raw
    if _owned(doc, person_id):
        return None
    # A JSON string value may itself hold JSON (an outbox entry's event): it is sealed, so
    # it holds no clear text of theirs; only their clear fields are rewritten.
    redacted = _redact(doc, person_id, needles)
    return raw if redacted == doc else (json.dumps(redacted, ensure_ascii=False) if not isinstance(doc, str)
                                         else redacted)


def _asks(request: dict, service: str) -> bool:
    return not request.get("services") or service in request["services"]


def erasure_handler(service: str, handle: Handler) -> Selective:
    """``handle`` for the ``person.erasure_requested`` that ask ``service``: the first asks
    every service; one asked again (services/intake/erasures.py) names those whose report
    is missing, and the others skip it unopened (``Selective``), or once opened when its
    producer did not check it."""
    def run(event: Event, uow: UnitOfWork) -> None:
        if _asks(event.data, service):
            handle(event, uow)
    return Selective(run, lambda body: _asks(body.get("data") or {}, service))


def forget(redis_client, namespace: str, person_id: str, needles: tuple[str, ...] = ()) -> int:
    """Scrub ``person_id`` from every key under ``namespace:``; returns how many values changed."""
    values = _read_values(redis_client, namespace)
    ordered = sorted(_needles(values, person_id, needles), key=len, reverse=True)   # a full name before its parts
    changed = 0
    for key, (kind, value) in values.items():
        pipe = redis_client.pipeline(transaction=True)
        changed += _SCRUB[kind](pipe, key, value, person_id, ordered)
        pipe.execute()
    return changed


def _read_values(redis_client, namespace: str) -> dict[str, tuple[str, Any]]:
    """Every string, hash and list under ``namespace:``, as ``{key: (kind, value)}``."""
    read = {"string": redis_client.get, "hash": redis_client.hgetall,
            "list": lambda key: redis_client.lrange(key, 0, -1)}
    values: dict[str, tuple[str, Any]] = {}
    for key in redis_client.scan_iter(match=f"{namespace}:*", count=500):
        kind = redis_client.type(key)
        if kind in read:
            values[key] = (kind, read[kind](key))
    return values


def _needles(values: dict[str, tuple[str, Any]], person_id: str, given: tuple[str, ...]) -> set[str]:
    """The clear text to scrub: ``given``, and what the records naming ``person_id`` hold of them."""
    found: set[str] = {n for n in given if n}
    for entry in values.values():
        for raw in _raw_values(entry):
            if raw is not None and person_id in raw:
                try:
                    _walk_needles(json.loads(raw), person_id, found)
                except ValueError:
                    pass
    return found


def _scrub_string(pipe, key: str, value: str | None, person_id: str, ordered: list[str]) -> int:
    if value is None:
        return 0
    new = _rewrite(value, person_id, ordered)
    if new is None:
        pipe.delete(key)
    elif new != value:
        pipe.set(key, new, keepttl=True)
    return int(new != value)


def _scrub_hash(pipe, key: str, value: dict[str, str], person_id: str, ordered: list[str]) -> int:
    changed = 0
    for field, raw in value.items():
        new = _rewrite(raw, person_id, ordered)
        if new is None:
            pipe.hdel(key, field)
        elif new != raw:
            pipe.hset(key, field, new)
        changed += new != raw
    return changed


def _scrub_list(pipe, key: str, value: list[str], person_id: str, ordered: list[str]) -> int:
    rewritten = [_rewrite(raw, person_id, ordered) for raw in value]
    if rewritten == value:
        return 0
    kept = [r for r in rewritten if r is not None]
    pipe.delete(key)
    if kept:
        pipe.rpush(key, *kept)
    return sum(1 for a, b in zip(value, rewritten, strict=True) if a != b)


_SCRUB: dict[str, Callable[..., int]] = {"string": _scrub_string, "hash": _scrub_hash, "list": _scrub_list}


def _raw_values(entry: tuple[str, Any]) -> list[str | None]:
    kind, value = entry
    if kind == "string":
        return [value]
    if kind == "hash":
        return list(value.values())
    return list(value)
