"""What the broker acknowledged and then lost is sent again, with its original id: the
broker (Tansu, in memory) is killed and started again empty, and the outbox's re-drive
check notices and re-publishes; a consumer that had handled an event drops the copy."""
from __future__ import annotations

import signal

import pytest

from devstack.stack import wait_until
from shared.config import Settings
from shared.events import deserialize, make_event
from shared.kafka import LazyProducer
from shared.outbox import Outbox
from shared.redrive import Redriver
from shared.store import UnitOfWork
from tests.kafka_tools import read_topic

pytestmark = pytest.mark.integration


def test_events_the_broker_lost_after_acknowledging_them_are_sent_again_once(restartable_broker, redis_client):
    stack = restartable_broker
    settings = Settings.from_env(stack.env(), kafka_max_block_ms=1500)
    outbox = Outbox(redis_client, "svc")
    events = [make_event("match.failed", f"r{i}", {"request_id": f"r{i}", "reason": "x"}, "tests") for i in range(5)]
    uow = UnitOfWork(redis_client, outbox)
    for event in events:
        uow.emit(event)
    uow.commit()
    producer = LazyProducer(settings)
    assert outbox.relay(producer).sent == 5 and outbox.pending() == 0
    redriver = Redriver(outbox, settings)
    assert redriver.check() == 0                       # all there: nothing to do (and the ends noted)
    assert len(read_topic(stack.bootstrap_servers, "twoshot.match", expect=5)) == 5

    stack.stop_process("broker", signal.SIGKILL)       # acknowledged, and gone with it
    stack.start_broker()
    stack.ensure_topics()
    producer.reset()
    wait_until(lambda: _checked(redriver) == 5, 30, "the loss to be noticed and re-driven")
    assert outbox.pending() == 5
    wait_until(lambda: outbox.relay(producer).sent == 5 or outbox.pending() == 0, 30, "the events to go again")
    again = read_topic(stack.bootstrap_servers, "twoshot.match", expect=5)
    assert sorted(deserialize(r.value).id for r in again) == sorted(e.id for e in events)   # the same ids
    assert redriver.check() == 0                       # and not again: the broker has them now
    producer.close()
    redriver.stop()


def _checked(redriver) -> int:
    try:
        return redriver.check()
    except Exception:       # the broker still coming back
        return -1
