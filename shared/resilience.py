"""What every process does when a dependency goes away: tell an outage from a bug,
and wait before trying again without all waking at once."""
from __future__ import annotations

import random
from dataclasses import dataclass, field

import redis.exceptions
from kafka.errors import KafkaConfigurationError, KafkaError

# Redis refused, dropped or timed out (BusyLoadingError, while it reads its AOF, is a
# ConnectionError), or the broker did: nothing is wrong with the event in hand, so it is
# kept and tried again once the dependency is back, never dead-lettered.
_INFRASTRUCTURE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, KafkaError)


def is_infrastructure_error(exc: BaseException) -> bool:
    """True for an outage of Redis or the broker; False for a bug, bad data or bad config."""
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
