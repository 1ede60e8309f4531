"""Matching's state in Redis: its copy of mentor profiles, each request's matching
state, mentor load per month, and the proposals made (with their explanations)."""
from __future__ import annotations

import json
from dataclasses import asdict

from services.matching.domain import MentorProfile, TraineeRequest

NS = "matching"


class MatchingRepository:
    def __init__(self, redis_client):
        self._redis = redis_client

    # mentors -----------------------------------------------------------------
    def save_mentor(self, pipe, mentor: MentorProfile) -> None:
        # A change sequence lets every replica's in-memory index catch up incrementally.
        seq = self._redis.incr(f"{NS}:mentors:seq")
        pipe.hset(f"{NS}:mentors", mentor.id, json.dumps(asdict(mentor), ensure_ascii=False))
        pipe.zadd(f"{NS}:mentors:changes", {mentor.id: seq})

    def mentors_changed_since(self, seq: float) -> tuple[list[MentorProfile], float]:
        changes = self._redis.zrangebyscore(f"{NS}:mentors:changes", f"({seq}", "+inf", withscores=True)
        if not changes:
            return [], seq
        ids = [mentor_id for mentor_id, _ in changes]
        raws = self._redis.hmget(f"{NS}:mentors", ids)
        mentors = [MentorProfile(**json.loads(r)) for r in raws if r]
        return mentors, max(score for _, score in changes)

    # requests ----------------------------------------------------------------
    def get_request(self, request_id: str) -> TraineeRequest | None:
        raw = self._redis.get(f"{NS}:request:{request_id}")
        return TraineeRequest(**json.loads(raw)) if raw else None

    def save_request(self, pipe, request: TraineeRequest) -> None:
        pipe.set(f"{NS}:request:{request.request_id}", json.dumps(asdict(request), ensure_ascii=False))

    def get_mentor(self, mentor_id: str) -> MentorProfile | None:
        raw = self._redis.hget(f"{NS}:mentors", mentor_id)
        return MentorProfile(**json.loads(raw)) if raw else None

    # requests waiting for a mentor who fits ------------------------------------
    def wait(self, pipe, request_id: str, since: float) -> None:
        pipe.zadd(f"{NS}:waiting", {request_id: since})

    def stop_waiting(self, pipe, request_id: str) -> None:
        pipe.zrem(f"{NS}:waiting", request_id)

    def waiting(self, limit: int) -> list[str]:
        """Oldest first: who waited longest gets the next mentor."""
        return self._redis.zrange(f"{NS}:waiting", 0, limit - 1)

    # load --------------------------------------------------------------------
    def active_load(self, month: str) -> dict[str, int]:
        return {k: int(v) for k, v in self._redis.hgetall(f"{NS}:load:{month}").items()}

    def change_load(self, pipe, month: str, mentor_id: str, delta: int) -> None:
        pipe.hincrby(f"{NS}:load:{month}", mentor_id, delta)

    # proposals ---------------------------------------------------------------
    def record_proposal(self, pipe, request_id: str, proposal: dict) -> None:
        pipe.rpush(f"{NS}:proposals:{request_id}", json.dumps(proposal, ensure_ascii=False))

    def proposals(self, request_id: str) -> list[dict]:
        return [json.loads(p) for p in self._redis.lrange(f"{NS}:proposals:{request_id}", 0, -1)]
