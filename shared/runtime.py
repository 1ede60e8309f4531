"""The adapters every service wires the same way; each service's ``bootstrap.py``
adds its own repository and domain services on top. Building a ``Runtime``
connects to nothing: Redis and Kafka clients connect on first use."""
from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

import redis

from shared.config import Settings
from shared.consumer import BatchPreparer, EventConsumer, Handler
from shared.contracts import topic_for
from shared.events import check_derived
from shared.kafka import BrokerProbe, LazyProducer, ensure_topics, make_consumer
from shared.logs import configure_logging
from shared.metrics import serve_worker_metrics
from shared.outbox import Outbox, Staged
from shared.privacy import KeyRing, Sealer
from shared.redrive import Redriver
from shared.relay import BackgroundRelay
from shared.store import UnitOfWork, make_redis

log = logging.getLogger(__name__)

# A service's own settings (shared.config): the runtime carries them as its service built them.
S = TypeVar("S", bound=Settings)


@dataclass
class Runtime(Generic[S]):
    settings: S
    namespace: str
    redis: redis.Redis
    outbox: Outbox
    producer: LazyProducer
    relay: BackgroundRelay
    broker: BrokerProbe
    sealer: Sealer
    keyring: KeyRing
    publisher: Callable[[list[Staged]], None] | None = None

    def unit_of_work(self, watch: list[str] | tuple = ()) -> UnitOfWork:
        """A unit whose events are published from hand once it commits: by the worker's
        loop between polls where this process runs one (``run_worker``: batched with its
        handlers' events), else by the relay thread at once (HTTP processes)."""
        return UnitOfWork(self.redis, self.outbox, watch, publish=self.publisher or self.relay.publish)

    def close(self) -> None:
        """Stop the relay thread, close the producer and the broker probe's client (tests;
        gunicorn just exits)."""
        self.relay.stop()
        self.producer.close()
        self.broker.close()

    def ready(self) -> dict[str, bool]:
        try:
            redis_ok = bool(self.redis.ping())
        except Exception:
            redis_ok = False
        return {"redis": redis_ok}

    def advisories(self) -> dict[str, bool]:
        """What this process can do without for a while (see shared.web.health_blueprint)."""
        return {"broker": self.broker.ok()}


def build_runtime(settings: S, namespace: str, redis_client=None) -> Runtime[S]:
    settings.require_safe_secrets()
    check_derived(settings.check_derived_events)
    settings = settings.with_overrides(service_name=namespace)
    client = redis_client if redis_client is not None else make_redis(settings)
    keys = make_redis(settings.with_overrides(redis_url=settings.keyring_url)) if settings.keyring_url else client
    keyring = KeyRing(keys)
    sealer = Sealer(keyring)
    outbox = Outbox(client, namespace, lease_s=settings.outbox_lease_s, retry_s=settings.outbox_retry_s,
                    sealer=sealer, redrive_window_s=settings.redrive_window_s)
    producer = LazyProducer(settings)
    return Runtime(settings, namespace, client, outbox, producer, BackgroundRelay(outbox, producer),
                   BrokerProbe(settings), sealer, keyring)


def heartbeat_path(settings: Settings, namespace: str) -> Path:
    """The file a worker touches every loop; ``python -m shared.liveness`` reads it."""
    return Path(settings.heartbeat_dir or tempfile.gettempdir()) / f"twoshot-{namespace}-worker.heartbeat"


class TopicKeeper:
    """Creates missing topics (their ``.dlq`` twins included) now and then: a broker that
    lost its topics (a restart of an in-memory broker, a mistaken delete) gets them back
    without a redeploy. Only where topic creation is on (KAFKA_CREATE_TOPICS)."""

    def __init__(self, settings: Settings):
        self._settings = settings
        self._next = 0.0

    def maybe_check(self) -> None:
        if not self._settings.kafka_create_topics or time.monotonic() < self._next:
            return
        self._next = time.monotonic() + 1.0    # a broker that is away: try again soon
        created = ensure_topics(self._settings)
        self._next = time.monotonic() + self._settings.topic_check_interval_s
        if created:
            log.warning("created missing topics", extra={"topics": created})


def build_consumer(runtime: Runtime, handlers: dict[str, Handler],
                   tick: Callable[[], object] | None = None, preparer: BatchPreparer | None = None) -> EventConsumer:
    topics = sorted({topic_for(t) for t in handlers})
    settings = runtime.settings
    group = f"twoshot-{runtime.namespace}"
    keeper = TopicKeeper(settings)

    def connect(listener):
        keeper.maybe_check()   # before subscribing, so no topic is auto-created with the broker's defaults
        return make_consumer(settings, group, topics, listener)

    def between_polls() -> None:
        keeper.maybe_check()
        if tick is not None:
            tick()

    return EventConsumer(
        settings=settings,
        group_id=group,
        handlers=handlers,
        redis=runtime.redis,
        outbox=runtime.outbox,
        sealer=runtime.sealer,
        consumer_factory=connect,
        producer=runtime.producer,
        tick=between_polls,
        heartbeat_path=heartbeat_path(settings, runtime.namespace),
        preparer=preparer,
    )


def run_worker(runtime: Runtime, handlers: dict[str, Handler],
               tick: Callable[[], object] | None = None, preparer: BatchPreparer | None = None) -> None:
    """Entry point body of every ``python -m services.<name>.worker``."""
    configure_logging(f"{runtime.namespace}-worker", runtime.settings.log_level)
    serve_worker_metrics(runtime.settings.metrics_port)
    consumer = build_consumer(runtime, handlers, tick, preparer)
    runtime.publisher = consumer.hand_over
    consumer.install_signal_handlers()
    redriver = Redriver(runtime.outbox, runtime.settings)
    redriver.start()
    try:
        consumer.run()
    finally:
        redriver.stop()
        runtime.producer.close()
        log.info("worker stopped", extra={"since_stop_asked_s": consumer.seconds_since_stop_asked()})
