"""What every process does when a dependency goes away: tell an outage from a bug,
and wait before trying again without all waking at once."""
from __future__ import annotations

import logging
import random
import threading
from dataclasses import dataclass, field

import redis.exceptions
from kafka.errors import KafkaConfigurationError, KafkaError

from shared import rdkafka

# Redis refused, dropped or timed out (BusyLoadingError, while it reads its AOF, is a
# ConnectionError), or the broker did: nothing is wrong with the event in hand, so it is
# kept and tried again once the dependency is back, never dead-lettered.
_INFRASTRUCTURE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, KafkaError)


def is_infrastructure_error(exc: BaseException) -> bool:
    """True for an outage of Redis or the broker; False for a bug, bad data or bad config."""
    if rdkafka.is_outage(exc):       # librdkafka's errors (KAFKA_CLIENT=librdkafka)
        return True
    return isinstance(exc, _INFRASTRUCTURE) and not isinstance(exc, KafkaConfigurationError)


@dataclass
class Backoff:
    """Capped exponential backoff with jitter: each delay is between half and all of
    ``min(cap, base * 2**failures)``, so restarted peers spread out instead of retrying
    in step."""
    base_s: float
    cap_s: float
    failures: int = 0
    _random: random.Random = field(default_factory=random.Random, repr=False)

    def next(self) -> float:
        ceiling = min(self.cap_s, self.base_s * 2 ** min(self.failures, 30))
        self.failures += 1
        return ceiling / 2 + self._random.uniform(0, ceiling / 2)

    def reset(self) -> None:
        self.failures = 0


class OutageLog:
    """Say once that a dependency went away and once that it is back, however many tries
    fail in between (several threads may share one): an outage of minutes is two log
    lines and a counter, not a traceback per try. Other errors are not outages and are
    logged in full by the caller."""

    def __init__(self, logger: logging.Logger, what: str, counter=None):
        self._log = logger
        self._what = what
        self._counter = counter
        self._away = False
        self._lock = threading.Lock()

    def failed(self, exc: BaseException) -> None:
        if self._counter is not None:
            self._counter.inc()
        with self._lock:
            first, self._away = not self._away, True
        if first:
            self._log.warning(f"{self._what}: a dependency is away; trying again quietly until it is back",
                              extra={"error": f"{type(exc).__name__}: {exc}"})

    def ok(self) -> None:
        with self._lock:
            back, self._away = self._away, False
        if back:
            self._log.info(f"{self._what}: the dependency is back")
