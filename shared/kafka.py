"""The one place Twoshot touches kafka-python: producer, consumer and topic set-up.

The producer is thread-safe but its I/O thread does not survive ``fork``, so HTTP
sides create it lazily, after gunicorn has forked (``LazyProducer``). Consumers
never run inside gunicorn: each worker is its own process.
"""
from __future__ import annotations

import json
import logging
import os
import threading
import time
from dataclasses import dataclass, field

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic
from kafka.errors import (
    KafkaConnectionError,
    RetriableError,
    TopicAlreadyExistsError,
    UnknownTopicOrPartitionError,
    for_code,
)

from shared.config import Settings
from shared.contracts import ALL_TOPICS, dlq_for
from shared.threads import ProcessThread

log = logging.getLogger(__name__)


def _common(settings: Settings) -> dict:
    return {"bootstrap_servers": settings.kafka_bootstrap_servers.split(","),
            "client_id": settings.service_name,
            # A broker that is away makes construction fail after this, not after 30 s.
            "bootstrap_timeout_ms": settings.kafka_max_block_ms,
            "request_timeout_ms": settings.kafka_request_timeout_ms}


# Producers and consumers never create topics: ensure_topics alone does, with the
# configured partitions. After a broker restart a producer's metadata request used to
# create them first, with the broker's default count, so a partition appeared in the
# middle of recovery and the group rebalanced again.
_NO_AUTO_CREATE = {"allow_auto_create_topics": False}
# kafka-python's own metrics (sensors recorded on every fetch and send) are read by
# nothing here: lag and throughput come from our Prometheus metrics. Off, they cost
# nothing (they were 4 % of the intake worker's CPU, bench/profile).
_CLIENT_ONLY = {**_NO_AUTO_CREATE, "metrics_enabled": False}


class _PythonProducer:
    """kafka-python's ``KafkaProducer`` with ``LazyProducer``'s two ways to send (the
    librdkafka one is ``shared.rdkafka.RdProducer``)."""

    def __init__(self, settings: Settings):
        self._producer = KafkaProducer(
            **_common(settings), **_CLIENT_ONLY,
            acks="all",
            retries=5,
            linger_ms=0,
            max_block_ms=settings.kafka_max_block_ms,
            max_request_size=settings.kafka_max_message_bytes,
        )

    def send_and_wait(self, topic: str, key: bytes | None, value: bytes | None, headers: list | None,
                      timeout_s: float):
        return self._producer.send(topic, key=key, value=value, headers=headers).get(timeout=timeout_s)

    def send_batch(self, records: list[tuple[str, bytes | None, bytes]],
                   timeout_s: float) -> tuple[list[tuple[int, int] | None], bool]:
        futures = []
        fatal = False
        try:
            for topic, key, value in records:
                futures.append(self._producer.send(topic, key=key, value=value))
            self._producer.flush(timeout=timeout_s)
        except Exception as exc:
            fatal = self.fatal(exc)
            log.warning("publishing a batch failed", extra={"error": f"{type(exc).__name__}: {exc}"})
        acked: list[tuple[int, int] | None] = [
            (f.value.partition, f.value.offset) if f.succeeded() else None for f in futures]
        acked += [None] * (len(records) - len(futures))
        return acked, fatal or any(f.failed() and self.fatal(f.exception) for f in futures)

    def close(self, timeout_s: float) -> None:
        self._producer.close(timeout=timeout_s)

    @staticmethod
    def fatal(exc: BaseException) -> bool:
        """Whether ``exc`` leaves the producer unusable (rather than the broker slow or away)."""
        return not isinstance(exc, (RetriableError, KafkaConnectionError))


def make_producer(settings: Settings):
    """The producer of the client ``KAFKA_CLIENT`` names (decision 0015)."""
    if settings.kafka_client == "librdkafka":
        from shared.rdkafka import RdProducer
        return RdProducer(settings)
    return _PythonProducer(settings)


def make_consumer(settings: Settings, group_id: str, topics: list[str], listener=None):
    """A consumer in ``group_id`` subscribed to ``topics``, of the client ``KAFKA_CLIENT``
    names: kafka-python's ``KafkaConsumer`` or ``shared.rdkafka.RdConsumer``, which offers
    the loop the same calls."""
    if settings.kafka_client == "librdkafka":
        from shared.rdkafka import RdConsumer
        return RdConsumer(settings, group_id, topics, listener)
    consumer = KafkaConsumer(
        **_common(settings), **_CLIENT_ONLY,
        group_id=group_id,
        enable_auto_commit=False,          # we commit exact offsets after the handler's effects are stored
        auto_offset_reset="earliest",
        max_poll_interval_ms=settings.kafka_max_poll_interval_ms,
        session_timeout_ms=settings.kafka_session_timeout_ms,
        heartbeat_interval_ms=max(1000, settings.kafka_session_timeout_ms // 5),
        max_poll_records=settings.kafka_max_poll_records,
        fetch_max_wait_ms=settings.kafka_fetch_max_wait_ms,
        fetch_min_bytes=settings.kafka_fetch_min_bytes,
        group_instance_id=settings.kafka_group_instance_id or None,
    )
    consumer.subscribe(topics, listener=listener)
    return consumer


class LazyProducer:
    """A producer created on first use in this process (so after a fork), and built
    anew after a fatal error: a kafka-python producer can be left unusable for good
    (``UnknownProducerIdError`` after a broker restart, "aborting producer batches due
    to fatal error"), and so can a librdkafka one (an error it calls fatal). Only such
    errors drop it: after a mere timeout (a broker away, or slow to come back) the same
    producer carries on, because a fresh one would have to bootstrap and get a producer
    id again, and under load could time out forever."""

    def __init__(self, settings: Settings):
        self._settings = settings
        self._producer = None
        self._lock = threading.Lock()

    def get(self):
        with self._lock:
            if self._producer is None:
                self._producer = make_producer(self._settings)
            return self._producer

    def reset(self) -> None:
        """Drop the current producer (its unsent batches fail); the next use builds one."""
        with self._lock:
            producer, self._producer = self._producer, None
        if producer is not None:
            try:
                producer.close(0)
            except Exception:
                log.debug("closing a failed producer raised", exc_info=True)

    def send_and_wait(self, topic: str, key: bytes | None, value: bytes | None,
                      headers: list | None = None, timeout_s: float | None = None):
        """Send one record and wait for the broker's acknowledgement (at most
        ``KAFKA_MAX_BLOCK_MS`` unless told otherwise)."""
        timeout_s = timeout_s or self._settings.kafka_max_block_ms / 1000
        producer = self.get()
        try:
            return producer.send_and_wait(topic, key, value, headers, timeout_s)
        except Exception as exc:
            if producer.fatal(exc):
                self.reset()
            raise

    def send_batch(self, records: list[tuple[str, bytes | None, bytes]],
                   timeout_s: float | None = None) -> list[tuple[int, int] | None]:
        """Send ``(topic, key, value)`` records, flush once, and say where the broker put
        each one it acknowledged (``(partition, offset)``; None: not acknowledged).
        Sending stops at the first record that cannot even be queued; the flush waits at
        most ``KAFKA_MAX_BLOCK_MS`` (what is not acknowledged by then is handed back and
        sent again)."""
        timeout_s = timeout_s or self._settings.kafka_max_block_ms / 1000
        try:
            producer = self.get()
        except Exception as exc:
            log.warning("publishing a batch failed", extra={"error": f"{type(exc).__name__}: {exc}"})
            return [None] * len(records)
        acked, fatal = producer.send_batch(records, timeout_s)
        if fatal:
            self.reset()
        return acked

    def close(self) -> None:
        with self._lock:
            if self._producer is not None:
                # Unsent events stay in the outbox, so a stop need not wait long for them.
                self._producer.close(1)
                self._producer = None


@dataclass(frozen=True)
class BrokerLook:
    """What the brokers hold, for the re-drive check: the cluster's id, each topic's id,
    and the end offset (the next offset to be written) of each partition asked about that
    exists. A topic or partition the brokers do not have is simply absent."""
    cluster: str | None
    topics: dict[str, str] = field(default_factory=dict)          # topic → topic id
    ends: dict[tuple[str, int], int] = field(default_factory=dict)

    def dumps(self) -> str:
        return json.dumps({"cluster": self.cluster, "topics": self.topics,
                           "ends": [[t, p, end] for (t, p), end in sorted(self.ends.items())]})

    @classmethod
    def loads(cls, raw: str) -> BrokerLook:
        data = json.loads(raw)
        return cls(data["cluster"], data["topics"], {(t, p): end for t, p, end in data["ends"]})


class BrokerLooks:
    """Takes a ``BrokerLook`` with one admin client kept per process (built again after
    an error). The metadata request never creates a topic, and only partitions that exist
    are asked for their end offset, so one the broker no longer has (a restarted
    in-memory broker whose topics came back with fewer partitions; a deleted topic) is
    left out of the look instead of failing it. A partition that exists but has no leader
    yet fails the look: the check tries again later."""

    def __init__(self, settings: Settings):
        self._settings = settings
        self._admin: KafkaAdminClient | None = None

    def look(self, partitions: list[tuple[str, int]]) -> BrokerLook:
        from kafka import TopicPartition
        from kafka.admin import OffsetSpec
        try:
            if self._admin is None:
                self._admin = KafkaAdminClient(**{**_common(self._settings),
                                                  "client_id": f"{self._settings.service_name}-offsets"})
            cluster = self._admin.describe_cluster()["cluster_id"]
            topics, there = {}, set()
            for topic in self._admin.describe_topics(sorted({t for t, _ in partitions})):
                if topic["error_code"] == UnknownTopicOrPartitionError.errno:
                    continue
                if topic["error_code"]:
                    raise for_code(topic["error_code"])(f"metadata for {topic['name']}")
                topics[topic["name"]] = str(topic["topic_id"])
                for partition in topic["partitions"]:
                    if partition["error_code"]:
                        raise for_code(partition["error_code"])(f"{topic['name']}:{partition['partition_index']}")
                    there.add((topic["name"], partition["partition_index"]))
            wanted = {TopicPartition(t, p): OffsetSpec.LATEST for t, p in partitions if (t, p) in there}
            ends = self._admin.list_partition_offsets(wanted, timeout_ms=self._settings.kafka_max_block_ms) \
                if wanted else {}
            return BrokerLook(cluster, topics, {(tp.topic, tp.partition): found.offset for tp, found in ends.items()})
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        if self._admin is not None:
            try:
                self._admin.close()
            finally:
                self._admin = None


class BrokerProbe:
    """Whether the brokers answer a metadata request, for ``/readyz``. The request runs in
    a background thread (started on first use in each process, so after a fork) every
    ``every_s``; a probe reads the last answer at once, and "not yet known" counts as no.

    The admin client is kept between checks: building one (bootstrap, version probe) cost
    6 ms of the process's CPU and 2 ms of the broker's, where a metadata request on the
    open connection costs 1.3 and 0.6 (docs/decisions/0012-cpu.md, step 35). A check that
    fails closes it, so the next one connects afresh, to whatever answers at the address."""

    def __init__(self, settings: Settings, every_s: float = 5.0):
        self._settings = settings
        self._every_s = every_s
        self._ok = False
        self._admin: KafkaAdminClient | None = None
        self._admin_pid = 0                 # a client built before a fork is not the child's
        self._lock = threading.Lock()      # the thread checks; tests and tools may too
        self._thread = ProcessThread(self._run, "broker-probe")

    def ok(self) -> bool:
        self._thread.ensure_started()
        return self._ok

    def _run(self) -> None:
        while True:
            self._ok = self.check()
            time.sleep(self._every_s)

    def check(self) -> bool:
        """One metadata round trip (bounded by KAFKA_MAX_BLOCK_MS)."""
        with self._lock:
            try:
                if self._admin is None or self._admin_pid != os.getpid():
                    self._admin = KafkaAdminClient(**{**_common(self._settings),
                                                      "client_id": f"{self._settings.service_name}-probe"})
                    self._admin_pid = os.getpid()
                self._admin.list_topics()
                return True
            except Exception:
                self.close()
                return False

    def close(self) -> None:
        """Let the kept client go (a failed check; ``Runtime.close``). The next check
        connects afresh."""
        admin, self._admin = self._admin, None
        if admin is not None:
            try:
                admin.close()
            except Exception:
                log.debug("closing the probe's admin client failed", exc_info=True)


def ensure_topics(settings: Settings, topics: list[str] | None = None) -> list[str]:
    """Create Twoshot's topics and their dead-letter topics where missing; returns
    those it created."""
    wanted = list(topics or ALL_TOPICS)
    wanted += [dlq_for(t) for t in wanted if not t.endswith(".dlq")]
    admin = KafkaAdminClient(**{**_common(settings), "client_id": f"{settings.service_name}-admin"})
    try:
        existing = set(admin.list_topics())
        missing = [t for t in dict.fromkeys(wanted) if t not in existing]
        if missing:
            try:
                admin.create_topics([
                    NewTopic(t, settings.kafka_topic_partitions, settings.kafka_replication_factor)
                    for t in missing])
            except TopicAlreadyExistsError:
                pass  # another worker won the race
            log.info("created topics", extra={"topics": missing})
        return missing
    finally:
        admin.close()


if __name__ == "__main__":
    # ``python -m shared.kafka``: create the topics (a deploy-time job on a real cluster).
    from shared.logs import configure_logging
    configure_logging("kafka-init")
    ensure_topics(Settings.from_env())
