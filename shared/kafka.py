"""The one place Twoshot touches kafka-python: producer, consumer and topic set-up.

The producer is thread-safe but its I/O thread does not survive ``fork``, so HTTP
sides create it lazily, after gunicorn has forked (``LazyProducer``). Consumers
never run inside gunicorn: each worker is its own process.
"""
from __future__ import annotations

import logging
import threading

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError

from shared.config import Settings
from shared.contracts import ALL_TOPICS, dlq_for

log = logging.getLogger(__name__)


def make_producer(settings: Settings) -> KafkaProducer:
    return KafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap_servers.split(","),
        client_id=settings.service_name,
        acks="all",
        retries=5,
        linger_ms=0,
        request_timeout_ms=10000,
        max_block_ms=10000,
    )


def make_consumer(settings: Settings, group_id: str, topics: list[str]) -> KafkaConsumer:
    consumer = KafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap_servers.split(","),
        client_id=settings.service_name,
        group_id=group_id,
        enable_auto_commit=False,          # we commit after the handler's effects are stored
        auto_offset_reset="earliest",
        max_poll_interval_ms=settings.kafka_max_poll_interval_ms,
        session_timeout_ms=settings.kafka_session_timeout_ms,
        heartbeat_interval_ms=max(1000, settings.kafka_session_timeout_ms // 5),
        max_poll_records=20,
    )
    consumer.subscribe(topics)
    return consumer


class LazyProducer:
    """A producer created on first use in this process (so after a fork)."""

    def __init__(self, settings: Settings):
        self._settings = settings
        self._producer: KafkaProducer | None = None
        self._lock = threading.Lock()

    def get(self) -> KafkaProducer:
        with self._lock:
            if self._producer is None:
                self._producer = make_producer(self._settings)
            return self._producer

    def close(self) -> None:
        with self._lock:
            if self._producer is not None:
                self._producer.close(timeout=5)
                self._producer = None


def ensure_topics(settings: Settings, topics: list[str] | None = None) -> None:
    """Create Twoshot's topics and their dead-letter topics where missing."""
    wanted = list(topics or ALL_TOPICS)
    wanted += [dlq_for(t) for t in wanted if not t.endswith(".dlq")]
    admin = KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap_servers.split(","),
                             client_id=f"{settings.service_name}-admin")
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
    finally:
        admin.close()


if __name__ == "__main__":
    # ``python -m shared.kafka``: create the topics (a deploy-time job on a real cluster).
    from shared.logs import configure_logging
    configure_logging("kafka-init")
    ensure_topics(Settings.from_env())
