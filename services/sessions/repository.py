"""Sessions' state in Redis: sessions, and each mentor's booked times."""
from __future__ import annotations

import json
from datetime import datetime

from services.sessions.domain import Session

NS = "sessions"


def session_key(session_id: str) -> str:
    return f"{NS}:session:{session_id}"


class SessionRepository:
    def __init__(self, redis_client):
        self._redis = redis_client

    def get(self, session_id: str, reader=None) -> Session | None:
        raw = (reader or self._redis).get(session_key(session_id))
        return Session(**json.loads(raw)) if raw else None

    def save(self, pipe, session: Session) -> None:
        pipe.set(session_key(session.id), json.dumps(session.to_dict(), ensure_ascii=False))

    def busy(self, mentor_id: str) -> list[tuple[datetime, datetime]]:
        out = []
        for value in self._redis.hvals(f"{NS}:mentor:{mentor_id}:booked"):
            start, end = value.split("|")
            out.append((datetime.fromisoformat(start), datetime.fromisoformat(end)))
        return out

    def book(self, pipe, session: Session) -> None:
        pipe.hset(f"{NS}:mentor:{session.mentor['id']}:booked", session.id, f"{session.start}|{session.end}")

    def release(self, pipe, session: Session) -> None:
        pipe.hdel(f"{NS}:mentor:{session.mentor['id']}:booked", session.id)
