"""What the broker acknowledged and then lost is sent again, with its original id: the
broker (Tansu, in memory) is killed and started again empty, and the outbox's re-drive
check notices and re-publishes; a consumer that had handled an event drops the copy."""
from __future__ import annotations

import signal
import threading

import pytest

from devstack.stack import wait_until
from shared.config import StackSettings
from shared.events import deserialize, make_event
from shared.kafka import LazyProducer, ensure_topics
from shared.outbox import Outbox
from shared.redrive import Redriver
from shared.store import UnitOfWork
from tests.kafka_tools import read_topic

pytestmark = pytest.mark.integration


def test_events_the_broker_lost_after_acknowledging_them_are_sent_again_once(restartable_broker, redis_client):
    stack = restartable_broker
    settings = StackSettings.from_env(stack.env(), kafka_max_block_ms=1500)
    outbox = Outbox(redis_client, "svc")
    events = [make_event("match.failed", f"r{i}", {"request_id": f"r{i}", "reason": "x"}, "tests") for i in range(5)]
    uow = UnitOfWork(redis_client, outbox)
    for event in events:
        uow.emit(event)
    uow.commit()
    producer = LazyProducer(settings)
    assert outbox.relay(producer).sent == 5 and outbox.pending() == 0
    redriver = Redriver(outbox, settings)
    assert redriver.check() == 0                       # all there: nothing to do
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


def test_a_loss_is_noticed_without_an_earlier_look_and_when_a_partition_came_back_missing(
        restartable_broker, redis_client):
    """The broker dies before any re-drive check ran, and comes back with the topic holding
    one partition where it had three: the acknowledged offsets say what is gone, and a
    partition the broker no longer has counts as empty instead of failing the read."""
    stack = restartable_broker
    settings = StackSettings.from_env(stack.env(), kafka_max_block_ms=1500)
    outbox = Outbox(redis_client, "svc")
    uow = UnitOfWork(redis_client, outbox)
    for i in range(9):
        uow.emit(make_event("match.failed", f"k{i}", {"request_id": f"k{i}", "reason": "x"}, "tests"))
    uow.commit()
    producer = LazyProducer(settings)
    assert outbox.relay(producer).sent == 9
    acknowledged = outbox.sent_partitions()
    assert max(p for _, p in acknowledged) >= 1, acknowledged   # some went beyond partition 0

    stack.stop_process("broker", signal.SIGKILL)
    stack.start_broker()
    ensure_topics(StackSettings.from_env(stack.env(), kafka_topic_partitions=1), ["twoshot.match"])
    producer.reset()
    redriver = Redriver(outbox, settings)                   # a new process: it never looked before
    wait_until(lambda: _checked(redriver) == 9, 30, "the loss to be noticed and re-driven")
    assert outbox.pending() == 9 and outbox.sent_partitions() == []
    producer.close()
    redriver.stop()


def test_a_redrive_beside_a_busy_relay_loses_no_event(restartable_broker, redis_client):
    """Relays keep acknowledging while re-drives run: every event ends either still in the
    sent ledger or back in the outbox, never in neither (the re-drive is one WATCH/MULTI)."""
    stack = restartable_broker
    settings = StackSettings.from_env(stack.env(), kafka_max_block_ms=1500)
    outbox = Outbox(redis_client, "svc")
    producer = LazyProducer(settings)
    ids = []
    stop = threading.Event()

    def relay_forever():
        while not stop.is_set():
            outbox.relay(producer, limit=5)

    relaying = threading.Thread(target=relay_forever)
    relaying.start()
    try:
        for round_ in range(20):
            uow = UnitOfWork(redis_client, outbox)
            for i in range(10):
                event = make_event("match.failed", f"b{round_}-{i}", {"request_id": "b", "reason": "x"}, "tests")
                uow.emit(event)
                ids.append(event.id)
            uow.commit()
            outbox.redrive()
    finally:
        stop.set()
        relaying.join(10)
    ledger = set(redis_client.zrange("svc:sent", 0, -1))
    due = set(redis_client.zrange("svc:outbox:due", 0, -1))
    assert [i for i in ids if i not in ledger | due] == []
    producer.close()


def _request_event(i: int):
    return make_event("match.failed", f"w{i}", {"request_id": f"w{i}", "reason": "x"}, "tests")


def test_an_event_whose_answer_is_late_is_sent_again_under_its_id_until_it_arrives(redis_client):
    """A step that did not follow (the bus lost the event, whatever its offsets say): the
    owner sends the same event again every ``after_s`` until the answer arrives."""
    outbox = Outbox(redis_client, "svc")
    events = [_request_event(i) for i in range(3)]
    uow = UnitOfWork(redis_client, outbox)
    for i, event in enumerate(events):
        uow.expect(event, answer=f"match:w{i}", after_s=60)
    uow.commit()
    redis_client.delete("svc:outbox:due", "svc:outbox:events")       # as if relayed, then lost by the bus
    t0 = float(redis_client.zscore("svc:awaited", "match:w0"))
    assert outbox.redrive_awaited(60, 3600, now=t0 - 1) == (0, 0)     # not late yet
    uow = UnitOfWork(redis_client, outbox)
    uow.arrived("match:w1")                                           # one was answered
    uow.commit()
    assert outbox.redrive_awaited(60, 3600, now=t0 + 1) == (2, 0)
    assert sorted(redis_client.zrange("svc:outbox:due", 0, -1)) == sorted([events[0].id, events[2].id])
    assert outbox.redrive_awaited(60, 3600, now=t0 + 2) == (0, 0)     # claimed for another minute
    assert outbox.redrive_awaited(60, 3600, now=t0 + 62) == (2, 0)    # and again after it
    assert outbox.redrive_awaited(60, 100, now=t0 + 200) == (0, 2)    # given up after give_up_s
    assert outbox.awaiting() == 0


def test_two_checkers_at_once_send_each_late_event_once(redis_client):
    outbox_a, outbox_b = Outbox(redis_client, "svc"), Outbox(redis_client, "svc")
    uow = UnitOfWork(redis_client, outbox_a)
    for i in range(300):
        uow.expect(_request_event(i), answer=f"match:w{i}", after_s=10)
    uow.commit()
    later = float(redis_client.zscore("svc:awaited", "match:w0")) + 1
    results = []
    barrier = threading.Barrier(2)

    def check(outbox):
        barrier.wait()
        results.append([outbox.redrive_awaited(10, 3600, now=later, limit=50)[0] for _ in range(4)])

    threads = [threading.Thread(target=check, args=(o,)) for o in (outbox_a, outbox_b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert sum(sum(r) for r in results) == 300
