"""``shared.rdkafka``: what the consumer loop relies on from librdkafka, with a stand-in for
confluent-kafka's ``Consumer`` (the real one against a real broker runs every
integration test and drill with ``KAFKA_CLIENT=librdkafka``)."""
from __future__ import annotations

import threading

import pytest
from confluent_kafka import OFFSET_BEGINNING, OFFSET_INVALID, KafkaError, KafkaException
from confluent_kafka import TopicPartition as RdPartition
from kafka.errors import CommitFailedError, KafkaTimeoutError
from kafka.structs import OffsetAndMetadata, TopicPartition

from shared.config import Settings
from shared.rdkafka import RdConsumer
from tests.conftest import poll


class Message:
    def __init__(self, topic, partition, offset, value=b"v", error=None):
        self._at, self._value, self._error = (topic, partition, offset), value, error

    def error(self):
        return self._error

    def topic(self):
        return self._at[0]

    def partition(self):
        return self._at[1]

    def offset(self):
        return self._at[2]

    def timestamp(self):
        return (1, 1_700_000_000_000)

    def key(self):
        return b"k"

    def value(self):
        return self._value

    def headers(self):
        return None


class Metadata:
    cluster_id = "c1"


class StandIn:
    """Records what RdConsumer asks of librdkafka; hands out what a test queued."""

    def __init__(self, config):
        self.config = config
        self.queued: list = []
        self.assigned: list = []
        self.seeks: list = []
        self.commit_error: KafkaException | None = None
        self.callbacks: dict = {}
        self.answer = threading.Event()     # cleared: commits wait, as for a broker that is away
        self.answer.set()
        self.committed: list = []
        self.closed = False

    def subscribe(self, topics, **callbacks):
        self.callbacks = callbacks

    def list_topics(self, timeout):
        return Metadata()

    def poll(self, timeout):
        return self.queued.pop(0) if self.queued else None

    def consume(self, n, timeout):
        taken, self.queued = self.queued[:n], self.queued[n:]
        return taken

    def assign(self, partitions):
        self.assigned = partitions

    def assignment(self):
        return self.assigned

    def seek(self, partition):
        self.seeks.append((partition.topic, partition.partition, partition.offset))

    def commit(self, offsets, asynchronous):
        self.answer.wait()
        if self.commit_error is not None:
            raise self.commit_error
        self.committed.append([(p.partition, p.offset) for p in offsets])
        return offsets

    def close(self):
        self.answer.wait()
        self.closed = True


class Listener:
    def __init__(self):
        self.consumer: RdConsumer | None = None
        self.lost: list = []
        self.start_at: dict = {}

    def on_partitions_assigned(self, assigned):
        for tp in assigned:       # as EventConsumer.start_from_commit does
            if tp in self.start_at:
                self.consumer.seek(tp, self.start_at[tp])
            else:
                self.consumer.seek_to_beginning(tp)

    def on_partitions_revoked(self, revoked):
        pass

    def on_partitions_lost(self, lost):
        self.lost.extend(lost)


def built(**overrides) -> tuple[RdConsumer, StandIn, Listener]:
    made: list[StandIn] = []
    listener = Listener()

    def factory(config):
        made.append(StandIn(config))
        return made[0]

    consumer = RdConsumer(Settings(**overrides), "g", ["t"], listener, factory=factory)
    listener.consumer = consumer
    return consumer, made[0], listener


def test_seeks_asked_for_while_partitions_are_assigned_become_the_offsets_they_are_assigned_at():
    consumer, rd, listener = built()
    listener.start_at = {TopicPartition("t", 0): 7}
    rd.callbacks["on_assign"](rd, [RdPartition("t", 0), RdPartition("t", 1)])
    assert [(p.topic, p.partition, p.offset) for p in rd.assigned] == [("t", 0, 7), ("t", 1, OFFSET_BEGINNING)]
    assert rd.seeks == []                       # librdkafka cannot seek a partition it has not started
    assert consumer.assignment() == {TopicPartition("t", 0), TopicPartition("t", 1)}
    consumer.seek(TopicPartition("t", 1), 3)    # after the assignment: a real seek
    assert rd.seeks == [("t", 1, 3)]
    rd.callbacks["on_revoke"](rd, [RdPartition("t", 0)])
    assert consumer.assignment() == {TopicPartition("t", 1)}


def test_a_listener_that_fails_while_assigning_still_leaves_the_partitions_assigned_from_their_commit():
    _, rd, listener = built()

    def broken(assigned):
        raise RuntimeError("broker still coming back")
    listener.on_partitions_assigned = broken
    with pytest.raises(RuntimeError):
        rd.callbacks["on_assign"](rd, [RdPartition("t", 2)])
    assert [(p.partition, p.offset) for p in rd.assigned] == [(2, OFFSET_INVALID)]   # librdkafka: "the commit"


def test_a_poll_waits_for_one_record_then_takes_what_is_fetched_up_to_the_limit_grouped_by_partition():
    consumer, rd, _ = built(kafka_max_poll_records=3)
    rd.queued = [Message("t", 0, 5), Message("t", 1, 9), Message("t", 0, 6), Message("t", 0, 7)]
    batch = consumer.poll(200)
    assert {tp: [r.offset for r in records] for tp, records in batch.items()} == {
        TopicPartition("t", 0): [5, 6], TopicPartition("t", 1): [9]}
    record = batch[TopicPartition("t", 0)][0]
    assert (record.key, record.value, record.headers, record.timestamp) == (b"k", b"v", [], 1_700_000_000_000)
    assert list(consumer.poll(200)) == [TopicPartition("t", 0)] and consumer.poll(200) == {}


def test_a_poll_skips_the_clients_passing_errors_and_raises_a_fatal_one():
    consumer, rd, _ = built()
    rd.queued = [Message("t", 0, 0, error=KafkaError(KafkaError._TRANSPORT)), Message("t", 0, 1)]
    assert [r.offset for records in consumer.poll(0).values() for r in records] == [1]
    rd.queued = [Message("t", 0, 2, error=KafkaError(KafkaError._FENCED, fatal=True))]
    with pytest.raises(KafkaException):
        consumer.poll(0)


def test_a_commit_the_group_refuses_after_a_rebalance_is_kafka_pythons_commit_failed_and_an_outage_is_raised_as_is():
    consumer, rd, _ = built()
    offsets = {TopicPartition("t", 0): OffsetAndMetadata(4, "", -1)}
    rd.commit_error = KafkaException(KafkaError(KafkaError.ILLEGAL_GENERATION))
    with pytest.raises(CommitFailedError):
        consumer.commit(offsets)
    rd.commit_error = KafkaException(KafkaError(KafkaError._WAIT_COORD))
    with pytest.raises(KafkaException):
        consumer.commit(offsets)


def test_partitions_lost_without_a_revoke_reach_the_listener():
    _, rd, listener = built()
    rd.callbacks["on_assign"](rd, [RdPartition("t", 1), RdPartition("t", 2)])
    rd.callbacks["on_lost"](rd, [RdPartition("t", 1)])
    assert listener.lost == [TopicPartition("t", 1)]
    assert listener.consumer.assignment() == {TopicPartition("t", 2)}


def test_the_local_settings_are_ones_librdkafka_accepts():
    _, rd, _ = built(kafka_session_timeout_ms=5000, kafka_max_poll_interval_ms=3000)
    config = rd.config
    assert config["session.timeout.ms"] <= config["max.poll.interval.ms"]
    assert config["heartbeat.interval.ms"] < config["session.timeout.ms"]
    assert config["enable.auto.commit"] is False and config["allow.auto.create.topics"] is False


def test_a_commit_and_a_close_the_client_holds_end_at_their_bound_and_finish_in_the_background(caplog):
    consumer, rd, _ = built()
    rd.answer.clear()                          # librdkafka holds the commit (broker away)
    with pytest.raises(KafkaTimeoutError):
        consumer.commit({TopicPartition("t", 0): OffsetAndMetadata(4, "", -1)}, timeout_ms=50)
    with pytest.raises(KafkaTimeoutError):     # refused at once while that one has no answer
        consumer.commit({TopicPartition("t", 0): OffsetAndMetadata(5, "", -1)}, timeout_ms=60_000)
    rd.answer.set()                            # the broker answers: the first commit lands
    poll(lambda: not consumer._bounded.busy, timeout=5, interval=0.01)
    consumer.commit({TopicPartition("t", 0): OffsetAndMetadata(6, "", -1)}, timeout_ms=1000)
    assert rd.committed == [[(0, 4)], [(0, 6)]]
    rd.answer.clear()
    with pytest.raises(KafkaTimeoutError):
        consumer.commit({TopicPartition("t", 0): OffsetAndMetadata(7, "", -1)}, timeout_ms=50)
    consumer.close(timeout_ms=50)              # queued behind it, bounded the same way
    assert "did not close in time" in caplog.text and not rd.closed
    rd.answer.set()                            # the commit, then the close, finish in the background
    helper = consumer._bounded._thread
    helper.join(5)
    assert not helper.is_alive() and rd.committed[-1] == [(0, 7)] and rd.closed


def test_the_cluster_is_not_asked_while_a_commit_that_overran_has_no_answer():
    consumer, rd, _ = built()
    asked = []
    rd.list_topics = lambda timeout: asked.append(timeout) or Metadata()
    rd.answer.clear()
    with pytest.raises(KafkaTimeoutError):
        consumer.commit({TopicPartition("t", 0): OffsetAndMetadata(4, "", -1)}, timeout_ms=50)
    consumer._cluster_at = float("-inf")       # due to be asked again
    assert consumer.cluster_id() == "c1" and asked == []   # the last one known
    rd.answer.set()
    poll(lambda: not consumer._bounded.busy, timeout=5, interval=0.01)
    assert consumer.cluster_id() == "c1" and len(asked) == 1


def test_a_commit_the_listener_asks_for_while_the_close_revokes_is_refused_at_once_not_waited_on(caplog):
    """librdkafka's close calls the revoke callback on the thread that closes: the helper.
    A commit queued behind that close would wait for itself until its bound."""
    consumer, rd, listener = built(kafka_max_block_ms=5000)
    rd.callbacks["on_assign"](rd, [RdPartition("t", 0)])
    tried = []

    def revoked(partitions):
        try:
            consumer.commit({tp: OffsetAndMetadata(9, "", -1) for tp in partitions})
        except KafkaTimeoutError as exc:
            tried.append(str(exc))
    listener.on_partitions_revoked = revoked

    def close():
        rd.callbacks["on_revoke"](rd, [RdPartition("t", 0)])
        rd.closed = True
    rd.close = close
    consumer.close(timeout_ms=2000)
    assert rd.closed and "did not close in time" not in caplog.text
    assert len(tried) == 1 and "an earlier commit or close of this consumer still has no answer" in tried[0]
    assert rd.committed == []
