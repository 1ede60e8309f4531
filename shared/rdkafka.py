"""The bus on librdkafka (confluent-kafka), chosen with ``KAFKA_CLIENT=librdkafka``
(docs/decisions/0015-the-bus-client.md).

``RdConsumer`` and ``RdProducer`` give the consumer loop (``shared.consumer``) and
``LazyProducer`` (``shared.kafka``) the few calls they make of kafka-python, with
kafka-python's ``TopicPartition`` as the key everywhere, so the loop and every guarantee
it keeps (exact commits, rewinds, the new-cluster and past-the-end checks) are the same
code on either client. What differs is said where it differs:

- librdkafka runs the rebalance callbacks inside ``poll``, on the loop's own thread, so
  the listener can always wait for the broker there. A seek asked for while partitions
  are being assigned becomes the offset they are assigned at (librdkafka cannot seek a
  partition it has not started).
- ``poll`` waits for the first record only, then takes what has already been fetched:
  ``consume(n, timeout)`` would wait for all n or the whole timeout.
- kafka-python reads the cluster id from metadata it has anyway; librdkafka does not
  expose it, so it is asked for with a metadata request at most every
  ``_CLUSTER_EVERY_S``, and at once after the client reports an error (a broker that went
  away may come back as a new, empty cluster).
- confluent-kafka's ``commit`` and ``close`` take no timeout: with the broker away they
  wait until librdkafka gives up on the group (the session timeout, several seconds).
  They run on a helper thread (``_Bounded``) so the loop waits no longer than the
  ``timeout_ms`` it asks for, as it does on kafka-python.
- librdkafka's own log lines go to the ``rdkafka`` logger, not to stderr.
"""
from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, NamedTuple

from confluent_kafka import (
    OFFSET_BEGINNING,
    OFFSET_INVALID,
    Consumer,
    KafkaError,
    KafkaException,
    Producer,
)
from confluent_kafka import TopicPartition as RdPartition
from kafka.errors import CommitFailedError, KafkaTimeoutError
from kafka.structs import TopicPartition

from shared.config import Settings

log = logging.getLogger(__name__)
_rdlog = logging.getLogger("rdkafka")

_CLUSTER_EVERY_S = 2.0
# A commit refused because the group has moved on (kafka-python's CommitFailedError):
# those partitions may be another member's now.
_GROUP_MOVED_ON = {KafkaError.ILLEGAL_GENERATION, KafkaError.UNKNOWN_MEMBER_ID,
                   KafkaError.REBALANCE_IN_PROGRESS, KafkaError.FENCED_INSTANCE_ID}


class Record(NamedTuple):
    """A consumed record, with the fields of kafka-python's ``ConsumerRecord`` that
    Twoshot reads."""
    topic: str
    partition: int
    offset: int
    timestamp: int
    key: bytes | None
    value: bytes | None
    headers: list


def is_outage(exc: BaseException) -> bool:
    """True for librdkafka's report of a broker that is away or slow; False for a
    configuration error (an invalid argument or setting), which waiting cannot mend."""
    if not isinstance(exc, KafkaException):
        return False
    error = exc.args[0] if exc.args else None
    return not (isinstance(error, KafkaError) and error.code() in (KafkaError._INVALID_ARG, KafkaError.INVALID_CONFIG))


def _common(settings: Settings) -> dict[str, Any]:
    return {"bootstrap.servers": settings.kafka_bootstrap_servers,
            "client.id": settings.service_name,
            "socket.timeout.ms": settings.kafka_request_timeout_ms,
            "allow.auto.create.topics": False,    # ensure_topics alone creates them (shared.kafka)
            "logger": _rdlog}


def consumer_config(settings: Settings, group_id: str) -> dict[str, Any]:
    # librdkafka refuses a session timeout longer than the poll interval, which the local
    # settings have (the local broker completes a join only when the poll interval runs out).
    session_ms = min(settings.kafka_session_timeout_ms, settings.kafka_max_poll_interval_ms)
    config = {**_common(settings),
              "group.id": group_id,
              "enable.auto.commit": False,          # exact offsets, after the effects are stored
              "enable.auto.offset.store": False,
              "auto.offset.reset": "earliest",
              "max.poll.interval.ms": settings.kafka_max_poll_interval_ms,
              "session.timeout.ms": session_ms,
              # librdkafka's default (3 s) equals the local session timeout: the group fell apart.
              "heartbeat.interval.ms": min(max(1000, session_ms // 5), session_ms // 3),
              "fetch.wait.max.ms": settings.kafka_fetch_max_wait_ms,
              "fetch.min.bytes": settings.kafka_fetch_min_bytes,
              # Prefetch a little, not librdkafka's 64 MB: a record waits in the client
              # only while the loop is busy, and a rebalance drops what was prefetched.
              "queued.max.messages.kbytes": 2048}
    if settings.kafka_group_instance_id:
        config["group.instance.id"] = settings.kafka_group_instance_id
    return config


class _Bounded:
    """One daemon thread that makes a client's calls which have no timeout of their own, so
    the caller waits at most the bound it asks for. A call that overruns goes on in the
    background (librdkafka finishes or abandons it when it gives up on the broker); calls
    after it queue behind it and are bounded the same way (``busy`` lets a caller refuse
    at once instead). A daemon thread: a process that is stopping does not wait for it."""

    def __init__(self, name: str):
        self._name = name
        self._calls: queue.SimpleQueue = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._last: Future | None = None      # calls are answered in turn: this one last

    @property
    def busy(self) -> bool:
        """A call is still waiting for the broker (one that overran its bound)."""
        return self._last is not None and not self._last.done()

    def call(self, fn: Callable[[], Any], timeout_s: float, what: str) -> Any:
        if self._thread is None:
            self._thread = threading.Thread(target=self._serve, name=self._name, daemon=True)
            self._thread.start()
        answer: Future = Future()
        self._last = answer
        self._calls.put((fn, answer))
        try:
            return answer.result(timeout_s)
        except FutureTimeout:
            raise KafkaTimeoutError(f"{what} got no answer in {timeout_s:g} s") from None

    def stop(self) -> None:
        """Let the thread end once what is queued is done."""
        if self._thread is not None:
            self._calls.put(None)

    def _serve(self) -> None:
        while (item := self._calls.get()) is not None:
            fn, answer = item
            try:
                answer.set_result(fn())
            except BaseException as exc:
                answer.set_exception(exc)


def _tp(partition: RdPartition) -> TopicPartition:
    return TopicPartition(partition.topic, partition.partition)


class RdConsumer:
    """A confluent-kafka ``Consumer`` subscribed to ``topics``, behind the calls the
    consumer loop makes of kafka-python's ``KafkaConsumer``. ``listener`` gets
    ``on_partitions_revoked``, ``on_partitions_assigned`` and (librdkafka alone)
    ``on_partitions_lost``, with kafka-python ``TopicPartition`` lists."""

    def __init__(self, settings: Settings, group_id: str, topics: list[str], listener=None,
                 factory: Callable[[dict], Any] = Consumer):
        self._settings = settings
        self._listener = listener
        self._max_records = settings.kafka_max_poll_records
        self._block_s = settings.kafka_max_block_ms / 1000
        self._assigning: dict[TopicPartition, int] | None = None   # seeks asked for while assigning
        self._cluster: str | None = None
        self._cluster_at = float("-inf")
        # librdkafka answers ``assignment()`` from its own thread (a request and a wait);
        # the loop asks every turn, so the callbacks keep a copy (``assignment``).
        self._assigned: set[TopicPartition] = set()
        self.config = consumer_config(settings, group_id)       # librdkafka's names, as kafka-python's .config
        self._consumer = factory({**self.config, "error_cb": self._on_error})
        self._bounded = _Bounded(f"commit-{group_id}")
        try:
            self._consumer.subscribe(list(topics), on_assign=self._on_assign, on_revoke=self._on_revoke,
                                     on_lost=self._on_lost)
            # Fails fast when the broker is away, as kafka-python's bootstrap does, so the
            # loop waits for it (``EventConsumer._connect``).
            self._cluster = self._consumer.list_topics(timeout=self._block_s).cluster_id
            self._cluster_at = time.monotonic()
        except Exception:
            self._consumer.close()
            raise

    # --- the rebalance, on the loop's thread inside poll ---------------------------------
    def _on_assign(self, consumer, partitions: list[RdPartition]) -> None:
        self._assigning = {}
        try:
            if self._listener is not None:
                self._listener.on_partitions_assigned([_tp(p) for p in partitions])
        finally:
            offsets, self._assigning = self._assigning, None
            consumer.assign([RdPartition(p.topic, p.partition, offsets.get(_tp(p), OFFSET_INVALID))
                             for p in partitions])
            self._assigned = {_tp(p) for p in partitions}

    def _on_revoke(self, consumer, partitions: list[RdPartition]) -> None:
        try:
            if self._listener is not None:
                self._listener.on_partitions_revoked([_tp(p) for p in partitions])
        finally:
            self._assigned -= {_tp(p) for p in partitions}

    def _on_lost(self, consumer, partitions: list[RdPartition]) -> None:
        """The group took them without a revoke (a session that timed out): nothing may be
        committed for them now."""
        self._assigned -= {_tp(p) for p in partitions}
        lost = getattr(self._listener, "on_partitions_lost", None)
        if lost is not None:
            lost([_tp(p) for p in partitions])

    def _on_error(self, error: KafkaError) -> None:
        self._cluster_at = float("-inf")       # the broker may be back as another cluster
        if error.fatal():
            log.error("the Kafka client failed for good", extra={"error": error.str()})
        else:
            log.info("Kafka client error", extra={"error": error.str(), "code": error.name()})

    # --- what the loop calls -----------------------------------------------------------
    def poll(self, timeout_ms: int = 0) -> dict[TopicPartition, list[Record]]:
        first = self._consumer.poll(timeout_ms / 1000)
        if first is None:
            return {}
        batch: dict[TopicPartition, list[Record]] = {}
        for message in [first, *self._consumer.consume(self._max_records - 1, 0)]:
            error = message.error()
            if error is not None:
                if error.fatal():
                    raise KafkaException(error)
                if error.code() != KafkaError._PARTITION_EOF:
                    log.info("Kafka consumer error", extra={"error": error.str(), "code": error.name()})
                continue
            tp = TopicPartition(message.topic(), message.partition())
            batch.setdefault(tp, []).append(Record(
                tp.topic, tp.partition, message.offset(), message.timestamp()[1], message.key(),
                message.value(), message.headers() or []))
        return batch

    def assignment(self) -> set[TopicPartition]:
        """The partitions assigned, as the rebalance callbacks last set them (every
        change of a subscribed consumer's assignment passes through them)."""
        return set(self._assigned)

    def commit(self, offsets: dict, timeout_ms: int | None = None) -> None:
        """Commit exact offsets (``{TopicPartition: OffsetAndMetadata}``) and wait for the
        answer at most ``timeout_ms`` (``KAFKA_MAX_BLOCK_MS`` when None), then raise
        kafka-python's ``KafkaTimeoutError``: confluent-kafka's synchronous commit has no
        timeout of its own, and with the broker away librdkafka holds it until the group's
        session times out (decision 0012, step 37). An overrun commit may still land."""
        if self._bounded.busy:
            # librdkafka holds every call behind the one that overran; this one would wait too.
            raise KafkaTimeoutError("an earlier commit or close of this consumer still has no answer")
        partitions = [RdPartition(tp.topic, tp.partition, meta.offset) for tp, meta in offsets.items()]
        timeout_s = (timeout_ms or self._settings.kafka_max_block_ms) / 1000
        try:
            answers = self._bounded.call(lambda: self._consumer.commit(offsets=partitions, asynchronous=False),
                                         timeout_s, "the offset commit")
        except KafkaException as exc:
            error = exc.args[0] if exc.args else None
            if isinstance(error, KafkaError) and error.code() in _GROUP_MOVED_ON:
                raise CommitFailedError(error.str()) from exc
            raise
        for answer in answers or []:
            if answer.error is not None:
                if answer.error.code() in _GROUP_MOVED_ON:
                    raise CommitFailedError(answer.error.str())
                raise KafkaException(answer.error)

    def committed(self, tp: TopicPartition, timeout_ms: int | None = None) -> int | None:
        timeout_s = (timeout_ms or self._settings.kafka_max_block_ms) / 1000
        [answer] = self._consumer.committed([RdPartition(tp.topic, tp.partition)], timeout=timeout_s)
        if answer.error is not None:
            raise KafkaException(answer.error)
        return answer.offset if answer.offset >= 0 else None

    def seek(self, tp: TopicPartition, offset: int) -> None:
        if self._assigning is not None:
            self._assigning[tp] = offset
        else:
            self._consumer.seek(RdPartition(tp.topic, tp.partition, offset))

    def seek_to_beginning(self, *partitions: TopicPartition) -> None:
        for tp in partitions:
            self.seek(tp, OFFSET_BEGINNING)

    def position(self, tp: TopicPartition, timeout_ms: int | None = None) -> int | None:
        [answer] = self._consumer.position([RdPartition(tp.topic, tp.partition)])
        return answer.offset if answer.offset >= 0 else None

    def highwater(self, tp: TopicPartition) -> int | None:
        """The log's end as the last fetch reported it; None before any fetch."""
        high = self._consumer.get_watermark_offsets(RdPartition(tp.topic, tp.partition), cached=True)
        return high[1] if high is not None and high[1] >= 0 else None

    def end_offsets(self, partitions: list[TopicPartition]) -> dict[TopicPartition, int]:
        ends = {}
        for tp in partitions:
            _, high = self._consumer.get_watermark_offsets(RdPartition(tp.topic, tp.partition),
                                                           timeout=self._block_s)
            ends[tp] = high
        return ends

    def cluster_id(self) -> str | None:
        """The id of the cluster the consumer talks to, asked again every few seconds and
        after any error the client reported; the last one known while the broker is away,
        or while a commit that overran its bound is unanswered (librdkafka would hold this
        request behind it, past its timeout)."""
        if time.monotonic() - self._cluster_at >= _CLUSTER_EVERY_S and not self._bounded.busy:
            try:
                self._cluster = self._consumer.list_topics(timeout=min(1.0, self._block_s)).cluster_id \
                    or self._cluster
                self._cluster_at = time.monotonic()
            except KafkaException:
                pass
        return self._cluster

    def close(self, autocommit: bool = False, timeout_ms: int | None = None) -> None:
        """Leave the group, waiting at most ``timeout_ms`` (``KAFKA_MAX_BLOCK_MS`` when
        None): librdkafka's close waits for a commit still in flight and for the broker's
        answer to the leave. Past the bound the close goes on in the background, and the
        group drops this member when its session times out. The rebalance callbacks the
        close serves run on the helper thread; a commit the listener asks for there is
        refused at once (``busy``: it would wait on its own thread), so what was finished
        and not committed by the loop's final commit is read again and dropped as a
        duplicate."""
        timeout_s = (timeout_ms or self._settings.kafka_max_block_ms) / 1000
        try:
            self._bounded.call(self._consumer.close, timeout_s, "closing the consumer")
        except KafkaTimeoutError:
            log.warning("the consumer did not close in time; it goes on closing in the background",
                        extra={"timeout_s": timeout_s})
        finally:
            self._bounded.stop()


class RdProducer:
    """A confluent-kafka ``Producer`` with ``LazyProducer``'s two ways to send: one record
    acknowledged, or a batch flushed once."""

    def __init__(self, settings: Settings, factory: Callable[[dict], Any] = Producer):
        self._producer = factory({
            **_common(settings), "acks": "all", "linger.ms": 0,
            "message.max.bytes": settings.kafka_max_message_bytes,
            # Give up on a record the broker has not taken by then (the outbox sends it again).
            "message.timeout.ms": max(settings.kafka_request_timeout_ms, settings.kafka_max_block_ms),
            "error_cb": self._on_error})

    @staticmethod
    def _on_error(error: KafkaError) -> None:
        if error.fatal():
            log.error("the Kafka producer failed for good", extra={"error": error.str()})

    def send_and_wait(self, topic: str, key: bytes | None, value: bytes | None, headers: list | None,
                      timeout_s: float) -> tuple[int, int]:
        answers: list[tuple[int, int] | KafkaError | None] = [None]
        self._send([(topic, key, value)], timeout_s, headers, answers)
        [answer] = answers
        if isinstance(answer, KafkaError):
            raise KafkaException(answer)
        if answer is None:
            raise KafkaException(KafkaError(KafkaError._TIMED_OUT, "not acknowledged in time"))
        return answer

    def send_batch(self, records: list[tuple[str, bytes | None, bytes]],
                   timeout_s: float) -> tuple[list[tuple[int, int] | None], bool]:
        """Where the broker put each record (``(partition, offset)``; None: not
        acknowledged within ``timeout_s``), and whether the producer failed for good.
        Sending stops at the first record that cannot even be queued (a full queue)."""
        answers: list[tuple[int, int] | KafkaError | None] = [None] * len(records)
        failed = False
        try:
            self._send(records, timeout_s, None, answers)
        except Exception as exc:
            failed = fatal(exc)
            log.warning("publishing a batch failed", extra={"error": f"{type(exc).__name__}: {exc}"})
        return ([a if isinstance(a, tuple) else None for a in answers],
                failed or any(isinstance(a, KafkaError) and a.fatal() for a in answers))

    def _send(self, records: Sequence[tuple[str, bytes | None, bytes | None]], timeout_s: float,
              headers: list | None, answers: list) -> None:
        """Queue each record, then flush once (also when one could not be queued, which is
        raised after the flush); each delivery report fills its place in ``answers``."""

        def delivered(index: int) -> Callable:
            def done(error, message) -> None:
                answers[index] = error if error is not None else (message.partition(), message.offset())
            return done

        try:
            for index, (topic, key, value) in enumerate(records):
                self._producer.produce(topic, value=value, key=key, headers=headers,
                                       on_delivery=delivered(index))
        finally:
            self._producer.flush(timeout_s)

    def close(self, timeout_s: float) -> None:
        self._producer.flush(timeout_s)

    @staticmethod
    def fatal(exc: BaseException) -> bool:
        return fatal(exc)


def fatal(exc: BaseException) -> bool:
    """Whether ``exc`` leaves a librdkafka producer unusable (an idempotent producer fenced,
    say), rather than the broker slow or away."""
    error = exc.args[0] if isinstance(exc, KafkaException) and exc.args else None
    return isinstance(error, KafkaError) and error.fatal()
