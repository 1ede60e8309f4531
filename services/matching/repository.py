"""Matching's state in Redis: its copy of mentor profiles, each request's matching
state, mentor load per month, and the proposals made (with their explanations)."""
from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime

from services.matching.domain import DEFAULT_WEIGHTS, MentorProfile, TraineeRequest
from services.matching.exposure import expected_exposure_of, exposure_of
from services.matching.learning import LearntModel
from shared import fastjson
from shared.store import queue_script

NS = "matching"
# Staff look-up: one sorted set, every score 0, of "<term>\x00<request id>" (a term is the
# id, the trainee's email or a word of their name, case-folded), searched by prefix.
_INDEX = f"{NS}:index:requests"
_INDEX_BUILT = f"{NS}:index:requests:built"
INDEX_SCAN = 1000      # entries read per word of a search


def _members(request: TraineeRequest) -> list[str]:
    trainee = request.trainee
    terms = {request.request_id.casefold(), trainee.get("email", "").casefold(), *_name_terms(trainee)}
    return [f"{term}\x00{request.request_id}" for term in terms if term]


def _name_terms(person: dict) -> set[str]:
    """The words a person is found by (a trainee on their request, a mentor proposed to it)."""
    return set(person.get("name", "").casefold().split())


def _id_of(member: str | bytes) -> str:
    text = member.decode() if isinstance(member, bytes) else member
    return text.rsplit("\x00", 1)[1]


# The mentor change feed's next number, taken inside the transaction that stores the
# profile (a script runs at EXEC): numbers follow the order changes become visible, so a
# replica that read up to n never misses a change numbered below n that commits later.
_STAMP_CHANGE = """
local seq = redis.call('INCR', KEYS[1])
redis.call('ZADD', KEYS[2], seq, ARGV[1])
return seq
"""


def request_key(request_id: str) -> str:
    return f"{NS}:request:{request_id}"


def _held_key(code: str) -> str:
    return f"{NS}:cohort-held:{code.strip().upper()}"


def cohort_key(cohort_id: str) -> str:
    return f"{NS}:cohort:{cohort_id}"


def load_stamp_key(mentor_id: str) -> str:
    """Changes whenever the mentor's load changes, in any month: what a claim on their
    capacity watches (the load itself is one hash per month, read whole for ranking)."""
    return f"{NS}:load-stamp:{mentor_id}"


# A mentor's active mentees, counted once per pair (decision 0011). A pair counts in the
# month of its first proposal through that month's load; in every later month it counts
# through ``carried`` (all active pairs) less ``carried:<month>`` (those whose first
# proposal was in that month, already in its load). Start and end are idempotent per
# mentorship id, so a replayed event never counts a pair twice.
_MENTEE_CHANGE = """
local pairs, carried, stamp = KEYS[1], KEYS[2], KEYS[3]
local mentorship, mentor, month, op = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
if op == 'start' then
  if redis.call('HSETNX', pairs, mentorship, month) == 0 then return 0 end
else
  month = redis.call('HGET', pairs, mentorship)
  if not month then return 0 end
  redis.call('HDEL', pairs, mentorship)
end
local delta = op == 'start' and 1 or -1
redis.call('HINCRBY', carried, mentor, delta)
redis.call('HINCRBY', carried .. ':' .. month, mentor, delta)
redis.call('INCR', stamp)
return 1
"""


class MatchingRepository:
    def __init__(self, redis_client):
        self._redis = redis_client

    # mentors -----------------------------------------------------------------
    def save_mentor(self, pipe, mentor: MentorProfile) -> None:
        # A change sequence lets every replica's in-memory index catch up incrementally.
        pipe.hset(f"{NS}:mentors", mentor.id, fastjson.dumps(asdict(mentor)))
        queue_script(pipe, _STAMP_CHANGE, [f"{NS}:mentors:seq", f"{NS}:mentors:changes"], [mentor.id])

    def mentors_changed_since(self, seq: float) -> tuple[list[MentorProfile], float]:
        changes = self._redis.zrangebyscore(f"{NS}:mentors:changes", f"({seq}", "+inf", withscores=True)
        if not changes:
            return [], seq
        mentors = [m for m in self.get_mentors([mentor_id for mentor_id, _ in changes]) if m]
        return mentors, max(score for _, score in changes)

    def get_mentors(self, mentor_ids: list[str]) -> list[MentorProfile | None]:
        """Each id's profile (None where there is none), in one round trip."""
        raws = self._redis.hmget(f"{NS}:mentors", mentor_ids) if mentor_ids else []
        return [MentorProfile(**fastjson.loads(r)) if r else None for r in raws]

    # requests ----------------------------------------------------------------
    def get_request(self, request_id: str, uow=None) -> TraineeRequest | None:
        """The request's matching state; with ``uow``, read for update: the unit commits
        only if no other worker changed the request meanwhile (one open proposal each)."""
        key = request_key(request_id)
        raw = uow.read_for_update([key], ("GET", key))[0] if uow is not None else self._redis.get(key)
        return TraineeRequest(**fastjson.loads(raw)) if raw else None

    def save_request(self, pipe, request: TraineeRequest) -> None:
        pipe.set(request_key(request.request_id), fastjson.dumps(asdict(request)))

    def get_mentor(self, mentor_id: str) -> MentorProfile | None:
        raw = self._redis.hget(f"{NS}:mentors", mentor_id)
        return MentorProfile(**fastjson.loads(raw)) if raw else None

    def forget_request(self, pipe, request_id: str) -> None:
        """An erased trainee's request: its state, proposals (with their equity data), place
        in line and look-up entries."""
        # Found by the id each entry ends with, not from the stored names, which an erasure
        # may already have blanked (shared.erasure.forget).
        entries = list(self._redis.zscan_iter(_INDEX, match=f"*\x00{request_id}", count=1000))
        if entries:
            pipe.zrem(_INDEX, *(member for member, _ in entries))
        pipe.delete(f"{NS}:request:{request_id}", f"{NS}:proposals:{request_id}", f"{NS}:emails:{request_id}",
                    f"{NS}:messages:{request_id}")
        pipe.zrem(f"{NS}:waiting", request_id)

    # requests waiting for a mentor who fits ------------------------------------
    def wait(self, pipe, request_id: str, since: float) -> None:
        """Put the request on the waiting list; one already on it keeps its place."""
        pipe.zadd(f"{NS}:waiting", {request_id: since}, nx=True)

    def stop_waiting(self, pipe, request_id: str) -> None:
        pipe.zrem(f"{NS}:waiting", request_id)

    def waiting(self, limit: int, start: int = 0) -> list[str]:
        """Oldest first: who waited longest gets the next mentor."""
        return self._redis.zrange(f"{NS}:waiting", start, start + limit - 1)

    def claim_waitlist_round(self, every_s: float) -> int | None:
        """Where in the waiting list this round of retries starts, or None when another
        worker took this interval's round (one ``SET NX`` each: a round a dead worker
        left half done is taken up again in the next interval). The cursor is read without
        a watch on purpose: it only says where to look, and every proposal a round makes is
        its own claim (``shared.store.claim``), so two rounds that overlap (one that outlasted
        its interval) can look at the same requests but never propose one twice."""
        pipe = self._redis.pipeline(transaction=False)    # one round trip for both
        pipe.set(f"{NS}:waitlist:round", "1", nx=True, px=max(1, int(every_s * 1000)))
        pipe.get(f"{NS}:waitlist:cursor")
        won, cursor = pipe.execute()
        return int(cursor or 0) if won else None

    def move_waitlist_cursor(self, to: int) -> None:
        self._redis.set(f"{NS}:waitlist:cursor", to)

    # Programme codes are matched whatever their case: trainees type "accra-2026", staff
    # "ACCRA-2026"; both are the same cohort (kept upper-case).
    def hold_for_cohort(self, pipe, cohort: str, request_id: str) -> None:
        pipe.sadd(_held_key(cohort), request_id)

    def held_for_cohort(self, cohort: str) -> list[str]:
        return sorted(self._redis.smembers(_held_key(cohort)))

    def release_from_cohort(self, pipe, cohort: str, request_id: str) -> None:
        pipe.srem(_held_key(cohort), request_id)

    def cohorts_waiting(self) -> list[tuple[str, int]]:
        """Every programme code with trainees waiting for a cohort assignment, and how many."""
        prefix = f"{NS}:cohort-held:"
        keys = sorted(self._redis.scan_iter(match=prefix + "*", count=500))
        counts = [self._redis.scard(k) for k in keys]
        return [(k[len(prefix):], n) for k, n in zip(keys, counts, strict=True) if n]

    # load --------------------------------------------------------------------
    def active_load(self, month: str) -> dict[str, int]:
        """Each mentor's load in ``month``: its first proposals, plus the active mentees
        from earlier months (``_MENTEE_CHANGE``)."""
        pipe = self._redis.pipeline(transaction=False)
        pipe.hgetall(f"{NS}:load:{month}")
        pipe.hgetall(f"{NS}:carried")
        pipe.hgetall(f"{NS}:carried:{month}")
        proposals, carried, this_month = pipe.execute()
        load = {k: int(v) for k, v in proposals.items()}
        for mentor_id, n in carried.items():
            extra = int(n) - int(this_month.get(mentor_id, 0))
            if extra:
                load[mentor_id] = load.get(mentor_id, 0) + extra
        return load

    def load_for_update(self, uow, month: str, mentor_id: str) -> int:
        """One mentor's load, read under a watch on their capacity (``load_stamp_key``)."""
        proposals, carried, this_month = (int(v or 0) for v in uow.read_for_update(
            [load_stamp_key(mentor_id)], ("HGET", f"{NS}:load:{month}", mentor_id),
            ("HGET", f"{NS}:carried", mentor_id), ("HGET", f"{NS}:carried:{month}", mentor_id)))
        return proposals + carried - this_month

    def mentee_started(self, pipe, mentorship_id: str, mentor_id: str, month: str) -> None:
        """A pair whose first proposal counted in ``month`` now meets on: counted in later months."""
        queue_script(pipe, _MENTEE_CHANGE, [f"{NS}:pairs:{mentor_id}", f"{NS}:carried", load_stamp_key(mentor_id)],
                     [mentorship_id, mentor_id, month, "start"])

    def mentee_since(self, uow, mentorship_id: str, mentor_id: str) -> str | None:
        """The month an active pair's first proposal counted in (None: not an active pair),
        read under a watch: a copy ending the same pair at once cannot free its place twice."""
        key = f"{NS}:pairs:{mentor_id}"
        (month,) = uow.read_for_update([key], ("HGET", key, mentorship_id))
        return str(month) if month else None

    def mentee_ended(self, pipe, mentorship_id: str, mentor_id: str) -> None:
        queue_script(pipe, _MENTEE_CHANGE, [f"{NS}:pairs:{mentor_id}", f"{NS}:carried", load_stamp_key(mentor_id)],
                     [mentorship_id, mentor_id, "", "end"])

    def mentorship_for_update(self, uow, mentorship_id: str) -> dict:
        """Staff's view of a pair (groups, dates, sessions, how it ended and why), read under a
        watch: its events arrive on two topics, to two consumers at once. It names the
        trainee by id, so erasing them removes it (shared.erasure)."""
        key = f"{NS}:mentorship:{mentorship_id}"
        (raw,) = uow.read_for_update([key], ("GET", key))
        return fastjson.loads(raw) if raw else {"mentorship_id": mentorship_id, "sessions": []}

    def save_mentorship(self, pipe, record: dict) -> None:
        pipe.set(f"{NS}:mentorship:{record['mentorship_id']}", fastjson.dumps(record))
        pipe.sadd(f"{NS}:mentorship-ids", record["mentorship_id"])

    def mentorships(self) -> list[dict]:
        ids = sorted(self._redis.smembers(f"{NS}:mentorship-ids"))
        raws = self._redis.mget([f"{NS}:mentorship:{i}" for i in ids]) if ids else []
        return [fastjson.loads(r) for r in raws if r]

    def active_mentees(self, mentor_id: str) -> int:
        return int(self._redis.hlen(f"{NS}:pairs:{mentor_id}"))

    def change_load(self, pipe, month: str, mentor_id: str, delta: int) -> None:
        pipe.hincrby(f"{NS}:load:{month}", mentor_id, delta)
        pipe.incr(load_stamp_key(mentor_id))

    # mentors' booked times, as sessions reports them (a projection of session.* events) --
    def hold_time(self, pipe, mentor_id: str, session_id: str, start: str, end: str) -> None:
        pipe.hset(f"{NS}:calendar:{mentor_id}", session_id, f"{start}|{end}")

    def free_time(self, pipe, mentor_id: str, session_id: str) -> None:
        pipe.hdel(f"{NS}:calendar:{mentor_id}", session_id)

    def booked_times(self, mentor_id: str, after: datetime) -> list[tuple[datetime, datetime]]:
        """The mentor's held times that end after ``after``."""
        out = []
        for value in self._redis.hvals(f"{NS}:calendar:{mentor_id}"):
            start, end = (datetime.fromisoformat(v) for v in value.split("|"))
            if end > after:
                out.append((start, end))
        return out

    # proposals ---------------------------------------------------------------
    def record_proposal(self, pipe, request_id: str, proposal: dict) -> None:
        pipe.rpush(f"{NS}:proposals:{request_id}", fastjson.dumps(proposal))

    def proposals(self, request_id: str) -> list[dict]:
        return [fastjson.loads(p) for p in self._redis.lrange(f"{NS}:proposals:{request_id}", 0, -1)]

    # what the trainee and the mentor wrote (reasons, notes with a new time), for staff
    def record_message(self, pipe, request_id: str, entry: dict) -> None:
        """Kept once per event (a redelivered event adds nothing)."""
        pipe.hsetnx(f"{NS}:messages:{request_id}", entry["id"], json.dumps(entry, ensure_ascii=False))

    def messages(self, request_id: str) -> list[dict]:
        """Oldest first."""
        entries = [json.loads(v) for v in self._redis.hvals(f"{NS}:messages:{request_id}")]
        return sorted(entries, key=lambda e: (e["at"], e["id"]))

    # what notifications reported sending: a projection, so staff see it beside the proposals
    def record_email(self, pipe, request_id: str, entry: dict) -> None:
        pipe.rpush(f"{NS}:emails:{request_id}", fastjson.dumps(entry))

    def emails(self, request_id: str) -> list[dict]:
        return [fastjson.loads(e) for e in self._redis.lrange(f"{NS}:emails:{request_id}", 0, -1)]

    def find_requests(self, text: str, limit: int = 20) -> list[TraineeRequest]:
        """Requests whose id, trainee's email, or a word of the trainee's name or of a
        proposed mentor's name starts with each word of ``text`` (case-insensitive), from
        the look-up index: a few Redis calls however many requests there are."""
        words = text.casefold().split()
        if not words:
            return []
        exact = self.get_request(text.strip().lower())
        if exact is not None:
            return [exact]
        self._ensure_index()
        found: set[str] | None = None
        for word in words:
            members = self._redis.zrangebylex(_INDEX, b"[" + word.encode(), b"[" + word.encode() + b"\xff",
                                              start=0, num=INDEX_SCAN)
            ids = {_id_of(m) for m in members}
            found = ids if found is None else found & ids
            if not found:
                return []
        ordered = sorted(found or ())[:limit]
        raws = self._redis.mget([f"{NS}:request:{i}" for i in ordered]) if ordered else []
        return [TraineeRequest(**fastjson.loads(raw)) for raw in raws if raw]

    def index_request(self, pipe, request: TraineeRequest) -> None:
        """Make ``request`` findable by staff (``find_requests``)."""
        pipe.zadd(_INDEX, dict.fromkeys(_members(request), 0))

    def index_mentor_of(self, pipe, request_id: str, mentor: MentorProfile) -> None:
        """Make a request findable by the name of a mentor proposed to it. The entries name
        the mentor's id, so erasing the mentor finds them without the name."""
        terms = _name_terms(mentor.person)
        if terms:
            pipe.zadd(_INDEX, {f"{term}\x00m:{mentor.id}\x00{request_id}": 0 for term in terms})

    def unindex_mentor(self, pipe, mentor_id: str) -> None:
        """An erased mentor's name leaves the look-up index."""
        entries = [m for m, _ in self._redis.zscan_iter(_INDEX, match=f"*\x00m:{mentor_id}\x00*", count=1000)]
        if entries:
            pipe.zrem(_INDEX, *entries)

    def _ensure_index(self) -> None:
        """Index requests stored before the index existed (once)."""
        if self._redis.exists(_INDEX_BUILT):
            return
        pipe = self._redis.pipeline(transaction=False)
        for key in self._redis.scan_iter(match=f"{NS}:request:*", count=500):
            raw = self._redis.get(key)
            if raw:
                self.index_request(pipe, TraineeRequest(**fastjson.loads(raw)))
        pipe.set(_INDEX_BUILT, "1")
        pipe.execute()

    def recent_requests(self, limit: int) -> list[str]:
        return self._redis.lrange(f"{NS}:recent", -limit, -1)

    def remember_request(self, pipe, request_id: str) -> None:
        pipe.rpush(f"{NS}:recent", request_id)
        pipe.ltrim(f"{NS}:recent", -1000, -1)

    # outcomes: what happened to each proposal (for learning and the report) -----
    def record_outcome(self, pipe, outcome: dict) -> None:
        pipe.rpush(f"{NS}:outcomes", json.dumps(outcome))

    def record_critique(self, pipe, mentor_group: str) -> None:
        pipe.hincrby(f"{NS}:critiques", mentor_group, 1)

    def critiques_by_group(self) -> dict[str, int]:
        return {k: int(v) for k, v in self._redis.hgetall(f"{NS}:critiques").items()}

    def outcomes(self) -> list[dict]:
        return [json.loads(o) for o in self._redis.lrange(f"{NS}:outcomes", 0, -1)]

    def all_proposals(self, limit: int = 5000) -> list[dict]:
        out = []
        for request_id in self._redis.lrange(f"{NS}:recent", -limit, -1):
            out.extend(self.proposals(request_id))
        return out


# KEYS = the current version's number, the versions; returns the current version's
# record (false for none: the built-in defaults are in force). One round trip for what
# was a read of the number, then of the version.
_CURRENT_POLICY = """
local number = redis.call('GET', KEYS[1])
if not number then return false end
return redis.call('HGET', KEYS[2], number)
"""


class PolicyStore:
    """Staff-set weights and fairness policy: every version kept, every change audited.

    A version is immutable; "current" points at one. Rolling back points "current" at an
    old version through a new audited change, so the history only grows.
    """

    def __init__(self, redis_client):
        self._redis = redis_client
        self._current = redis_client.register_script(_CURRENT_POLICY)

    def current(self) -> dict:
        """The version in force (every ranking reads it): one round trip."""
        raw = self._current(keys=[f"{NS}:policy:current", f"{NS}:policy:versions"])
        return json.loads(raw) if raw else default_policy()

    def version(self, number: int) -> dict | None:
        """A stored version; 0 is the built-in defaults."""
        if number == 0:
            return default_policy()
        raw = self._redis.hget(f"{NS}:policy:versions", str(number))
        return json.loads(raw) if raw else None

    def versions(self) -> list[dict]:
        """Every version, the built-in defaults (0) first."""
        raw = self._redis.hvals(f"{NS}:policy:versions")
        return [default_policy(), *sorted((json.loads(r) for r in raw), key=lambda v: v["version"])]

    def apply(self, policy: dict, who: str, reason: str, at: str, action: str = "update") -> dict:
        """Store ``policy`` (weights + fairness) as a new version and make it current.
        A policy the same as the one in force makes no version: it is returned with
        ``unchanged`` set, and nothing is written."""
        before = self.current()
        if same_policy(policy, before):
            return {**before, "unchanged": True}
        number = max(int(self._redis.incr(f"{NS}:policy:seq")), before["version"] + 1)
        stored = {**policy, "version": number, "author": who, "at": at, "reason": reason}
        pipe = self._redis.pipeline(transaction=True)
        pipe.hset(f"{NS}:policy:versions", str(number), json.dumps(stored))
        pipe.set(f"{NS}:policy:current", number)
        pipe.rpush(f"{NS}:audit", json.dumps({"who": who, "when": at, "action": action, "reason": reason,
                                              "before": before, "after": stored}))
        pipe.execute()
        return stored

    def audit(self, limit: int = 100) -> list[dict]:
        return [json.loads(a) for a in self._redis.lrange(f"{NS}:audit", -limit, -1)]

    def log(self, entry: dict, pipe=None) -> None:
        """Append to the audit log; with ``pipe``, in the transaction of the change itself."""
        (pipe or self._redis).rpush(f"{NS}:audit", json.dumps(entry))


def same_policy(a: dict, b: dict) -> bool:
    return a["weights"] == b["weights"] and a["fairness"] == b["fairness"]


def default_policy() -> dict:
    return {"version": 0, "weights": dict(DEFAULT_WEIGHTS),
            # exposure_boost 0.5: exposure ratio 0.94 for 0.1 % NDCG@10 on the benchmark (README).
            "fairness": {"region_preference": "neutral", "min_overlap_hours": 1.0, "group_attribute": "region",
                         "min_share": {}, "exposure_boost": 0.5, "access_boost": {},
                         "excluded_mentors": []},
            "author": "default", "at": "", "reason": "built-in defaults"}


# ARGV[1] = a JSON list of [key index, field, increment]; each increment is a string (a
# float's repr, an int's digits), so HINCRBYFLOAT adds exactly what Python computed.
_HINCRBY_MANY = """
local steps = cjson.decode(ARGV[1])
for _, step in ipairs(steps) do
  local value = step[3]
  local command = string.find(value, '[.eE]') and 'HINCRBYFLOAT' or 'HINCRBY'
  redis.call(command, KEYS[step[1]], step[2], value)
end
return #steps
"""


class ExposureLedger:
    """Position-weighted exposure each group's mentors received in the rankings made,
    per fairness attribute (position i of a list weighs 1 / log2(i + 1)), beside the
    exposure each group would have had in proportion to its eligible candidates."""

    def __init__(self, redis_client):
        self._redis = redis_client

    def record(self, pipe, attribute: str, ranking) -> None:
        """Add one ranking to the ledger: some ninety increments in one script, given as one
        JSON argument (packing them one by one cost more than the increments)."""
        got, fair = exposure_of(ranking), expected_exposure_of(ranking)
        steps: list = []
        for group, value in got.items():
            steps.append((1, group, repr(float(value))))
        for group, value in fair.items():
            steps.append((2, group, repr(float(value))))
        # Per-ranking sums, so the report can give each ratio a confidence interval.
        for group in set(got) | set(fair):
            x, y = got.get(group, 0.0), fair.get(group, 0.0)
            for name, value in (("xx", x * x), ("yy", y * y), ("xy", x * y), ("x", x), ("y", y)):
                steps.append((3, f"{group}|{name}", repr(float(value))))
            steps.append((3, f"{group}|n", "1"))
        for group in ranking.groups[:10]:
            steps.append((4, group, "1"))
        steps.append((5, attribute, "1"))
        queue_script(pipe, _HINCRBY_MANY, [f"{NS}:exposure:{attribute}", f"{NS}:expected:{attribute}",
                                           f"{NS}:exposure-stats:{attribute}", f"{NS}:top10:{attribute}",
                                           f"{NS}:rankings"],
                     [json.dumps(steps, ensure_ascii=False)])

    def both(self, attribute: str) -> tuple[dict[str, float], dict[str, float]]:
        """``exposure`` and ``expected`` in one round trip (what each ranking reads)."""
        pipe = self._redis.pipeline(transaction=False)
        pipe.hgetall(f"{NS}:exposure:{attribute}")
        pipe.hgetall(f"{NS}:expected:{attribute}")
        got, fair = pipe.execute()
        return {k: float(v) for k, v in got.items()}, {k: float(v) for k, v in fair.items()}

    def stats(self, attribute: str) -> dict[str, dict[str, float]]:
        """group → {x, y, xx, yy, xy, n}: per-ranking sums since these began to be kept."""
        out: dict[str, dict[str, float]] = {}
        for key, value in self._redis.hgetall(f"{NS}:exposure-stats:{attribute}").items():
            group, _, name = key.rpartition("|")
            out.setdefault(group, {})[name] = float(value)
        return out

    def top10(self, attribute: str) -> dict[str, int]:
        return {k: int(v) for k, v in self._redis.hgetall(f"{NS}:top10:{attribute}").items()}


class ModelStore:
    """The learnt model (if any) and whether it is live."""

    def __init__(self, redis_client):
        self._redis = redis_client

    def get(self):
        raw = self._redis.get(f"{NS}:model")
        return LearntModel(**json.loads(raw)) if raw else None

    def put(self, model, pipe=None) -> None:
        (pipe or self._redis).set(f"{NS}:model", json.dumps(model.to_dict()))


class CohortStore:
    """Cohort assignments: drafts staff read, then confirm (or leave)."""

    def __init__(self, redis_client):
        self._redis = redis_client

    def get(self, cohort_id: str) -> dict | None:
        raw = self._redis.get(cohort_key(cohort_id))
        return json.loads(raw) if raw else None

    def save(self, pipe, cohort: dict) -> None:
        pipe.set(cohort_key(cohort["id"]), json.dumps(cohort, ensure_ascii=False))
