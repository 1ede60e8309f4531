"""Intake's state in Redis. Reads go to the client, writes onto a unit of work's pipeline."""
from __future__ import annotations

from dataclasses import asdict

from services.intake.domain import Mentor, MentorshipRequest, Person
from shared import fastjson
from shared.outbox import CLAIM_DUE

NS = "intake"


class IntakeRepository:
    def __init__(self, redis_client):
        self._redis = redis_client
        self._claim_due = redis_client.register_script(CLAIM_DUE)

    def get_request(self, request_id: str, uow=None) -> MentorshipRequest | None:
        """The request; with ``uow``, read for update: the unit commits only if no other
        worker changed it meanwhile (two steps recorded at once both stay)."""
        key = f"{NS}:request:{request_id}"
        raw = uow.read_for_update([key], ("GET", key))[0] if uow is not None else self._redis.get(key)
        return MentorshipRequest.from_dict(fastjson.loads(raw)) if raw else None

    def save_request(self, pipe, request: MentorshipRequest) -> None:
        pipe.set(f"{NS}:request:{request.id}", fastjson.dumps(request.to_dict()))

    def get_mentor(self, mentor_id: str) -> Mentor | None:
        raw = self._redis.hget(f"{NS}:mentors", mentor_id)
        if not raw:
            return None
        d = fastjson.loads(raw)
        d["person"] = Person(**d["person"])
        return Mentor(**d)

    def save_mentor(self, pipe, mentor: Mentor) -> None:
        pipe.hset(f"{NS}:mentors", mentor.id, fastjson.dumps(asdict(mentor)))

    def get_signup(self, mentor_id: str) -> dict | None:
        """A sign-up waiting for its confirmation link to be followed."""
        raw = self._redis.get(f"{NS}:signup:{mentor_id}")
        return fastjson.loads(raw) if raw else None

    def hold_signup(self, pipe, mentor_id: str, data: dict, ttl_s: int) -> None:
        pipe.set(f"{NS}:signup:{mentor_id}", fastjson.dumps(data), ex=ttl_s)

    def drop_signup(self, pipe, mentor_id: str) -> None:
        pipe.delete(f"{NS}:signup:{mentor_id}")

    # a mentor's manage links: those signed before this time no longer work ------------
    def links_valid_from(self, mentor_id: str) -> float | None:
        raw = self._redis.get(f"{NS}:mentor:{mentor_id}:links-from")
        return float(raw) if raw else None

    def retire_links(self, pipe, mentor_id: str, before: float) -> None:
        pipe.set(f"{NS}:mentor:{mentor_id}:links-from", str(before))

    # erasures: ids and times only -------------------------------------------------------
    def erasure(self, person_id: str, uow=None) -> dict | None:
        """An erasure's record; with ``uow``, read under a watch (a report that changes it)."""
        key = f"twoshot-erasures:{person_id}"
        raw = uow.read_for_update([key], ("GET", key))[0] if uow is not None else self._redis.get(key)
        return fastjson.loads(raw) if raw else None

    def save_erasure(self, pipe, record: dict) -> None:
        pipe.set(f"twoshot-erasures:{record['person_id']}", fastjson.dumps(record))

    # an open erasure, until every service has reported (services/intake/erasures.py)
    def await_reports(self, pipe, ask: dict, at: float) -> None:
        """Keep ``ask`` (the erasure request's data) and make it due again at ``at``."""
        pipe.hset(f"{NS}:erasures:asks", ask["person_id"], fastjson.dumps(ask))
        pipe.zadd(f"{NS}:erasures:due", {ask["person_id"]: at})

    def reports_in(self, pipe, person_id: str) -> None:
        pipe.zrem(f"{NS}:erasures:due", person_id)
        pipe.hdel(f"{NS}:erasures:asks", person_id)

    def claim_erasures_due(self, now: float, again_s: float, limit: int) -> list[str]:
        """Person ids whose erasure is due, each made due again ``again_s`` later."""
        return [str(p) for p in self._claim_due(keys=[f"{NS}:erasures:due"], args=[now, again_s, limit])]

    def erasure_asks(self, person_ids: list[str]) -> list[dict | None]:
        return [fastjson.loads(raw) if raw else None
                for raw in self._redis.hmget(f"{NS}:erasures:asks", person_ids)]

    def mark_erased_request(self, pipe, request_id: str) -> None:
        pipe.set(f"twoshot-erasures:request:{request_id}", "1")

    def request_erased(self, request_id: str) -> bool:
        return bool(self._redis.exists(f"twoshot-erasures:request:{request_id}"))

    # staff actions (ids only) -----------------------------------------------------------
    def audit(self, entry: dict, pipe=None) -> None:
        (pipe if pipe is not None else self._redis).rpush(f"{NS}:audit", fastjson.dumps(entry))

    def audit_log(self, limit: int = 100) -> list[dict]:
        return [fastjson.loads(e) for e in self._redis.lrange(f"{NS}:audit", -limit, -1)]

    def mentor_count(self) -> int:
        return int(self._redis.hlen(f"{NS}:mentors"))
