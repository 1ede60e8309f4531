"""The transactional outbox, kept in Redis.

A state change and the events it causes are written in one Redis transaction
(``stage`` on the transaction's pipeline). Whoever staged them usually publishes them
at once from hand (``publish``): they were staged *leased* to it, due only when the
lease runs out, so no sweep sends them meanwhile, and it needs no read of the outbox
first; one transaction settles them after the send. ``relay`` sweeps what is due (what
a publisher died holding, what failed, what a re-drive put back): it leases entries
with a Lua script (so two relays rarely publish the same entry at once), reads them,
and publishes them the same way. Both send one batch, flush once, and delete only what
Kafka acknowledged; what was not (broker away, producer failed) is handed back at once,
due again after ``retry_s``, so nothing is held for a whole lease. If the process dies
between the store and the publish, the entry stays and the next sweep (every worker
sweeps its outbox every poll timeout) publishes it once the lease runs out. Delivery
is at least once; consumers drop duplicates by event id.

**Re-drive what the bus lost.** What Kafka acknowledged is kept a while longer (the sent
ledger: each event, and the partitions they went to). A broker that loses acknowledged
records (the in-memory local broker restarting; on Kafka, an unclean leader election, a
topic deleted by mistake) shows it: see ``shared.redrive``, which then calls ``redrive``; it puts
every event of the ledger back in the outbox with its original id; the relay sends it
again: a consumer that had handled it drops it as a duplicate, one that never saw it
handles it.

**Re-drive a step that did not follow.** Some events start work another service must
answer (intake's ``mentorship.requested`` is answered by a match, a failure or a hold).
The owner stages such an event with ``expect``; when the answer arrives it calls
``arrived``. ``redrive_awaited`` (each re-drive check) puts every event still waiting
after ``after_s`` back into the outbox under its original id, and again every
``after_s``, until ``give_up_s``: whatever the bus lost, whether or not its offsets
show it, the next step happens. Consumers drop a copy they had handled.
"""
from __future__ import annotations

import logging
import time
from collections import deque
from dataclasses import dataclass

import redis

from shared import fastjson
from shared.events import Event, serialize
from shared.privacy import Sealer

log = logging.getLogger(__name__)

# KEYS[1] = due zset (member → time it is due), ARGV = now, lease, limit: the members due,
# each moved ``lease`` seconds on in the same step, so two callers never take the same one.
CLAIM_DUE = """
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
for _, id in ipairs(ids) do redis.call('ZADD', KEYS[1], tonumber(ARGV[1]) + tonumber(ARGV[2]), id) end
return ids
"""


Staged = tuple[str, dict]    # (event id, outbox entry): what ``stage`` queued


class InHand:
    """Committed events waiting to be published from hand, handed over from any thread.
    Bounded: what falls out (a publisher that cannot publish for long) is in the outbox
    all the same, and a sweep sends it when its lease runs out."""

    def __init__(self, limit: int):
        self._items: deque[Staged] = deque(maxlen=limit)

    def add(self, staged: list[Staged]) -> None:
        self._items.extend(staged)

    def take(self) -> list[Staged]:
        """Everything handed over so far, oldest first."""
        out = []
        while self._items:
            out.append(self._items.popleft())
        return out

    def __bool__(self) -> bool:
        return bool(self._items)


@dataclass(frozen=True)
class Relayed:
    sent: int = 0      # acknowledged by Kafka and deleted
    failed: int = 0    # handed back, due again after ``retry_s``



class Outbox:
    def __init__(self, redis_client, namespace: str, lease_s: float = 10.0, retry_s: float = 1.0,
                 sealer: Sealer | None = None, redrive_window_s: float = 300.0):
        self._redis = redis_client
        self._sealer = sealer
        self.namespace = namespace
        self._due = f"{namespace}:outbox:due"
        self._body = f"{namespace}:outbox:events"
        self._lease_s = lease_s
        self._retry_s = retry_s
        self._claim = redis_client.register_script(CLAIM_DUE)
        self.redrive_window_s = redrive_window_s   # how long an acknowledged event can be sent again
        self._sent = f"{namespace}:sent"                 # event id → when Kafka acknowledged it
        self._sent_body = f"{namespace}:sent:events"     # event id → the entry, as in the outbox
        self._partitions = f"{namespace}:sent:partitions"  # "topic|partition" the events went to
        self._look = f"{namespace}:sent:look"            # what the last re-drive check saw of the broker
        self._awaited = f"{namespace}:awaited"                # answer key → when to send its event again
        self._awaited_body = f"{namespace}:awaited:events"    # answer key → {"id", "entry", "since"}

    def stage(self, pipe, event: Event, leased: bool = False) -> Staged:
        """Queue ``event`` on a transaction pipeline; it is validated here, on produce.
        ``leased``: the caller publishes it itself once the transaction commits
        (``publish``), so it is due only when a lease runs out: a sweep sends it then if
        the caller died first, and never races the caller before."""
        entry = self._entry(event)
        self._stage_entry(pipe, event.id, entry, self._due_at(leased))
        return event.id, entry

    def _due_at(self, leased: bool, now: float | None = None) -> float:
        now = time.time() if now is None else now
        return now + self._lease_s if leased else now

    def _entry(self, event: Event) -> dict:
        return {"topic": event.topic, "key": event.subject, "value": serialize(event, self._sealer).decode("utf-8")}

    def _stage_entry(self, pipe, event_id: str, entry: dict, due: float) -> None:
        pipe.hset(self._body, event_id, fastjson.dumps(entry))
        pipe.zadd(self._due, {event_id: due}, nx=True)

    # --- a step that must follow ---------------------------------------------------------
    def expect(self, pipe, event: Event, answer: str, after_s: float, now: float | None = None,
               leased: bool = False) -> Staged:
        """Stage ``event`` (``leased`` as in ``stage``) and keep it until ``arrived(answer)``:
        sent again after ``after_s``."""
        now = time.time() if now is None else now
        entry = self._entry(event)
        self._stage_entry(pipe, event.id, entry, self._due_at(leased, now))
        pipe.hset(self._awaited_body, answer, fastjson.dumps({"id": event.id, "entry": entry, "since": now}))
        pipe.zadd(self._awaited, {answer: now + after_s})
        return event.id, entry

    def arrived(self, pipe, answer: str) -> None:
        pipe.zrem(self._awaited, answer)
        pipe.hdel(self._awaited_body, answer)

    def awaiting(self) -> int:
        return int(self._redis.zcard(self._awaited))

    def redrive_awaited(self, after_s: float, give_up_s: float, now: float | None = None,
                        limit: int = 500) -> tuple[int, int]:
        """Events whose answer is late back into the outbox (original ids); each is claimed
        for another ``after_s`` by one script, so two checkers never send it twice at once.
        Returns (sent again, given up: waited past ``give_up_s``)."""
        now = time.time() if now is None else now
        answers = self._claim(keys=[self._awaited], args=[now, after_s, limit])
        if not answers:
            return 0, 0
        kept = self._redis.hmget(self._awaited_body, answers)
        pipe = self._redis.pipeline(transaction=True)
        again = gave_up = 0
        for answer, raw in zip(answers, kept, strict=True):
            item = fastjson.loads(raw) if raw else None
            if item is None or now - item["since"] > give_up_s:
                self.arrived(pipe, answer)
                gave_up += item is not None
                continue
            self._stage_entry(pipe, item["id"], item["entry"], now)
            again += 1
        pipe.execute()
        return again, gave_up

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
        claimed = [(event_id, fastjson.loads(raw))
                   for event_id, raw in zip(ids, bodies, strict=True) if raw is not None]
        return self.publish(producer, claimed)

    def publish(self, producer, staged: list[Staged]) -> Relayed:
        """Send entries in hand (the relay's claimed ones, or what a caller staged leased
        and has just committed) as one batch, then, in one transaction, settle them:
        what Kafka acknowledged leaves the outbox for the sent ledger, the rest is due
        again after ``retry_s``. Raises only if Redis is away (the entries stay, due when
        their lease runs out)."""
        if not staged:
            return Relayed()
        acked = producer.send_batch([(e["topic"], e["key"].encode(), e["value"].encode("utf-8"))
                                     for _, e in staged])
        done = [(event_id, entry, where) for (event_id, entry), where in zip(staged, acked, strict=True) if where]
        failed = [event_id for (event_id, _), where in zip(staged, acked, strict=True) if not where]
        pipe = self._redis.pipeline(transaction=True)
        if done:
            ids = [event_id for event_id, _, _ in done]
            pipe.zrem(self._due, *ids)
            pipe.hdel(self._body, *ids)
            # Kept a while longer, in case the broker loses what it acknowledged.
            now = time.time()
            pipe.hset(self._sent_body, mapping={event_id: fastjson.dumps(entry) for event_id, entry, _ in done})
            pipe.zadd(self._sent, dict.fromkeys(ids, now))
            pipe.sadd(self._partitions, *{f"{entry['topic']}|{partition}" for _, entry, (partition, _) in done})
        if failed:
            log.warning("outbox publish failed; handed back", extra={"events": len(failed),
                                                                      "retry_in_s": self._retry_s})
            pipe.zadd(self._due, {event_id: time.time() + self._retry_s for event_id in failed})
        pipe.execute()
        return Relayed(len(done), len(failed))

    # --- re-drive ---------------------------------------------------------------------
    def sent_partitions(self) -> list[tuple[str, int]]:
        """The partitions this outbox's acknowledged events went to."""
        out = []
        for name in self._redis.smembers(self._partitions):
            topic, _, partition = name.rpartition("|")
            out.append((topic, int(partition)))
        return sorted(out)

    def swap_look(self, look: str) -> str | None:
        """Keep ``look`` (what a re-drive check saw of the broker) and return the one kept
        before it, in one step: two checkers never both compare with the same old look."""
        return self._redis.set(self._look, look, get=True)

    def forget_look(self) -> None:
        self._redis.delete(self._look)

    def redrive(self, now: float | None = None) -> int:
        """Every event acknowledged within ``redrive_window_s`` back into the outbox, with its
        original id; the marks of what was acknowledged start again. Returns how many.
        One transaction (WATCH/MULTI): an event a relay acknowledges meanwhile is never
        dropped from the ledger without going back into the outbox."""
        now = time.time() if now is None else now
        self.forget_sent_before(now - self.redrive_window_s)
        with self._redis.pipeline(transaction=True) as pipe:
            while True:
                try:
                    pipe.watch(self._sent)
                    ids = pipe.zrange(self._sent, 0, -1)
                    bodies = pipe.hmget(self._sent_body, ids) if ids else []
                    again = {event_id: body for event_id, body in zip(ids, bodies, strict=True) if body}
                    pipe.multi()
                    if again:
                        pipe.hset(self._body, mapping=again)
                        pipe.zadd(self._due, dict.fromkeys(again, now), nx=True)
                    pipe.delete(self._partitions, self._sent, self._sent_body)
                    pipe.execute()
                    return len(again)
                except redis.WatchError:
                    continue   # a relay acknowledged more meanwhile: read the ledger again

    def forget_sent_before(self, cutoff: float) -> None:
        old = self._redis.zrangebyscore(self._sent, "-inf", cutoff, start=0, num=5000)
        if old:
            pipe = self._redis.pipeline(transaction=True)
            pipe.hdel(self._sent_body, *old)
            pipe.zrem(self._sent, *old)
            pipe.execute()
