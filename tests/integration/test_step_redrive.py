"""Each step that must follow is asked again until it happens (shared.outbox, "a step that
must follow"), on real Redis through the services' own handlers:

- matching keeps a ``match.proposed`` until sessions answers it (an invite, or no common
  time), so a proposal the bus lost still becomes a session;
- sessions keeps a ``session.invited`` until notifications reports its email, so an invite
  the bus lost still reaches the mentor.

The whole flow through a broker that loses what it acknowledged is the no-settle broker
drill (tests/faults)."""
from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from services.intake import erasures
from services.intake import handlers as intake_handlers
from services.intake.bootstrap import bootstrap as intake_bootstrap
from services.matching import handlers as matching_handlers
from services.matching.bootstrap import bootstrap as matching_bootstrap
from services.sessions import handlers as sessions_handlers
from services.sessions.bootstrap import bootstrap as sessions_bootstrap
from shared.config import StackSettings
from shared.events import deserialize, make_event
from tests.integration.test_races import handle, mentor_registered, replicas, requested

pytestmark = pytest.mark.integration


def _staged(service, event_id: str):
    """The event the outbox would publish next under ``event_id``, or None."""
    raw = service.runtime.redis.hget(f"{service.runtime.outbox.namespace}:outbox:events", event_id)
    return None if raw is None else deserialize(json.loads(raw)["value"].encode(), service.runtime.sealer)


def _later(service) -> float:
    return time.time() + service.runtime.settings.redrive_after_s + 1


def _published(service, event) -> None:
    """As the relay does once the broker acknowledged ``event``."""
    outbox = service.runtime.outbox
    service.runtime.redis.hdel(f"{outbox.namespace}:outbox:events", event.id)
    service.runtime.redis.zrem(f"{outbox.namespace}:outbox:due", event.id)


def _emitted(service, handlers_of, event, event_type: str):
    """The one ``event_type`` event handling ``event`` emitted."""
    [found] = [e for e in handle(service, handlers_of, event).emitted if e.type == event_type]
    return found


def _proposed(matching):
    """A mentor, a request, and matching's proposal for it."""
    handle(matching, matching_handlers.event_handlers, mentor_registered("m1", capacity=2))
    return _emitted(matching, matching_handlers.event_handlers, requested("r1"), "match.proposed")


@pytest.fixture
def settings(infra, redis_client) -> StackSettings:
    """Redis only: these units never reach the broker."""
    return StackSettings.from_env(infra.env(), handler_backoff_s=0.01)


def test_a_proposal_nobody_answered_is_sent_again_under_its_id_until_sessions_invites(settings, redis_client):
    [matching] = replicas(matching_bootstrap, settings, 1)
    [sessions] = replicas(sessions_bootstrap, settings, 1)
    proposal = _proposed(matching)
    _published(matching, proposal)
    outbox = matching.runtime.outbox
    assert outbox.awaiting() == 1
    assert outbox.redrive_awaited(settings.redrive_after_s, settings.redrive_give_up_s) == (0, 0), "not late yet"

    # No answer in time: the same event (same id, same proposal) is queued again.
    assert outbox.redrive_awaited(settings.redrive_after_s, settings.redrive_give_up_s, _later(matching)) == (1, 0)
    again = _staged(matching, proposal.id)
    assert again is not None and again.data["match_id"] == proposal.data["match_id"]

    # Sessions answers with an invite; matching reads it and stops asking.
    invite = _emitted(sessions, sessions_handlers.event_handlers, again, "session.invited")
    handle(matching, matching_handlers.event_handlers, invite)
    assert outbox.awaiting() == 0
    assert outbox.redrive_awaited(0, settings.redrive_give_up_s, _later(matching) + 3600) == (0, 0)


def test_no_common_time_is_an_answer_too(settings, redis_client):
    [matching] = replicas(matching_bootstrap, settings, 1)
    proposal = _proposed(matching)
    assert matching.runtime.outbox.awaiting() == 1
    handle(matching, matching_handlers.event_handlers, make_event("session.unschedulable", "r1", {
        "request_id": "r1", "match_id": proposal.data["match_id"], "mentor_id": "m1", "reason": "no time"},
        "sessions"))
    assert matching.runtime.outbox.awaiting() == 0


def test_an_invite_is_sent_again_until_notifications_reports_its_email(settings, redis_client):
    [matching] = replicas(matching_bootstrap, settings, 1)
    [sessions] = replicas(sessions_bootstrap, settings, 1)
    proposal = _proposed(matching)
    invite = _emitted(sessions, sessions_handlers.event_handlers, proposal, "session.invited")
    _published(sessions, invite)
    outbox = sessions.runtime.outbox
    assert outbox.awaiting() == 1
    assert outbox.redrive_awaited(settings.redrive_after_s, settings.redrive_give_up_s, _later(sessions)) == (1, 0)
    assert _staged(sessions, invite.id).data["session_id"] == invite.data["session_id"]

    # A report about another event's email changes nothing; the invite's own does.
    def report(event_type: str, notification_id: str):
        data = {"notification_id": notification_id, "kind": "invite", "recipient_role": "mentor",
                "request_id": "r1", "session_id": invite.data["session_id"], "recipient_id": "m1"}
        if event_type == "notification.failed":
            data["error"] = "SMTPRecipientsRefused: <recipient>"
        return make_event(event_type, invite.data["session_id"], data, "notifications")
    handle(sessions, sessions_handlers.event_handlers, report("notification.sent", "other-event:mentor:invite"))
    assert outbox.awaiting() == 1
    handle(sessions, sessions_handlers.event_handlers, report("notification.failed", f"{invite.id}:mentor:invite"))
    assert outbox.awaiting() == 0


# --- an erasure waits on four reports ------------------------------------------------

def _forgotten(service: str, asked):
    return asked.caused("person.forgotten", asked.subject, {
        "person_id": asked.subject, "service": service, "removed": 1}, service)


def _erasure_asks(intake) -> list:
    """Every ``person.erasure_requested`` waiting in intake's outbox."""
    raws = intake.runtime.redis.hvals(f"{intake.runtime.outbox.namespace}:outbox:events")
    events = [deserialize(json.loads(raw)["value"].encode(), intake.runtime.sealer) for raw in raws]
    return [e for e in events if e.type == "person.erasure_requested"]


def test_an_erasure_a_report_was_lost_for_asks_that_service_again_under_a_new_id(settings, redis_client):
    [intake] = replicas(intake_bootstrap, settings, 1)
    [matching] = replicas(matching_bootstrap, settings, 1)
    [sessions] = replicas(sessions_bootstrap, settings, 1)
    erasures.request_erasure(intake, "t-r1", "trainee", "self", ["r1"])
    [first] = _erasure_asks(intake)
    _published(intake, first)
    # Three reports arrive; matching's is lost on the bus.
    for service in ("intake", "sessions", "notifications"):
        handle(intake, intake_handlers.event_handlers, _forgotten(service, first))
    assert "completed_at" not in intake.repository.erasure("t-r1")
    assert erasures.ask_again(intake) == 0, "not late yet"

    later = time.time() + settings.erasure_ask_again_s + 1
    assert erasures.ask_again(intake, later) == 1
    [again] = _erasure_asks(intake)
    assert again.id != first.id, "the first id would be dropped as a duplicate where it was handled"
    assert again.data["services"] == ["matching"] and again.data["request_ids"] == ["r1"]
    assert erasures.ask_again(intake, later) == 0, "claimed until the next interval"

    # Only the service named forgets again and reports; the others do nothing.
    body = {"type": again.type, "data": again.data}
    assert not sessions_handlers.event_handlers(sessions)[again.type].wants(body)          # skipped unopened
    assert matching_handlers.event_handlers(matching)[again.type].wants(body)
    assert not handle(sessions, sessions_handlers.event_handlers, again).emitted
    report = _emitted(matching, matching_handlers.event_handlers, again, "person.forgotten")
    first_sessions_report = intake.repository.erasure("t-r1")["forgotten"]["sessions"]
    handle(intake, intake_handlers.event_handlers, report)
    record = intake.repository.erasure("t-r1")
    assert set(record["forgotten"]) == set(erasures.SERVICES) and "completed_at" in record
    assert record["forgotten"]["sessions"] == first_sessions_report
    assert erasures.ask_again(intake, later + 10 * settings.erasure_ask_again_s) == 0


def test_two_intake_workers_asking_at_once_ask_each_erasure_once(settings, redis_client):
    intakes = replicas(intake_bootstrap, settings, 4)
    for n in range(20):
        erasures.request_erasure(intakes[0], f"p{n}", "mentor", "self")
    later = time.time() + settings.erasure_ask_again_s + 1
    start = threading.Barrier(len(intakes))

    def ask(intake) -> int:
        start.wait()
        return erasures.ask_again(intake, later, limit=3)   # small batches: the workers interleave
    with ThreadPoolExecutor(len(intakes)) as pool:
        rounds = [sum(pool.map(ask, intakes)) for _ in range(10)]
    assert sum(rounds) == 20
    asked = [e for e in _erasure_asks(intakes[0]) if e.data.get("services")]
    assert sorted(e.subject for e in asked) == sorted(f"p{n}" for n in range(20))
