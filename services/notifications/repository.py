"""Notifications' state in Redis: the mail queue, what was sent, and the delivery log.

An event's emails are queued in the same transaction that marks the event handled, so
none is lost if the worker dies; the sender takes them from the queue with a lease and
retries with backoff while the SMTP server is away, independently of Kafka.
"""
from __future__ import annotations

import time
from typing import TYPE_CHECKING

from shared import fastjson

if TYPE_CHECKING:
    from shared.store import UnitOfWork

NS = "notifications"
WAKE_TOKENS = 100      # wake-ups kept for senders that are busy: more would only wake them in vain

# KEYS[1] = due zset, KEYS[2] = the queued emails; ARGV = now, lease, limit, the sent
# marks' key prefix. Leases up to ``limit`` due emails (their due time moves forward by the
# lease) and returns, for each, its id, its entry and its sent mark ('' for none); an id
# whose entry is gone (finished by another sender) leaves the due set. One round trip.
# The marks' keys are named from the ids the script finds, so they cannot be passed in
# KEYS: fine on a single Redis, which is what Twoshot runs on (not Redis Cluster).
_CLAIM = """
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for _, id in ipairs(ids) do
  local body = redis.call('HGET', KEYS[2], id)
  if body then
    redis.call('ZADD', KEYS[1], tonumber(ARGV[1]) + tonumber(ARGV[2]), id)
    out[#out + 1] = id
    out[#out + 1] = body
    out[#out + 1] = redis.call('GET', ARGV[4] .. id) or ''
  else
    redis.call('ZREM', KEYS[1], id)
  end
end
return out
"""


class MailQueue:
    def __init__(self, redis_client, lease_s: float = 60.0):
        self._redis = redis_client
        self._lease_s = lease_s
        self._claim = redis_client.register_script(_CLAIM)

    def enqueue_all(self, uow: UnitOfWork, mails: list[tuple[str, dict, float]]) -> None:
        """Queue each (mail id, entry, after_s) not sent already, in the caller's unit of
        work, due now or ``after_s`` from now (an email that may wait lets the ones queued
        meanwhile go first when senders are busy). An event's emails take one read of their
        sent marks, in the unit's round trip (with the event's processed mark). The marks
        are not watched: a sender marks only an email a committed unit queued, and the
        processed mark, which is watched, keeps a second copy of the event from committing."""
        if not mails:
            return
        (sent,) = uow.read_for_update((), ("MGET", *(f"{NS}:sent:{mail_id}" for mail_id, _, _ in mails)))
        pipe = uow.pipe
        wake = 0
        for (mail_id, entry, after_s), mark in zip(mails, sent, strict=True):
            if mark is not None:
                continue    # sent (or being sent) already: an event handled again sends nothing twice
            pipe.hsetnx(f"{NS}:mail", mail_id, fastjson.dumps({**entry, "attempts": 0}))
            pipe.zadd(f"{NS}:mail:due", {mail_id: time.time() + after_s}, nx=True)
            wake += after_s <= 0
        if wake:
            # Wakes a sender per email due now, waiting in ``wait_for_mail``, when this
            # transaction commits. (One that is due later is found by a sender's next look,
            # at most ``WAIT_S`` after.)
            pipe.rpush(f"{NS}:mail:wake", *["1"] * wake)
            pipe.ltrim(f"{NS}:mail:wake", -WAKE_TOKENS, -1)

    def wait_for_mail(self, timeout_s: float) -> bool:
        """Block until an email is queued (by any process) or ``timeout_s`` passes."""
        return self._redis.blpop([f"{NS}:mail:wake"], timeout=timeout_s) is not None

    def claim(self, now: float, limit: int = 20) -> list[tuple[str, dict, bool]]:
        """Lease up to ``limit`` due emails: (mail id, entry, whether a sender died after
        its commit point, see ``committing``). One round trip, however many."""
        flat = self._claim(keys=[f"{NS}:mail:due", f"{NS}:mail"], args=[now, self._lease_s, limit, f"{NS}:sent:"])
        return [(flat[i], fastjson.loads(flat[i + 1]), flat[i + 2] == "committing") for i in range(0, len(flat), 3)]

    def retry_at(self, mail_id: str, entry: dict, due: float) -> None:
        pipe = self._redis.pipeline(transaction=True)
        pipe.hset(f"{NS}:mail", mail_id, fastjson.dumps(entry))
        pipe.zadd(f"{NS}:mail:due", {mail_id: due})
        pipe.execute()

    def finish(self, pipe, mail_id: str, request_id: str, log_entry: dict, sent: bool) -> None:
        """Out of the queue, into the log (and marked sent) in the caller's transaction."""
        pipe.zrem(f"{NS}:mail:due", mail_id)
        pipe.hdel(f"{NS}:mail", mail_id)
        if sent:
            pipe.set(f"{NS}:sent:{mail_id}", "1", ex=90 * 24 * 3600)
        pipe.rpush(f"{NS}:log:{request_id}", fastjson.dumps(log_entry))

    def committing(self, mail_id: str) -> None:
        """The final "." is about to go: from here on the server may keep the message."""
        self._redis.set(f"{NS}:sent:{mail_id}", "committing", ex=90 * 24 * 3600)

    def uncommit(self, mail_id: str) -> None:
        """The server refused at the end: the message is not there; it may be sent again."""
        self._redis.delete(f"{NS}:sent:{mail_id}")

    def forget_recipient(self, person_id: str) -> set[str]:
        """Drop mail waiting for ``person_id`` and their lines in the delivery log; returns
        the names and addresses they were written to (to cut out of anything else)."""
        needles: set[str] = set()
        for mail_id, raw in self._redis.hgetall(f"{NS}:mail").items():
            email = fastjson.loads(raw)["email"]
            if email.get("to_id") == person_id:
                needles |= {email["to_email"], email["to_name"]}
                pipe = self._redis.pipeline(transaction=True)
                pipe.hdel(f"{NS}:mail", mail_id)
                pipe.zrem(f"{NS}:mail:due", mail_id)
                pipe.execute()
        for key in self._redis.scan_iter(match=f"{NS}:log:*", count=500):
            entries = [fastjson.loads(e) for e in self._redis.lrange(key, 0, -1)]
            mine = [e for e in entries if e.get("to_id") == person_id]
            if not mine:
                continue
            needles |= {e["to"] for e in mine} | {e.get("to_name", "") for e in mine}
            kept = [fastjson.dumps(e) for e in entries if e.get("to_id") != person_id]
            pipe = self._redis.pipeline(transaction=True)
            pipe.delete(key)
            if kept:
                pipe.rpush(key, *kept)
            pipe.execute()
        return {n for n in needles if n}

    def pending(self) -> int:
        return int(self._redis.zcard(f"{NS}:mail:due"))

    def deliveries(self, request_id: str) -> list[dict]:
        return [fastjson.loads(e) for e in self._redis.lrange(f"{NS}:log:{request_id}", 0, -1)]
