"""An event a Twoshot producer checked is read on trust: a worker that does not handle its
type skips it without opening its sealed fields (no key store round trip), and one that
does reads it without validating it again. A record without that word (poison, a
replay, another version's contracts) is validated in full, whoever handles it, and a
bad one is dead-lettered by every group that reads its topic, as the poison drill
expects. (Unit level: a consumer with no Redis; what reaches Redis is not needed.)"""
import json
from types import SimpleNamespace

import pytest

from shared.config import StackSettings
from shared.consumer import EventConsumer, Selective
from shared.contracts import fingerprint
from shared.events import make_event, serialize


class NoKeys:
    """A sealer that must not be asked: opening a field is the work being saved."""

    def unseal(self, data, keys=None):
        raise AssertionError("a record this worker does not handle was opened")


def consumer(handled_types):
    handled, dead = [], []
    c = EventConsumer(settings=StackSettings(), group_id="g", handlers=dict.fromkeys(handled_types, None),
                      redis=None, outbox=None, consumer_factory=lambda listener: None, producer=None,
                      sealer=NoKeys())
    c._handle = lambda record, event, handler, key: handled.append(event.type)
    c.dead_letter = lambda record, reason, trace="": dead.append(reason)
    return c, handled, dead


def record(value):
    return SimpleNamespace(value=value, headers=[], topic="twoshot.match", partition=0, offset=1, key=b"r1")


def failed(checked=True):
    body = json.loads(serialize(make_event("match.failed", "r1", {"request_id": "r1", "reason": "none left"},
                                           "matching")))
    if not checked:
        del body["checked"]
    return json.dumps(body).encode()


def test_a_checked_record_of_a_type_this_worker_does_not_handle_is_skipped_unopened():
    c, handled, dead = consumer({"match.proposed"})
    c.process(record(failed()))
    assert handled == [] and dead == []


def test_an_unchecked_record_is_opened_and_validated_even_if_its_type_is_not_handled():
    c, handled, dead = consumer({"match.proposed"})
    c.process(record(failed(checked=False)))
    assert handled == [] and len(dead) == 1 and "opened" in dead[0]   # the sealer was asked


@pytest.mark.parametrize("checked", [False, True])
def test_a_record_whose_data_breaks_its_schema_is_dead_lettered_unless_a_producer_checked_it(checked):
    c, handled, dead = consumer({"match.proposed"})
    c.sealer = None
    bad = {"id": "p1", "type": "match.failed", "version": 1, "source": "x", "time": "2026-01-01T00:00:00+00:00",
           "subject": "s", "correlation_id": "c", "data": {}, **({"checked": fingerprint()} if checked else {})}
    c.process(record(json.dumps(bad).encode()))
    # Without the producer's word it is poison for every reader; with it, a reader that does
    # not handle the type takes the word and moves on.
    assert (dead == []) == checked and handled == []


def sent(kind, checked=True):
    body = json.loads(serialize(make_event("notification.sent", "s1", {
        "notification_id": f"e1:mentor:{kind}", "kind": kind, "recipient_role": "mentor", "request_id": "r1",
        "session_id": "s1"}, "notifications")))
    if not checked:
        del body["checked"]
    return json.dumps(body).encode()


def test_a_selective_handler_opens_only_the_checked_records_it_wants():
    c, handled, dead = consumer(())
    c.handlers = {"notification.sent": Selective(lambda e, u: None, lambda body: body["data"]["kind"] == "invite")}
    c.process(record(sent("reminder_starts_in_24h")))
    assert handled == [] and dead == []       # skipped before the sealer was asked
    c.sealer = None
    c.process(record(sent("invite")))
    assert handled == ["notification.sent"]


def test_a_selective_handler_does_not_let_an_unchecked_record_skip_validation():
    c, handled, dead = consumer(())
    c.handlers = {"notification.sent": Selective(lambda e, u: None, lambda body: False)}
    c.process(record(sent("reminder_starts_in_24h", checked=False)))
    assert handled == [] and len(dead) == 1 and "opened" in dead[0]   # validated (the sealer was asked)


def test_sessions_waits_for_the_email_of_every_event_it_asks_with_and_skips_the_rest():
    """The kinds sessions' filter keeps are the ones notifications gives the emails of the
    events ``ask`` sends; a confirmation or reminder is skipped."""
    from services.notifications import messages
    from services.sessions.outgoing import ASKING_MAIL_KINDS, awaited_mail
    from tests.unit.test_no_english_left import STAMP, session_data

    for event_type in ("session.invited", "session.slot_proposed", "session.move_proposed"):
        emails = messages.compose(event_type, session_data("en", "colour"), ("T", "o@t.test"), STAMP)
        assert emails and all(awaited_mail({"data": {"kind": e.kind}}) for e in emails), event_type
    for event_type in ("session.confirmed", "session.reminder", "session.completed"):
        kinds = {e.kind for e in messages.compose(event_type, session_data("en", "colour"), ("T", "o@t.test"), STAMP)}
        assert kinds and not kinds & ASKING_MAIL_KINDS, event_type


@pytest.mark.parametrize("checked", [True, False])
def test_a_handler_gets_the_records_bytes_as_the_bus_carried_them(checked):
    """What notifications keeps for a dead-letter copy is the record itself, not the
    event serialised and sealed again."""
    c, _, dead = consumer(())
    c.sealer, got = None, []
    c.handlers = {"notification.sent": lambda e, u: None}
    c._handle = lambda record, event, handler, key: got.append(event)
    raw = sent("invite", checked=checked)
    c.process(record(raw))
    assert dead == [] and got[0].wire == raw and got[0].data["kind"] == "invite"
