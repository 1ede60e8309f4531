"""The transactional outbox, kept in Redis.

A state change and the events it causes are written in one Redis transaction
(``stage`` on the transaction's pipeline). ``relay`` then publishes what is due:
it leases entries with a Lua script (so two relays never publish the same entry at
once), waits for Kafka to acknowledge each, and only then deletes it. If the
process dies between the store and the publish, the entry stays and the next relay
(the service's worker sweeps every loop) publishes it once the lease runs out.
Delivery is at least once; consumers drop duplicates by event id.
"""
from __future__ import annotations

import json
import logging
import time

from shared.events import Event, serialize

log = logging.getLogger(__name__)

# KEYS[1] = due zset (event id → time it may be sent), ARGV = now, lease, limit.
_CLAIM = """
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
for _, id in ipairs(ids) do redis.call('ZADD', KEYS[1], tonumber(ARGV[1]) + tonumber(ARGV[2]), id) end
return ids
"""


class Outbox:
    def __init__(self, redis_client, namespace: str, lease_s: float = 30.0):
        self._redis = redis_client
        self._due = f"{namespace}:outbox:due"
        self._body = f"{namespace}:outbox:events"
        self._lease_s = lease_s
        self._claim = redis_client.register_script(_CLAIM)

    def stage(self, pipe, event: Event) -> None:
        """Queue ``event`` on a transaction pipeline; it is validated here, on produce."""
        entry = {"topic": event.topic, "key": event.subject, "value": serialize(event).decode("utf-8")}
        pipe.hset(self._body, event.id, json.dumps(entry))
        pipe.zadd(self._due, {event.id: time.time()})

    def pending(self) -> int:
        return int(self._redis.zcard(self._due))

    def relay(self, producer, limit: int = 100, timeout_s: float = 10.0) -> int:
        """Publish due events; returns how many Kafka acknowledged."""
        ids = self._claim(keys=[self._due], args=[time.time(), self._lease_s, limit])
        sent = 0
        for event_id in ids:
            raw = self._redis.hget(self._body, event_id)
            if raw is None:  # published by another relay meanwhile
                self._redis.zrem(self._due, event_id)
                continue
            entry = json.loads(raw)
            try:
                producer.send(entry["topic"], key=entry["key"].encode(),
                              value=entry["value"].encode("utf-8")).get(timeout=timeout_s)
            except Exception:
                log.exception("outbox publish failed; will retry after the lease",
                              extra={"event_id": event_id})
                continue
            pipe = self._redis.pipeline(transaction=True)
            pipe.zrem(self._due, event_id)
            pipe.hdel(self._body, event_id)
            pipe.execute()
            sent += 1
        return sent
