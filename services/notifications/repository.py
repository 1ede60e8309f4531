"""Notifications' state in Redis: which emails went out, per request."""
from __future__ import annotations

import json

NS = "notifications"


class DeliveryLog:
    def __init__(self, redis_client):
        self._redis = redis_client

    def was_sent(self, notification_id: str) -> bool:
        return bool(self._redis.exists(f"{NS}:sent:{notification_id}"))

    def mark_sent(self, notification_id: str, request_id: str, entry: dict) -> None:
        """Written straight after the SMTP server accepted the message, outside the
        handler's transaction, so a retry of the handler does not send it again."""
        pipe = self._redis.pipeline(transaction=True)
        pipe.set(f"{NS}:sent:{notification_id}", "1", ex=90 * 24 * 3600)
        pipe.rpush(f"{NS}:log:{request_id}", json.dumps(entry, ensure_ascii=False))
        pipe.execute()

    def for_request(self, request_id: str) -> list[dict]:
        return [json.loads(e) for e in self._redis.lrange(f"{NS}:log:{request_id}", 0, -1)]
