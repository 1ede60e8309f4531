"""The transactional outbox, kept in Redis.

A state change and the events it causes are written in one Redis transaction
(``stage`` on the transaction's pipeline). ``relay`` then publishes what is due:
it leases entries with a Lua script (so two relays rarely publish the same entry at
once), sends them as one batch, flushes once, and deletes only what Kafka
acknowledged. What was not acknowledged (broker away, producer failed) is handed
back at once, due again after ``retry_s``, so a relay never sits on entries for a
whole lease. If the process dies between the store and the publish, the entry stays
and the next relay (every worker sweeps its outbox every loop) publishes it once the
lease runs out. Delivery is at least once; consumers drop duplicates by event id.
"""
from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass

from shared.events import Event, serialize
from shared.privacy import Sealer

log = logging.getLogger(__name__)

# KEYS[1] = due zset (event id → time it may be sent), ARGV = now, lease, limit.
_CLAIM = """
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
for _, id in ipairs(ids) do redis.call('ZADD', KEYS[1], tonumber(ARGV[1]) + tonumber(ARGV[2]), id) end
return ids
"""


@dataclass(frozen=True)
class Relayed:
    sent: int = 0      # acknowledged by Kafka and deleted
    failed: int = 0    # handed back, due again after ``retry_s``


class Outbox:
    def __init__(self, redis_client, namespace: str, lease_s: float = 10.0, retry_s: float = 1.0,
                 sealer: Sealer | None = None):
        self._redis = redis_client
        self._sealer = sealer
        self.namespace = namespace
        self._due = f"{namespace}:outbox:due"
        self._body = f"{namespace}:outbox:events"
        self._lease_s = lease_s
        self._retry_s = retry_s
        self._claim = redis_client.register_script(_CLAIM)

    def stage(self, pipe, event: Event) -> None:
        """Queue ``event`` on a transaction pipeline; it is validated here, on produce."""
        entry = {"topic": event.topic, "key": event.subject, "value": serialize(event, self._sealer).decode("utf-8")}
        pipe.hset(self._body, event.id, json.dumps(entry))
        pipe.zadd(self._due, {event.id: time.time()})

    def pending(self) -> int:
        return int(self._redis.zcard(self._due))

    def oldest_age_s(self, now: float | None = None) -> float:
        """How long the longest-waiting entry has been due (0 when none is waiting)."""
        first = self._redis.zrange(self._due, 0, 0, withscores=True)
        now = time.time() if now is None else now
        return max(0.0, now - first[0][1]) if first else 0.0

    def relay(self, producer, limit: int = 100) -> Relayed:
        """Publish due events through ``producer`` (a ``LazyProducer``). Raises only if
        Redis is away."""
        ids = self._claim(keys=[self._due], args=[time.time(), self._lease_s, limit])
        if not ids:
            return Relayed()
        bodies = self._redis.hmget(self._body, ids)
        gone = [event_id for event_id, raw in zip(ids, bodies, strict=True) if raw is None]
        if gone:  # published by another relay meanwhile
            self._redis.zrem(self._due, *gone)
        claimed = [(event_id, json.loads(raw))
                   for event_id, raw in zip(ids, bodies, strict=True) if raw is not None]
        acked = producer.send_batch([(e["topic"], e["key"].encode(), e["value"].encode("utf-8"))
                                     for _, e in claimed])
        done = [event_id for (event_id, _), ok in zip(claimed, acked, strict=True) if ok]
        failed = [event_id for (event_id, _), ok in zip(claimed, acked, strict=True) if not ok]
        pipe = self._redis.pipeline(transaction=True)
        if done:
            pipe.zrem(self._due, *done)
            pipe.hdel(self._body, *done)
        if failed:
            log.warning("outbox publish failed; handed back", extra={"events": len(failed),
                                                                      "retry_in_s": self._retry_s})
            pipe.zadd(self._due, {event_id: time.time() + self._retry_s for event_id in failed})
        pipe.execute()
        return Relayed(len(done), len(failed))
