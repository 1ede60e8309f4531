"""Dead-lettered records, kept where staff can list and replay them: in Redis, beside
the copy on ``<topic>.dlq`` (which dies with an in-memory broker, or with retention).

Operational state shared by every service's consumer, like the key ring: each keeps at
most ``KEEP`` entries (the oldest go first). A record too big to copy is kept as its
head (the DLQ's stub), and cannot be replayed. Replaying sends the original value and
key to the original topic again, as a new record; the event keeps its id, and since the
group that dead-lettered it never marked it processed, it is handled now (or
dead-lettered again, with its new reason).
"""
from __future__ import annotations

import base64
import json
import uuid
from dataclasses import asdict, dataclass, field

NS = "twoshot:dead"
KEEP = 1000


@dataclass
class DeadLetter:
    id: str
    topic: str
    partition: int
    offset: int
    group: str
    reason: str
    failed_at: str
    size: int
    sha256: str
    key: str = ""           # base64
    value: str = ""         # base64; empty for a stub
    stub: bool = False
    replays: list = field(default_factory=list)     # {"at", "by", "reason"} per replay

    @property
    def value_bytes(self) -> bytes | None:
        return base64.b64decode(self.value) if self.value else None

    @property
    def key_bytes(self) -> bytes | None:
        return base64.b64decode(self.key) if self.key else None

    def preview(self, limit: int = 300) -> str:
        raw = self.value_bytes or b""
        return raw[:limit].decode("utf-8", "replace")


class DeadLetters:
    def __init__(self, redis_client):
        self._redis = redis_client

    def keep(self, record, group: str, reason: str, failed_at: str, digest: str, stub: bool) -> str:
        value = record.value or b""
        entry = DeadLetter(id=uuid.uuid4().hex, topic=record.topic, partition=record.partition,
                           offset=record.offset, group=group, reason=reason[:4000], failed_at=failed_at,
                           size=len(value), sha256=digest,
                           key=base64.b64encode(record.key).decode() if record.key else "",
                           value="" if stub else base64.b64encode(value).decode(), stub=stub)
        pipe = self._redis.pipeline(transaction=True)
        pipe.hset(f"{NS}:entries", entry.id, json.dumps(asdict(entry)))
        pipe.zadd(f"{NS}:index", {entry.id: _epoch(failed_at)})
        pipe.execute()
        self._trim()
        return entry.id

    def _trim(self) -> None:
        extra = self._redis.zcard(f"{NS}:index") - KEEP
        if extra > 0:
            old = self._redis.zrange(f"{NS}:index", 0, extra - 1)
            pipe = self._redis.pipeline(transaction=True)
            pipe.zrem(f"{NS}:index", *old)
            pipe.hdel(f"{NS}:entries", *old)
            pipe.execute()

    def newest(self, limit: int = 200) -> list[DeadLetter]:
        ids = self._redis.zrevrange(f"{NS}:index", 0, limit - 1)
        raws = self._redis.hmget(f"{NS}:entries", ids) if ids else []
        return [DeadLetter(**json.loads(r)) for r in raws if r]

    def get(self, entry_id: str) -> DeadLetter | None:
        raw = self._redis.hget(f"{NS}:entries", entry_id)
        return DeadLetter(**json.loads(raw)) if raw else None

    def replay(self, entry_id: str, producer, who: str, reason: str, at: str) -> DeadLetter:
        """Send the record to its topic again; raises ``LookupError`` or ``ValueError``."""
        entry = self.get(entry_id)
        if entry is None:
            raise LookupError(entry_id)
        if entry.stub:
            raise ValueError("Only the head of this record was kept (it was too big to copy): it cannot be replayed.")
        producer.send_and_wait(entry.topic, entry.key_bytes, entry.value_bytes,
                               headers=[("replay.of", entry.id.encode()), ("replay.by", who.encode()[:200])])
        entry.replays.append({"at": at, "by": who, "reason": reason})
        self._redis.hset(f"{NS}:entries", entry.id, json.dumps(asdict(entry)))
        return entry


def _epoch(iso: str) -> float:
    from datetime import datetime
    return datetime.fromisoformat(iso).timestamp()
