"""``python -m bench e2e``: the whole system under load, measured from outside.

Starts a stack on free ports (as ``make run`` does, rate limits off), registers mentors
one at a time through ``POST /api/mentors`` (so matching's pool is built the way a live
one is), then drives ``POST /api/requests`` at each rate for a fixed time, open loop
(a request is sent at its scheduled time whether or not earlier ones were answered).

Latency is from the response to ``POST /api/requests`` to the mentor's invite arriving
in the local mailbox (its ``received_at``, same machine and clock). Each request's
trainee has a unique name, which the invite's subject carries. Per-hop figures come from
the envelopes' ``time`` on the bus, grouped by the correlation id the bench sends.

Knobs (environment): E2E_MENTORS (1500), E2E_RATES (5,10,20,50), E2E_SECONDS (60),
E2E_NEVER_S (60: an invite later than this counts as never), E2E_MAIL (300 emails for
``mail_per_s``), E2E_RANK_REGISTRATIONS (10000), E2E_WORKERS (consumers per service, as
``make run``'s WORKERS, e.g. ``matching=3,sessions=3,intake=2``: the scaled run, which
also counts mentors over capacity, double bookings and requests with two open invites).
"""
from __future__ import annotations

import http.client
import json
import os
import random
import re
import string
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import numpy as np

from devstack.stack import SERVICES, wait_until

_NAME = re.compile(r"Bench [A-Z][a-z]{4}")
STAND_INS = ("broker", "mailbox")    # local stand-ins for a Kafka cluster and an SMTP relay
HOPS = (("requested", "proposed"), ("proposed", "invited"), ("invited", "mailbox"))
_TYPES = {"mentorship.requested": "requested", "match.proposed": "proposed", "session.invited": "invited"}
MENTOR_WEEK = [{"day": d, "start": "08:00", "end": "20:00"} for d in range(5)]
ALL_WEEK = [{"day": d, "start": "00:00", "end": "24:00"} for d in range(7)]


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def _pct(values, q) -> float:
    return float(np.percentile(values, q)) if len(values) else float("nan")


# --- processes: CPU and memory of the whole stack --------------------------------------
def _stack_processes(stack) -> dict[str, list[int]]:
    """Process name (as the stack started it) → its pids, children included."""
    groups = {p.pid: name for name, p in stack.procs.items()}
    out: dict[str, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) in groups:      # pgrp: each started process leads its own group
            out.setdefault(groups[int(fields[2])], []).append(int(entry.name))
    return out


def _cpu_s(pids: list[int]) -> float:
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            f = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(x) for x in f[11:15])      # utime stime cutime cstime
    return total / tick


def redis_commands(r) -> dict[str, tuple[int, int]]:
    """Redis's own count of each command since it started: name → (calls, microseconds)."""
    return {name.removeprefix("cmdstat_"): (stats["calls"], stats["usec"])
            for name, stats in r.info("commandstats").items()}


def commands_per_request(before: dict, after: dict, requests: int, top: int = 12
                         ) -> tuple[float, dict[str, list[float]]]:
    """The commands the stack sent Redis per request between two ``redis_commands``
    readings: (every call per request, the ``top`` costliest commands as name → [calls
    per request, µs of Redis per request])."""
    spent = {name: (calls - before.get(name, (0, 0))[0], usec - before.get(name, (0, 0))[1])
             for name, (calls, usec) in after.items()}
    spent = {name: c for name, c in spent.items() if c[0] > 0 and name != "info"}
    n = max(1, requests)
    return (round(sum(calls for calls, _ in spent.values()) / n, 1),
            {name: [round(calls / n, 2), round(usec / n, 1)]
             for name, (calls, usec) in sorted(spent.items(), key=lambda kv: -kv[1][1])[:top]})


def _memory_mib(pids: list[int]) -> tuple[float, float]:
    """(sum of RSS, sum of PSS): PSS counts a page shared by n processes as 1/n each,
    which is what the stack really occupies; RSS counts it n times."""
    rss = pss = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except OSError:
            continue
    return rss / 1024, pss / 1024


# --- HTTP ----------------------------------------------------------------------------
class _Client(threading.local):
    """One keep-alive connection per thread."""

    def __init__(self, port: int):
        self.port = port
        self.conn: http.client.HTTPConnection | None = None

    def post(self, path: str, payload: dict, headers: dict) -> tuple[int, dict]:
        body = json.dumps(payload).encode()
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            try:
                self.conn.request("POST", path, body, {"Content-Type": "application/json", **headers})
                response = self.conn.getresponse()
                data = response.read()
                return response.status, json.loads(data or b"{}")
            except (OSError, http.client.HTTPException):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


def _name(i: int) -> str:
    """A unique, valid person name: the invite's subject carries it."""
    letters = string.ascii_lowercase
    tag = ""
    for _ in range(5):
        i, r = divmod(i, 26)
        tag += letters[r]
    return f"Bench {tag.capitalize()}"


# --- the mailbox, read from its store file as it grows ----------------------------------
class MailboxTail:
    def __init__(self, path: Path):
        self._path = path
        self._offset = 0
        self.messages: list[dict] = []

    def read(self) -> list[dict]:
        if not self._path.exists():
            return []
        with open(self._path, "rb") as f:
            f.seek(self._offset)
            chunk = f.read()
        end = chunk.rfind(b"\n") + 1
        self._offset += end
        new = [json.loads(line) for line in chunk[:end].splitlines() if line.strip()]
        self.messages += new
        return new


# --- the phases ----------------------------------------------------------------------
def _register_mentors(stack, n: int) -> None:
    from devstack.demo_data import generate_mentors
    token = stack.staff_token("editor")
    client = _Client(stack.ports["intake"])
    for m in generate_mentors(n, seed=99):
        # Capacity and free hours enough that no request of the run goes unmatched or
        # unschedulable for want of them (the demo's 2–3 evening hours a few days a week
        # fill up after a handful of sessions, and each such request takes a second round).
        status, body = client.post("/api/mentors", {**m, "monthly_capacity": 40, "availability": MENTOR_WEEK},
                                   {"Authorization": f"Bearer {token}"})
        if status != 201:
            raise RuntimeError(f"registering a mentor failed: {status} {body}")


def invariants(r) -> dict[str, int]:
    """What more replicas must never change, from sessions' and matching's state: mentors
    over capacity this month, mentors held twice at one time, requests with two open
    sessions."""
    from collections import Counter
    sessions = [json.loads(r.get(k) or "null") for k in r.scan_iter("sessions:session:*")]
    open_ = [s for s in sessions if s and s["state"] in ("invited", "slot_proposed", "confirmed")]
    loads = Counter(s["mentor"]["id"] for s in open_)
    times: dict[str, list] = {}
    for s in open_:
        times.setdefault(s["mentor"]["id"], []).append((s["start"], s["end"]))
    double = sum(1 for held in times.values() for (_, end), (start, _) in zip(sorted(held), sorted(held)[1:],
                                                                              strict=False) if start < end)
    per_request = Counter(s["request_id"] for s in open_)
    return {"over_capacity": sum(1 for n in loads.values() if n > 40), "double_bookings": double,
            "multi_invites": sum(1 for n in per_request.values() if n > 1)}


def _drained(stack, r) -> bool:
    """Every consumer group has committed every record, and no email is waiting."""
    from kafka import KafkaConsumer, TopicPartition

    from shared.contracts import ALL_TOPICS
    if r.zcard("notifications:mail:due"):
        return False
    reader = KafkaConsumer(bootstrap_servers=stack.bootstrap_servers, enable_auto_commit=False)
    try:
        tps = [TopicPartition(t, p) for t in ALL_TOPICS for p in sorted(reader.partitions_for_topic(t) or [])]
        ends = reader.end_offsets(tps)
    finally:
        reader.close()
    for service in SERVICES:
        group = KafkaConsumer(bootstrap_servers=stack.bootstrap_servers, group_id=f"twoshot-{service}",
                              enable_auto_commit=False)
        try:
            for tp in tps:
                committed = group.committed(tp)
                # A topic this group does not read has no commit: only lag on read topics counts.
                if committed is not None and committed < ends[tp]:
                    return False
        finally:
            group.close(autocommit=False)
    return True


def broker_floor(bootstrap: str, fetch_max_wait_ms: int, n: int = 200, rate: float = 50.0) -> float:
    """Raw produce→consume latency on this broker, one record at a time, with the consumer
    settings the services use: the floor under every hop."""
    from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
    from kafka.admin import NewTopic
    topic = f"bench.floor.{uuid.uuid4().hex[:8]}"
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        admin.create_topics([NewTopic(topic, 1, 1)])
    finally:
        admin.close()
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, group_id=None,
                             fetch_max_wait_ms=fetch_max_wait_ms)
    tp = TopicPartition(topic, 0)
    consumer.assign([tp])
    consumer.seek_to_end(tp)
    consumer.position(tp)
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=0)
    latencies: list[float] = []
    done = threading.Event()

    def read():
        while not done.is_set():
            for records in consumer.poll(timeout_ms=200).values():
                now = time.perf_counter()
                latencies.extend(now - float(rec.value) for rec in records)
            if len(latencies) >= n:
                done.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        for _ in range(n):
            producer.send(topic, str(time.perf_counter()).encode()).get(timeout=10)
            time.sleep(max(0.0, 1 / rate))
        done.wait(15)
    finally:
        done.set()
        reader.join(5)
        producer.close()
        consumer.close()
    return _pct(latencies, 50) * 1000


def mail_throughput(stack, r, tail: MailboxTail, n: int) -> float:
    """Queue ``n`` emails straight into notifications' mail queue (as its consumer does,
    wake-up included) and time until the mailbox has them all: the sender alone."""
    from services.notifications.messages import Email
    from services.notifications.repository import MailQueue
    from shared.outbox import Outbox
    from shared.store import UnitOfWork
    queue = MailQueue(r)
    run = uuid.uuid4().hex[:8]
    tail.read()
    before = len(tail.messages)
    started = time.time()      # the mailbox stamps arrivals with the wall clock
    mails = []
    for i in range(n):
        email = Email(kind="bench", recipient_role="mentor", to_name="Bench Reader", to_email=f"bench{i}@bench.test",
                      subject=f"mail bench {run} {i}", text="Hello.\n" * 40, html="<p>Hello.</p>" * 40)
        mails.append((f"bench:{run}:{i}", {"email": email.__dict__, "request_id": f"bench-{run}", "session_id": "",
                                          "correlation_id": "", "topic": "twoshot.bench", "event": "{}"}, 0.0))
    uow = UnitOfWork(r, Outbox(r, "bench"))
    queue.enqueue_all(uow, mails)
    uow.commit()
    def all_arrived() -> bool:
        tail.read()
        return len(tail.messages) - before >= n

    wait_until(all_arrived, 120, "the mail bench")
    last = max(m["received_at"] for m in tail.messages[before:])
    return n / max(1e-9, last - started)


def _request(i: int, run: str) -> tuple[dict, str]:
    rng = random.Random(i)
    discipline, skills = rng.choice([("sound", ["boom operation"]), ("camera", ["focus pulling"]),
                                     ("editing", ["dialogue editing"]), ("lighting", ["rigging"])])
    name = _name(i)
    return {"name": name, "email": f"{run}.{i}@trainees.bench.test", "country": rng.choice(["KE", "NG", "BR", "IN"]),
            "timezone": "UTC", "languages": ["en"], "discipline": discipline, "focus_skills": skills,
            "goals": "Steady work on small crews", "availability": ALL_WEEK}, name


def drive(stack, rate: int, seconds: int, start_index: int, run: str) -> list[dict]:
    """POST /api/requests at ``rate`` per second for ``seconds``; returns what was sent."""
    client = _Client(stack.ports["intake"])
    sent: list[dict] = []
    lock = threading.Lock()

    def one(i: int) -> None:
        payload, name = _request(i, run)
        correlation = f"bench-{run}-{i}"
        t0 = time.time()
        try:
            status, body = client.post("/api/requests", payload, {"X-Correlation-ID": correlation})
        except Exception as exc:
            status, body = 0, {"error": str(exc)}
        with lock:
            sent.append({"i": i, "name": name, "correlation_id": correlation, "status": status,
                         "request_id": body.get("id"), "sent_at": t0, "answered_at": time.time()})

    total = rate * seconds
    with ThreadPoolExecutor(max_workers=min(64, max(8, rate * 2))) as pool:
        t0 = time.perf_counter()
        for k in range(total):
            delay = t0 + k / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(one, start_index + k)
    return sent


def envelopes(bootstrap: str) -> dict[str, dict[str, float]]:
    """correlation id → {step: first time on the bus (epoch s)} for the request's chain."""
    from kafka import KafkaConsumer, TopicPartition
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, group_id=None)
    records: list = []
    try:
        tps = [TopicPartition(t, p) for t in ("twoshot.mentorship", "twoshot.match", "twoshot.session")
               for p in sorted(consumer.partitions_for_topic(t) or [])]
        consumer.assign(tps)
        consumer.seek_to_beginning(*tps)
        ends = consumer.end_offsets(tps)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and any(consumer.position(tp) < ends[tp] for tp in tps):
            for batch in consumer.poll(timeout_ms=500).values():
                records.extend(batch)
    finally:
        consumer.close()
    out: dict[str, dict[str, float]] = {}
    for record in records:
        try:
            body = json.loads(record.value)
        except (TypeError, ValueError):
            continue
        step = _TYPES.get(body.get("type"))
        if step is None:
            continue
        at = datetime.fromisoformat(body["time"]).timestamp()
        steps = out.setdefault(body.get("correlation_id", ""), {})
        steps[step] = min(at, steps.get(step, at))
    return out


def collect_invites(tail: MailboxTail, sent: list[dict], never_s: float) -> dict[str, float]:
    """Each request's invite arrival time (mailbox clock), waiting at most ``never_s``
    after the last request was answered."""
    by_name = {s["name"] for s in sent}
    arrived: dict[str, float] = {}
    deadline = max((s["answered_at"] for s in sent), default=time.time()) + never_s

    def all_in() -> bool:
        for m in tail.read():
            found = _NAME.search(m["subject"])
            if found and found.group(0) in by_name:
                arrived.setdefault(found.group(0), m["received_at"])
        return len(arrived) == len(sent) or time.time() > deadline

    wait_until(all_in, never_s + 60, "invites", interval=0.2)
    return arrived


def _hop(sent: list[dict], chains: dict, a: str, b: str) -> list[float]:
    values = []
    for s in sent:
        steps = dict(chains.get(s["correlation_id"], {}))
        if s.get("mailbox"):
            steps["mailbox"] = s["mailbox"]
        if a in steps and b in steps:
            values.append((steps[b] - steps[a]) * 1000)
    return values


def rank_after_registrations(n: int) -> tuple[float, float]:
    """(ranking p95, one registration's p95), in ms, after ``n`` mentors registered one at
    a time, as the worker sees them."""
    from bench import synthetic
    from bench.matching import WEEK
    from services.matching.domain import FairnessPolicy, MatchingWeights
    from services.matching.pool import MentorPool, TraineeVector
    pool = MentorPool(WEEK)
    upserts = []
    for mentor in synthetic.mentors(n, seed=5):
        t0 = time.perf_counter()
        pool.upsert(mentor)
        upserts.append(time.perf_counter() - t0)
    weights = MatchingWeights({"skill": 0.3, "level": 0.15, "language": 0.15, "availability": 0.15, "region": 0.1,
                               "load": 0.1, "equity": 0.05}, 1)
    policy = FairnessPolicy(min_share={"West Africa": 0.1}, exposure_boost=0.5)
    load = np.zeros(pool.rows)
    times = []
    for req in synthetic.requests(300, seed=6):
        t0 = time.perf_counter()
        pool.rank(TraineeVector.of(req, WEEK), weights, policy, load, limit=10)
        times.append(time.perf_counter() - t0)
    return _pct(times, 95) * 1000, _pct(upserts, 95) * 1000


def e2e_scaled() -> Iterator[dict]:
    """The scaled run: 20 req/s with 3 matching, 3 sessions and 2 intake consumers (other
    knobs as for ``e2e``); every figure's name is prefixed ``scaled_``."""
    for result in e2e(os.environ.get("E2E_WORKERS") or "matching=3,sessions=3,intake=2",
                      os.environ.get("E2E_SCALED_RATES") or "20", ranking=False):
        yield {**result, "name": f"scaled_{result['name']}"}


def e2e(workers_text: str | None = None, rates_text: str | None = None, ranking: bool = True) -> Iterator[dict]:
    import redis

    from devstack.stack import DEFAULT_PORTS, Stack, free_ports, parse_workers
    from shared.config import Settings

    n_mentors = _env_int("E2E_MENTORS", 1500)
    rates = [int(x) for x in (rates_text or os.environ.get("E2E_RATES") or "5,10,20,50").split(",")]
    seconds = _env_int("E2E_SECONDS", 60)
    never_s = _env_int("E2E_NEVER_S", 60)

    registrations = _env_int("E2E_RANK_REGISTRATIONS", 10_000)
    if ranking:
        rank_p95, upsert_p95 = rank_after_registrations(registrations)
        yield {"name": "rank_p95_ms_after_10k_registrations", "value": round(rank_p95, 3), "unit": "ms",
               "registrations": registrations}
        yield {"name": "registration_p95_ms_at_10k", "value": round(upsert_p95, 3), "unit": "ms",
               "registrations": registrations}

    run_dir = Path(tempfile.mkdtemp(prefix="twoshot-bench-"))
    workers = parse_workers(workers_text if workers_text is not None else os.environ.get("E2E_WORKERS", ""))
    stack = Stack(run_dir, free_ports(list(DEFAULT_PORTS)), workers=workers,
                  extra_env={"RATE_LIMITS_ENABLED": "false"})
    run = uuid.uuid4().hex[:6]
    try:
        stack.start()
        r = redis.Redis.from_url(stack.redis, decode_responses=True)
        t0 = time.perf_counter()
        _register_mentors(stack, n_mentors)
        wait_until(lambda: r.hlen("matching:mentors") >= n_mentors, 300, "matching to know every mentor")
        wait_until(lambda: _drained(stack, r), 300, "the stack to settle")
        yield {"name": "e2e_register_mentors_s", "value": round(time.perf_counter() - t0, 1), "unit": "s",
               "mentors": n_mentors}
        processes = _stack_processes(stack)
        memory = {name: _memory_mib(group) for name, group in processes.items()}
        rss, pss = sum(m[0] for m in memory.values()), sum(m[1] for m in memory.values())
        yield {"name": "stack_rss_idle_mib", "value": round(rss), "unit": "MiB", "pss_mib": round(pss),
               "processes": sum(len(group) for group in processes.values()),
               "by_process_rss_pss": {name: [round(x) for x in m] for name, m in memory.items()}}
        yield {"name": "stack_pss_idle_mib", "value": round(pss), "unit": "MiB"}
        idle0 = {name: _cpu_s(group) for name, group in processes.items()}
        time.sleep(10)
        idle = {name: round(100 * (_cpu_s(group) - idle0[name]) / 10, 1) for name, group in processes.items()}
        yield {"name": "stack_cpu_idle_pct", "value": round(sum(idle.values()), 1), "unit": "% of one core",
               "by_process": idle}

        floor = broker_floor(stack.bootstrap_servers, Settings().kafka_fetch_max_wait_ms)
        yield {"name": "broker_floor_p50_ms", "value": round(floor, 2), "unit": "ms"}

        tail = MailboxTail(run_dir / "mailbox.jsonl")
        yield {"name": "mail_per_s", "value": round(mail_throughput(stack, r, tail, _env_int("E2E_MAIL", 300)), 1),
               "unit": "emails/s"}
        wait_until(lambda: _drained(stack, r), 120, "the mail bench to finish")

        index, cpu_total = 0, 0.0
        phases: list[tuple[int, list[dict]]] = []
        for rate in rates:
            processes = _stack_processes(stack)
            before, load0 = {name: _cpu_s(group) for name, group in processes.items()}, os.getloadavg()
            commands0 = redis_commands(r)
            sent = drive(stack, rate, seconds, index, run)
            index += len(sent)
            arrived = collect_invites(tail, sent, never_s)
            spent = {name: _cpu_s(group) - before[name] for name, group in processes.items()}
            calls, commands = commands_per_request(commands0, redis_commands(r), len(sent))
            cpu = sum(spent.values())
            cpu_total += cpu
            by_process = {name: round(1000 * seconds_ / max(1, len(sent)), 1) for name, seconds_ in spent.items()}
            latencies = [arrived[s["name"]] - s["answered_at"] for s in sent if s["name"] in arrived
                         and arrived[s["name"]] - s["answered_at"] <= never_s]
            never = len(sent) - len(latencies)
            for s in sent:
                s["mailbox"] = arrived.get(s["name"])
            phases.append((rate, sent))
            yield {"name": f"e2e_invite_p50_s_{rate}rps", "value": round(_pct(latencies, 50), 3), "unit": "s",
                   "requests": len(sent), "failed_posts": sum(1 for s in sent if s["status"] != 201),
                   "load_avg_1m": round(os.getloadavg()[0], 2), "load_avg_1m_before": round(load0[0], 2)}
            yield {"name": f"e2e_invite_p95_s_{rate}rps", "value": round(_pct(latencies, 95), 3), "unit": "s"}
            yield {"name": f"e2e_invite_p99_s_{rate}rps", "value": round(_pct(latencies, 99), 3), "unit": "s"}
            yield {"name": f"e2e_never_{rate}rps", "value": never, "unit": "requests",
                   "of": len(sent), "within_s": never_s}
            yield {"name": f"cpu_ms_per_request_{rate}rps", "value": round(1000 * cpu / max(1, len(sent)), 1),
                   "unit": "ms", "by_process": by_process,
                   # What a deployment runs itself: not the local broker and mailbox, which stand
                   # in for a Kafka cluster and an SMTP relay (their costs are not these).
                   "services_ms": round(sum(v for k, v in by_process.items() if k not in STAND_INS), 1)}
            yield {"name": f"redis_calls_per_request_{rate}rps",
                   "value": calls, "unit": "calls",
                   "by_command_calls_usec": commands}
            wait_until(lambda: _drained(stack, r), 180, "the stack to settle between rates")

        total = sum(len(s) for _, s in phases)
        yield {"name": "cpu_ms_per_request", "value": round(1000 * cpu_total / max(1, total), 1), "unit": "ms",
               "requests": total}
        chains = envelopes(stack.bootstrap_servers)
        everything: dict[tuple[str, str], list[float]] = {}
        for rate, sent in phases:
            for a, b in HOPS:
                values = _hop(sent, chains, a, b)
                everything.setdefault((a, b), []).extend(values)
                yield {"name": f"e2e_hop_{a}_{b}_p50_ms_{rate}rps", "value": round(_pct(values, 50), 1), "unit": "ms"}
                yield {"name": f"e2e_hop_{a}_{b}_p95_ms_{rate}rps", "value": round(_pct(values, 95), 1), "unit": "ms",
                       "n": len(values)}
        for (a, b), values in everything.items():   # every rate together
            yield {"name": f"e2e_hop_{a}_{b}_p50_ms", "value": round(_pct(values, 50), 1), "unit": "ms"}
            yield {"name": f"e2e_hop_{a}_{b}_p95_ms", "value": round(_pct(values, 95), 1), "unit": "ms",
                   "n": len(values)}
        yield {"name": "e2e_scaled_invariants", "value": sum(invariants(r).values()), "unit": "violations",
               "workers": workers, **invariants(r)}
    finally:
        stack.stop()
