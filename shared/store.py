"""Redis: the connection, and a unit of work that stores a handler's effects and
the events they cause in one MULTI/EXEC transaction."""
from __future__ import annotations

import redis
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.retry import Retry

from shared.config import Settings
from shared.events import Event
from shared.outbox import Outbox


def make_redis(settings: Settings) -> redis.Redis:
    """A client; redis-py connects lazily, on the first command.

    One immediate retry on a broken connection only (a pooled connection to a Redis
    that restarted fails once), none on a timeout: a command that timed out may have
    run, and retrying a MULTI/EXEC could apply it twice. Longer outages are waited out
    by the callers (workers back off and retry in place; HTTP answers 503)."""
    return redis.Redis.from_url(settings.redis_url, decode_responses=True,
                                socket_timeout=settings.redis_timeout_s,
                                socket_connect_timeout=settings.redis_timeout_s,
                                retry=Retry(NoBackoff(), 1, supported_errors=(RedisConnectionError,)),
                                health_check_interval=30)


class UnitOfWork:
    """Writes queued on ``pipe`` and events passed to ``emit`` land together or not at all.

    Reads go straight to ``redis``; only writes go through ``pipe``. With
    ``watch=[keys]`` the unit is optimistic: read those keys through ``pipe``, call
    ``begin()``, then write; ``commit`` raises ``redis.WatchError`` if another
    writer changed them meanwhile, and nothing is stored.
    """

    def __init__(self, redis_client: redis.Redis, outbox: Outbox, watch: list[str] | tuple = ()):
        self.redis = redis_client
        self.pipe = redis_client.pipeline(transaction=True)
        self._outbox = outbox
        self.emitted: list[Event] = []
        self._watching = bool(watch)
        if watch:
            self.pipe.watch(*watch)

    def begin(self) -> None:
        if self._watching:
            self.pipe.multi()
            self._watching = False

    def emit(self, event: Event) -> None:
        self._outbox.stage(self.pipe, event)
        self.emitted.append(event)

    def commit(self) -> None:
        self.begin()
        try:
            self.pipe.execute()
        finally:
            self.pipe.reset()
