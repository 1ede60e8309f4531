"""The adapters every service wires the same way; each service's ``bootstrap.py``
adds its own repository and domain services on top. Building a ``Runtime``
connects to nothing: Redis and Kafka clients connect on first use."""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from shared.config import Settings
from shared.consumer import EventConsumer, Handler
from shared.contracts import topic_for
from shared.kafka import LazyProducer, ensure_topics, make_consumer
from shared.logs import configure_logging
from shared.outbox import Outbox
from shared.relay import BackgroundRelay
from shared.store import UnitOfWork, make_redis

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    settings: Settings
    namespace: str
    redis: object
    outbox: Outbox
    producer: LazyProducer
    relay: BackgroundRelay

    def unit_of_work(self, watch: list[str] | tuple = ()) -> UnitOfWork:
        return UnitOfWork(self.redis, self.outbox, watch)

    def close(self) -> None:
        """Stop the relay thread and close the producer (tests; gunicorn just exits)."""
        self.relay.stop()
        self.producer.close()

    def ready(self) -> dict[str, bool]:
        try:
            redis_ok = bool(self.redis.ping())
        except Exception:
            redis_ok = False
        return {"redis": redis_ok}


def build_runtime(settings: Settings, namespace: str, redis_client=None) -> Runtime:
    settings = settings.with_overrides(service_name=namespace)
    client = redis_client if redis_client is not None else make_redis(settings)
    outbox = Outbox(client, namespace, lease_s=settings.outbox_lease_s)
    producer = LazyProducer(settings)
    return Runtime(settings, namespace, client, outbox, producer, BackgroundRelay(outbox, producer))


def build_consumer(runtime: Runtime, handlers: dict[str, Handler],
                   tick: Callable[[], None] | None = None) -> EventConsumer:
    topics = sorted({topic_for(t) for t in handlers})
    settings = runtime.settings
    return EventConsumer(
        settings=settings,
        group_id=f"twoshot-{runtime.namespace}",
        handlers=handlers,
        redis=runtime.redis,
        outbox=runtime.outbox,
        consumer_factory=lambda: make_consumer(settings, f"twoshot-{runtime.namespace}", topics),
        producer=runtime.producer.get(),
        tick=tick,
    )


def run_worker(runtime: Runtime, handlers: dict[str, Handler],
               tick: Callable[[], None] | None = None) -> None:
    """Entry point body of every ``python -m services.<name>.worker``."""
    configure_logging(f"{runtime.namespace}-worker", runtime.settings.log_level)
    if runtime.settings.kafka_create_topics:
        ensure_topics(runtime.settings)
    consumer = build_consumer(runtime, handlers, tick)
    consumer.install_signal_handlers()
    try:
        consumer.run()
    finally:
        runtime.producer.close()
