"""The event-consumer loop every worker runs.

For each message: validate (envelope and data schema) → skip what this worker does
not handle → skip what it already handled (event ids kept in Redis) → run the
handler in a unit of work, retrying transient failures with backoff → store the
effects, the processed mark and the caused events in one Redis transaction →
relay the outbox → commit the offset. A message that is invalid, or still fails
after the last attempt, goes to ``<topic>.dlq`` with the reason and where it came
from, and the loop moves on: skipping is an explicit decision, never an accident.
SIGTERM / SIGINT finish the message in hand, commit and close.
"""
from __future__ import annotations

import logging
import signal
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field

from shared.config import Settings
from shared.contracts import dlq_for
from shared.events import Event, InvalidEvent, deserialize, utcnow
from shared.logs import correlation
from shared.outbox import Outbox
from shared.store import UnitOfWork

log = logging.getLogger(__name__)

Handler = Callable[[Event, UnitOfWork], None]

PROCESSED_TTL_S = 30 * 24 * 3600


class PermanentError(Exception):
    """A handler failure that retrying cannot fix: the event goes straight to the DLQ."""


@dataclass
class ConsumerStats:
    handled: int = 0
    duplicates: int = 0
    dead_lettered: int = 0
    retries: int = 0


@dataclass
class EventConsumer:
    settings: Settings
    group_id: str
    handlers: dict[str, Handler]
    redis: object
    outbox: Outbox
    consumer_factory: Callable[[], object]
    producer: object
    tick: Callable[[], None] | None = None  # periodic work between polls (e.g. expiries)
    stop_event: threading.Event = field(default_factory=threading.Event)
    stats: ConsumerStats = field(default_factory=ConsumerStats)
    sleep: Callable[[float], None] = time.sleep

    def install_signal_handlers(self) -> None:
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: self.stop_event.set())

    def run(self) -> None:
        consumer = self.consumer_factory()
        log.info("consumer started", extra={"group": self.group_id})
        try:
            while not self.stop_event.is_set():
                batch = consumer.poll(timeout_ms=200)
                for records in batch.values():
                    for record in records:
                        self.process(record)
                if batch:
                    consumer.commit()
                self.outbox.relay(self.producer)
                if self.tick is not None:
                    self.tick()
        finally:
            # Everything polled was handled (a stop only ends the loop between
            # batches), so committing here loses nothing.
            try:
                consumer.commit()
            except Exception:
                log.warning("final commit failed; the last batch will be redelivered")
            consumer.close(autocommit=False)
            log.info("consumer stopped", extra={"group": self.group_id})

    def process(self, record) -> None:
        """Handle one Kafka record completely: effects stored or dead-lettered."""
        try:
            event = deserialize(record.value)
        except InvalidEvent as exc:
            self.dead_letter(record, f"invalid event: {exc}")
            return
        handler = self.handlers.get(event.type)
        if handler is None:
            return
        processed_key = f"{self.group_id}:processed:{event.id}"
        with correlation(event.correlation_id):
            if self.redis.exists(processed_key):
                self.stats.duplicates += 1
                log.info("duplicate event skipped", extra={"event_id": event.id, "type": event.type})
                return
            for attempt in range(1, self.settings.handler_max_attempts + 1):
                uow = UnitOfWork(self.redis, self.outbox)
                try:
                    handler(event, uow)
                    uow.pipe.set(processed_key, "1", ex=PROCESSED_TTL_S)
                    uow.commit()
                except PermanentError as exc:
                    self.dead_letter(record, f"{type(exc).__name__}: {exc}")
                    return
                except Exception as exc:
                    if attempt == self.settings.handler_max_attempts:
                        log.error("handler failed for the last time", extra={"event_id": event.id})
                        self.dead_letter(record, f"failed after {attempt} attempts: "
                                         f"{type(exc).__name__}: {exc}",
                                         trace=traceback.format_exc(limit=5))
                        return
                    self.stats.retries += 1
                    delay = self.settings.handler_backoff_s * 2 ** (attempt - 1)
                    log.warning("handler failed; retrying", extra={
                        "event_id": event.id, "attempt": attempt, "delay_s": delay, "error": str(exc)})
                    self.sleep(delay)
                    continue
                self.stats.handled += 1
                log.info("event handled", extra={"event_id": event.id, "type": event.type})
                return

    def dead_letter(self, record, reason: str, trace: str = "") -> None:
        headers = list(record.headers or []) + [
            ("dlq.reason", reason[:4000].encode()),
            ("dlq.topic", record.topic.encode()),
            ("dlq.partition", str(record.partition).encode()),
            ("dlq.offset", str(record.offset).encode()),
            ("dlq.group", self.group_id.encode()),
            ("dlq.failed_at", utcnow().isoformat().encode()),
        ]
        if trace:
            headers.append(("dlq.trace", trace[-4000:].encode()))
        # Wait for the broker: the offset is committed right after, so the DLQ copy
        # is the only one left.
        self.producer.send(dlq_for(record.topic), key=record.key, value=record.value,
                           headers=headers).get(timeout=10)
        self.stats.dead_lettered += 1
        log.error("event dead-lettered", extra={
            "topic": record.topic, "partition": record.partition, "offset": record.offset,
            "reason": reason})
