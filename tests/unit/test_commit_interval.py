"""KAFKA_COMMIT_INTERVAL_MS: while records keep coming the loop commits finished offsets at
most that often, each commit the latest offset of every partition; the first after a
quiet spell and the one on the way out go at once. (That the records a crash leaves
uncommitted are dropped as duplicates is the fault drills' business.)"""
import types

import pytest
from kafka.structs import TopicPartition

import shared.consumer as consumer_module
from shared.config import StackSettings
from shared.consumer import EventConsumer

TP, OTHER = TopicPartition("twoshot.match", 0), TopicPartition("twoshot.match", 1)


class Clock:
    def __init__(self):
        self.now = 1000.0

    def monotonic(self):
        return self.now


class Broker:
    """Takes commits as a Kafka consumer would, and remembers them."""

    def __init__(self):
        self.commits: list[dict] = []

    def cluster_id(self):
        return "c1"

    def commit(self, offsets, timeout_ms=None):
        self.commits.append({tp: meta.offset for tp, meta in offsets.items()})


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(consumer_module, "time", types.SimpleNamespace(monotonic=clock.monotonic))
    return clock


def loop(interval_ms):
    settings = StackSettings().with_overrides(kafka_commit_interval_ms=interval_ms)
    c = EventConsumer(settings=settings, group_id="g", handlers={}, redis=None, outbox=None,
                      consumer_factory=lambda listener: None, producer=None)
    c._finished_cluster = "c1"
    return c


def finish(c, tp, offset):
    c._finished[tp] = offset


def test_a_busy_loop_commits_at_most_once_an_interval_and_always_the_latest_offsets(clock):
    c, broker = loop(250), Broker()
    for i in range(1, 11):                  # ten batches, 60 ms apart
        finish(c, TP if i % 2 else OTHER, i)
        c._commit(broker)
        clock.now += 0.06
    # at once (the first), then once 250 ms are up: after batches 1 and 6; 7-10 wait
    assert broker.commits == [{TP: 1}, {TP: 5, OTHER: 6}]
    assert c._finished == {TP: 9, OTHER: 10}
    clock.now += 0.25
    c._commit(broker)                        # an idle loop commits them once the interval is up
    assert broker.commits[-1] == {TP: 9, OTHER: 10} and c._finished == {}


def test_a_stop_commits_what_is_finished_at_once(clock):
    c, broker = loop(250), Broker()
    finish(c, TP, 1)
    c._commit(broker)
    finish(c, TP, 2)
    c._commit(broker)
    assert broker.commits == [{TP: 1}]
    c._commit(broker, timeout_ms=1000, now=True)
    assert broker.commits == [{TP: 1}, {TP: 2}]


def test_after_a_quiet_spell_the_first_finished_record_is_committed_at_once(clock):
    c, broker = loop(250), Broker()
    finish(c, TP, 1)
    c._commit(broker)
    clock.now += 5
    for _ in range(3):
        c._commit(broker)                    # nothing finished: nothing sent
    finish(c, TP, 2)
    c._commit(broker)
    assert broker.commits == [{TP: 1}, {TP: 2}]


def test_an_interval_of_zero_commits_after_every_batch(clock):
    c, broker = loop(0), Broker()
    for i in range(1, 4):
        finish(c, TP, i)
        c._commit(broker)
    assert broker.commits == [{TP: 1}, {TP: 2}, {TP: 3}]
