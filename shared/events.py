"""The event envelope every Twoshot event travels in (CloudEvents 1.0 in spirit).

An event is validated against the envelope schema *and* the schema registered for
its type once, where it enters the system: when a Twoshot producer makes it from what
came in at an edge (``make_event``). An event a worker derives from the one it handles
(``Event.caused``) is built from data already validated and is not checked again,
except under ``check_derived`` (the tests), where it must come out exactly as
validation would make it. The envelope then carries ``checked``, naming the contracts it was checked against
(``contracts.fingerprint()``); a consumer with the same contracts trusts it and only
parses it. Any other record (written by something else, replayed from a dead-letter
copy, or made under other contracts during a rolling deploy) is validated in full on
consume, where unknown fields are excluded, so adding a field to an event never breaks
an older consumer. The header is a producer's word, not a signature: whoever can write
to the bus can already write valid but wrong events (docs/decisions/0012-cpu.md).
"""
from __future__ import annotations

import functools
import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, missing, validate

from shared import contracts, fastjson
from shared.logs import current_correlation

if TYPE_CHECKING:
    from collections.abc import Mapping

    from shared.privacy import Sealer


class InvalidEvent(ValueError):
    """A message that is not a valid Twoshot event; ``messages`` says why, per field."""

    def __init__(self, messages: Any):
        super().__init__(json.dumps(messages, default=str, sort_keys=True))
        self.messages = messages


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Event:
    type: str
    subject: str
    data: dict
    source: str
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    version: int = 1
    time: datetime = field(default_factory=utcnow)
    correlation_id: str = ""
    causation_id: str | None = None
    # Its data was validated against its schema when it was made (``make_event``) or read
    # (``deserialize``), so producing it need not validate it again (a third of a worker's
    # time went to marshmallow). Data is not to be changed after that.
    checked: bool = field(default=False, compare=False, repr=False)
    # The record's bytes as the bus carried them (sealed), when it was read from the bus: a
    # copy of it kept for later (a dead-letter after the last email attempt) need not be
    # serialised and sealed again.
    wire: bytes | None = field(default=None, compare=False, repr=False)

    @property
    def topic(self) -> str:
        return contracts.topic_for(self.type)

    def caused(self, type: str, subject: str, data: dict, source: str) -> Event:
        """A new event that this one caused: same correlation, causation = this id.

        Its data is derived, by a worker's handler, from this event (validated when it
        entered the system) and the worker's own state, so it is not validated again:
        only the schema's defaults are filled in (``derived``). The test suite runs with
        ``check_derived(True)``, where every derived event is also validated and must come
        out exactly as validation would make it (docs/decisions/0012-cpu.md)."""
        return valid_event(type, subject, data, source, correlation_id=self.correlation_id or self.id,
                           causation_id=self.id)


class EnvelopeSchema(Schema):
    id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    type = fields.String(required=True, validate=validate.OneOf(sorted(contracts.EVENT_SCHEMAS)))
    version = fields.Integer(required=True, validate=validate.Range(min=1))
    source = fields.String(required=True, validate=validate.Length(min=1, max=64))
    time = fields.AwareDateTime(required=True, format="iso")
    subject = fields.String(required=True, validate=validate.Length(min=1, max=128))
    correlation_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    causation_id = fields.String(load_default=None, allow_none=True)
    data = fields.Dict(required=True)
    checked = fields.String(load_default="")   # the contracts' fingerprint its producer validated against


_ENVELOPE = EnvelopeSchema()


def make_event(type: str, subject: str, data: dict, source: str, *,
               correlation_id: str | None = None, causation_id: str | None = None) -> Event:
    """Build an event, validating its data against the schema for ``type``. Its
    correlation id is, by default, that of the work in hand (the HTTP request or the
    event being handled), so one trainee's request can be followed across services."""
    event_id = str(uuid.uuid4())
    clean = _load_data(type, data, unknown=RAISE)
    return Event(type=type, subject=subject, data=clean, source=source, id=event_id,
                 correlation_id=correlation_id or current_correlation() or event_id, causation_id=causation_id,
                 checked=True)


def valid_event(type: str, subject: str, data: dict, source: str, *,
                correlation_id: str | None = None, causation_id: str | None = None) -> Event:
    """Build an event from data that was validated already: derived from a validated event
    (``Event.caused``), or from input an edge's own schema loaded (a trainee's request,
    which ``MentorshipRequestSchema`` checked before the event is made from it). Only the
    schema's top-level defaults are filled in (``derived``). With ``check_derived(True)``
    (the test suite) the event is validated too and must come out exactly as validation
    would make it, so a builder that drifts from its contract fails in the tests."""
    if _checking_derived:
        made = make_event(type, subject, data, source, correlation_id=correlation_id, causation_id=causation_id)
        _same_as_validated(type, derived(type, data), made.data)
        return made
    event_id = str(uuid.uuid4())
    return Event(type=type, subject=subject, data=derived(type, data), source=source, id=event_id,
                 correlation_id=correlation_id or current_correlation() or event_id, causation_id=causation_id,
                 checked=True)


_checking_derived = False


def check_derived(on: bool) -> None:
    """Validate every derived event (``Event.caused``) too, and refuse one that validation
    would change: what the tests and ``CHECK_DERIVED_EVENTS=true`` turn on."""
    global _checking_derived
    _checking_derived = on


@functools.cache
def _defaults(type: str) -> tuple[tuple[str, Any], ...]:
    schema = contracts.EVENT_SCHEMAS.get(type)
    if schema is None:
        raise InvalidEvent({"type": [f"Unknown event type {type!r}."]})
    return tuple((name, f.load_default) for name, f in schema.fields.items() if f.load_default is not missing)


def derived(type: str, data: dict) -> dict:
    """``data`` with its schema's top-level defaults filled in, not validated."""
    out = dict(data)
    for name, default in _defaults(type):
        if name not in out:
            out[name] = default() if callable(default) else default
    return out


def _same_as_validated(type: str, fast: dict, clean: dict) -> None:
    if fast != clean:
        differ = sorted(k for k in fast.keys() | clean.keys() if fast.get(k, missing) != clean.get(k, missing))
        raise InvalidEvent({"data": {k: ["A derived event must carry what validation would make of it."]
                                     for k in differ}})


def _load_data(type: str, data: dict, unknown) -> dict:
    schema = contracts.EVENT_SCHEMAS.get(type)
    if schema is None:
        raise InvalidEvent({"type": [f"Unknown event type {type!r}."]})
    try:
        # Load then dump so that what travels is plain JSON (dates as ISO strings).
        return schema.dump(schema.load(data, unknown=unknown))
    except ValidationError as exc:
        raise InvalidEvent({"data": exc.messages}) from exc


def serialize(event: Event, sealer: Sealer | None = None) -> bytes:
    """Event → JSON bytes, validated as on produce (unless it was when made); with a
    ``sealer``, personal fields are sealed with their owner's key (shared.privacy)."""
    if not event.checked:
        _load_data(event.type, event.data, unknown=RAISE)
    data = sealer.seal(event.type, event.data) if sealer is not None else event.data
    body = {
        "id": event.id, "type": event.type, "version": event.version, "source": event.source,
        "time": event.time.isoformat(), "subject": event.subject,
        "correlation_id": event.correlation_id or event.id, "causation_id": event.causation_id,
        "data": data, "checked": contracts.fingerprint(),
    }
    return fastjson.dumpb(body)


def parse(raw: bytes | None) -> dict:
    """JSON bytes → the envelope as a dict, unvalidated (``InvalidEvent`` if it is not a
    JSON object)."""
    if raw is None:
        raise InvalidEvent({"_schema": ["Empty message (tombstone)."]})
    try:
        body = fastjson.loads(raw)
    except fastjson.JSONDecodeError as exc:
        raise InvalidEvent({"_schema": [f"Not JSON: {exc}"]}) from exc
    if not isinstance(body, dict):
        raise InvalidEvent({"_schema": ["An event is a JSON object."]})
    return body


def was_checked(body: dict) -> bool:
    """Whether a parsed envelope says it was validated against the contracts this process has."""
    mine = contracts.fingerprint()
    return bool(mine) and body.get("checked") == mine


def deserialize(raw: bytes | None, sealer: Sealer | None = None, trust: bool = True) -> Event:
    """JSON bytes → Event. Validated as on consume (unknown fields are dropped), unless
    its envelope says it was validated against these contracts when it was made
    (``was_checked``) and ``trust`` allows that word. With a ``sealer``, sealed fields
    are opened first (blank where the owner was erased)."""
    return event_of(parse(raw), sealer, trust)


def event_of(body: dict, sealer: Sealer | None = None, trust: bool = True, wire: bytes | None = None,
             keys: Mapping[str, bytes | None] | None = None) -> Event:
    """A parsed envelope (``parse``) → Event, as ``deserialize``; ``wire``: the bytes it was
    parsed from; ``keys``: keys already read for its sealed fields (``Sealer.keys_for``)."""
    if trust and was_checked(body):
        trusted = _trusted(body, sealer, wire, keys)
        if trusted is not None:
            return trusted
    try:
        env = _ENVELOPE.load(body, unknown=EXCLUDE)
    except ValidationError as exc:
        raise InvalidEvent(exc.messages) from exc
    opened = sealer.unseal(env["data"], keys) if sealer is not None else env["data"]
    data = _load_data(env["type"], opened, unknown=EXCLUDE)
    return Event(type=env["type"], subject=env["subject"], data=data, source=env["source"],
                 id=env["id"], version=env["version"], time=env["time"],
                 correlation_id=env["correlation_id"], causation_id=env["causation_id"], checked=True, wire=wire)


def _trusted(body: dict, sealer: Sealer | None, wire: bytes | None = None,
             keys: Mapping[str, bytes | None] | None = None) -> Event | None:
    """The event of a record checked when it was made, read without validating it again;
    None when it is not even shaped like one (then it is validated, and refused, in full)."""
    try:
        data = body["data"]
        if body["type"] not in contracts.EVENT_SCHEMAS or not isinstance(data, dict):
            return None
        return Event(type=body["type"], subject=body["subject"], source=body["source"], id=body["id"],
                     version=body["version"], time=datetime.fromisoformat(body["time"]),
                     correlation_id=body["correlation_id"], causation_id=body.get("causation_id"),
                     data=sealer.unseal(data, keys) if sealer is not None else data, checked=True, wire=wire)
    except (KeyError, TypeError, ValueError):
        return None
