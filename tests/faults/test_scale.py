"""The scale drill: the contention load an operator ran against three consumers per group,
replayed against 3 matching, 3 sessions and 2 intake workers, and against one of each
(the control). More replicas must never change what people see, only how fast.

The load: 12 mentors with 30 places a month between them and the same narrow hours, 150
requests as fast as intake takes them, every invite accepted at once, then 6 more mentors
registered together while 120 requests wait, and their invites accepted at once too. Every
count is exact: 0 mentors over capacity, 0 double bookings, 0 requests with two open
invites, 0 lost timeline entries, 0 lost, 0 duplicated, 0 stuck. Every wait is on
evidence (the mailbox, matching's waiting list, the outboxes, the workers' assignments)."""
from __future__ import annotations

import itertools
import json
import re
import signal
import time
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import pytest
import redis

from devstack.stack import SERVICES, Stack, wait_until, worker_names
from tests.conftest import MailboxClient, start_on_free_ports
from tests.faults.conftest import RESULTS, post_json

pytestmark = pytest.mark.faults

LANGUAGE = "pt"
# Two one-hour windows a week, the same for every mentor: six or so free hours in the
# booking horizon each, enough for their capacity, few enough that they collide.
NARROW = [{"day": 1, "start": "18:00", "end": "19:00"}, {"day": 3, "start": "18:00", "end": "19:00"},
          {"day": 5, "start": "18:00", "end": "19:00"}]
ALWAYS = [{"day": d, "start": "00:00", "end": "24:00"} for d in range(7)]
FIRST_CAPACITIES = [3] * 6 + [2] * 6          # 30 places
LATE_CAPACITIES = [2] * 6                     # 12 more
REQUESTS = 150
ACCEPT = re.compile(r"(https?://[^\s\"<>]+/sessions/(\w+)/mentor/accept\?token=[^\s\"<>]+)")
OPEN = ("invited", "slot_proposed", "confirmed")
# A killed consumer's partitions are handled again within this: twice the session timeout
# (KAFKA_SESSION_TIMEOUT_MS, 5 s locally) plus the local broker's join wait (the rebalance
# timeout, 3 s). Typical runs take 8–10 s; a loaded 2-core CI machine once took 11.5 s.
# This bounds "taken over within seconds, not never"; the figure itself is in the drill table.
RECOVERY_GOAL_S = 2 * (5.0 + 3.0)


class Contention:
    def __init__(self, stack: Stack):
        self.stack = stack
        self.redis = redis.Redis.from_url(stack.redis, decode_responses=True, socket_timeout=5)
        self.mailbox = MailboxClient(stack.url("mailbox"))
        self.capacity: dict[str, int] = {}
        self.requests: dict[str, str] = {}      # request id → trainee name

    # --- load --------------------------------------------------------------------------
    def register(self, tag: str, capacities: list[int], hours: list[dict] = NARROW) -> None:
        def one(i_capacity):
            i, capacity = i_capacity
            status, _, body = post_json(self.stack.url("intake") + "/api/mentors", {
                "name": f"Scale Mentor {tag}{i}", "email": f"scale-{tag}{i}@example.org", "country": "BR",
                "timezone": "UTC", "languages": [LANGUAGE], "disciplines": ["sound"],
                "skills": [{"name": "boom operation", "level": 5}], "monthly_capacity": capacity,
                "availability": hours}, token=self.stack.staff_token())
            assert status == 201, body
            return body["id"], capacity
        with ThreadPoolExecutor(len(capacities)) as pool:
            self.capacity.update(pool.map(one, enumerate(capacities)))
        wait_until(lambda: all(self.redis.hexists("matching:mentors", m) for m in self.capacity), 60,
                   "matching to know every mentor")

    def ask(self, count: int) -> None:
        def one(i):
            name = f"Scale Trainee {i:03d}"
            status, _, body = post_json(self.stack.url("intake") + "/api/requests", {
                "name": name, "email": f"scale-trainee-{i}@example.org", "country": "MZ",
                "timezone": "Africa/Maputo", "languages": [LANGUAGE], "discipline": "sound",
                "focus_skills": ["boom operation"], "goals": "Clean dialogue on location", "availability": ALWAYS})
            assert status == 201, body
            return body["id"], name
        with ThreadPoolExecutor(8) as pool:
            self.requests.update(pool.map(one, range(count)))

    def invite_links(self) -> dict[str, list[str]]:
        """session id → the accept links its invite emails carried (one email each)."""
        out: dict[str, list[str]] = {}
        for message in self.mailbox.messages():
            found = ACCEPT.search(message["text"])
            if found:
                out.setdefault(found.group(2), []).append(found.group(1))
        return out

    def accept_all(self, links: list[str]) -> None:
        def one(url):
            token = urllib.parse.parse_qs(urllib.parse.urlparse(url).query)["token"][0]
            req = urllib.request.Request(url.split("?")[0], data=urllib.parse.urlencode({"token": token}).encode(),
                                         method="POST")
            with urllib.request.urlopen(req, timeout=30) as r:
                assert r.status == 200
        with ThreadPoolExecutor(10) as pool:
            list(pool.map(one, links))

    # --- evidence ----------------------------------------------------------------------
    def sessions(self) -> list[dict]:
        return [json.loads(self.redis.get(k) or "null") for k in self.redis.scan_iter("sessions:session:*")]

    def outboxes_empty(self) -> bool:
        return all(self.redis.zcard(f"{s}:outbox:due") == 0 for s in SERVICES)

    def settled(self, invites: int, waiting: int, confirmed: int) -> bool:
        sessions = self.sessions()
        sent = len(self.invite_links())
        assert sent <= invites, f"{sent} invites for {invites} places: a mentor went over capacity"
        return (sent == invites
                and self.redis.zcard("matching:waiting") == waiting
                and sum(1 for s in sessions if s and s["state"] == "confirmed") == confirmed
                and self.outboxes_empty()
                and self.timelines_caught_up(sessions))

    def timelines_caught_up(self, sessions: list[dict]) -> bool:
        return self.lost_timeline_entries(sessions) == 0

    def lost_timeline_entries(self, sessions: list[dict]) -> int:
        """Steps intake's timeline should hold (one per proposal, invite and confirmation)
        that it does not."""
        expected: Counter = Counter()
        for request_id in self.requests:
            for proposal in self.redis.lrange(f"matching:proposals:{request_id}", 0, -1):
                expected[(request_id, "matched")] += 1 if proposal else 0
        for s in sessions:
            if s:
                expected[(s["request_id"], "invited")] += 1
                if s["state"] == "confirmed":
                    expected[(s["request_id"], "confirmed")] += 1
        actual: Counter = Counter()
        for request_id in self.requests:
            raw = self.redis.get(f"intake:request:{request_id}")
            for entry in json.loads(raw)["timeline"] if raw else []:
                actual[(request_id, entry["step"])] += 1
        return sum(max(0, n - actual[key]) for key, n in expected.items())

    def wait_settled(self, invites: int, waiting: int, confirmed: int, what: str) -> None:
        try:
            wait_until(lambda: self.settled(invites, waiting, confirmed), 180, what, interval=0.5)
        except TimeoutError as exc:
            sessions = self.sessions()
            raise AssertionError(f"{exc}: invites {len(self.invite_links())}, waiting "
                                 f"{self.redis.zcard('matching:waiting')}, confirmed "
                                 f"{sum(1 for s in sessions if s and s['state'] == 'confirmed')}, "
                                 f"outboxes empty {self.outboxes_empty()}, "
                                 f"lost timeline entries {self.lost_timeline_entries(sessions)}") from None

    def counts(self) -> dict:
        sessions = [s for s in self.sessions() if s]
        open_ = [s for s in sessions if s["state"] in OPEN]
        per_mentor = Counter(s["mentor"]["id"] for s in open_)
        over = {m: n - self.capacity[m] for m, n in per_mentor.items() if n > self.capacity[m]}
        double = 0
        for role in ("mentor", "trainee"):
            by_person: dict[str, list] = {}
            for s in sessions:
                if s["state"] == "confirmed":
                    by_person.setdefault(s[role]["id"], []).append((s["start"], s["end"]))
            for times in by_person.values():
                double += sum(1 for (_, end), (start, _) in itertools.pairwise(sorted(times)) if start < end)
        per_request = Counter(s["request_id"] for s in open_)
        links = self.invite_links()
        waiting = set(self.redis.zrange("matching:waiting", 0, -1))
        known = {r for r in self.requests if self.redis.exists(f"matching:request:{r}")}
        return {
            "over_capacity_mentors": len(over), "sessions_beyond_capacity": sum(over.values()),
            "double_bookings": double,
            "multi_invites": sum(1 for n in per_request.values() if n > 1),
            "lost_timeline_entries": self.lost_timeline_entries(sessions),
            "lost": len(self.requests) - len(known),
            "duplicated": sum(len(v) - 1 for v in links.values() if len(v) > 1),
            "stuck": sum(1 for r in known if r not in waiting and per_request[r] == 0),
            "invites": len(links), "confirmed": sum(1 for s in sessions if s["state"] == "confirmed"),
        }

    def handled_by_each(self, service: str) -> dict[str, int]:
        """Events each of a service's workers handled, from its own log."""
        out = {}
        for name in worker_names(service, self.stack.workers[service]):
            log = (self.stack.run_dir / "logs" / f"{name}.log").read_text()
            out[name] = log.count('"message": "event handled"')
        return out

    def groups_formed(self) -> bool:
        """Every worker of every service holds partitions (its last assignment is not empty)."""
        for service in SERVICES:
            for name in worker_names(service, self.stack.workers[service]):
                path = self.stack.run_dir / "logs" / f"{name}.log"
                last = None
                for line in path.read_text().splitlines() if path.exists() else []:
                    if '"partitions assigned"' in line:
                        last = json.loads(line).get("partitions")
                if not last:
                    return False
        return True


@pytest.fixture(params=[{"matching": 3, "sessions": 3, "intake": 2}, {}], ids=["3-consumers", "control-1"])
def contention(request, tmp_path):
    workers = {s: request.param.get(s, 1) for s in SERVICES}
    stack = start_on_free_ports(lambda ports: Stack(tmp_path / "scale", ports, workers=workers, extra_env={
        "RETRY_BACKOFF_S": "0.1", "RETRY_BACKOFF_MAX_S": "1", "OUTBOX_RETRY_S": "0.3"}))
    try:
        drill = Contention(stack)
        wait_until(drill.groups_formed, 90, "every worker to hold partitions", interval=0.5)
        yield drill
    except Exception:
        for log in sorted((stack.run_dir / "logs").glob("*.log")):
            print(f"--- {log.name}\n{log.read_text()[-2000:]}")
        raise
    finally:
        stack.stop()


def test_more_consumers_never_change_what_people_see(contention):
    drill = contention
    started = time.monotonic()
    drill.register("a", FIRST_CAPACITIES)
    drill.ask(REQUESTS)
    drill.wait_settled(30, REQUESTS - 30, 0, "30 invites and 120 requests waiting")
    drill.accept_all([links[0] for links in drill.invite_links().values()])
    drill.wait_settled(30, REQUESTS - 30, 30, "every invite confirmed")
    first = set(drill.invite_links())
    drill.register("b", LATE_CAPACITIES)          # six at once, while 120 wait
    drill.wait_settled(42, REQUESTS - 42, 30, "12 more invites from the new mentors")
    drill.accept_all([links[0] for sid, links in drill.invite_links().items() if sid not in first])
    drill.wait_settled(42, REQUESTS - 42, 42, "every invite confirmed")
    counts = drill.counts()
    workers = drill.stack.workers
    RESULTS.append({
        "drill": f"scale: matching ×{workers['matching']}, sessions ×{workers['sessions']}, "
                 f"intake ×{workers['intake']}",
        "faults": "contention: 18 mentors (42 places, the same narrow hours), 150 requests at once, "
                  "every invite accepted at once, 6 mentors registered together",
        "requests": REQUESTS, "lost": counts["lost"], "duplicated": counts["duplicated"], "stuck": counts["stuck"],
        "recovered_s": round(time.monotonic() - started, 1), **{k: v for k, v in counts.items()
                                                                 if k not in ("lost", "duplicated", "stuck")},
        "handled_per_matching_worker": drill.handled_by_each("matching"),
        "handled_per_sessions_worker": drill.handled_by_each("sessions")})
    assert counts == {"over_capacity_mentors": 0, "sessions_beyond_capacity": 0, "double_bookings": 0,
                      "multi_invites": 0, "lost_timeline_entries": 0, "lost": 0, "duplicated": 0, "stuck": 0,
                      "invites": 42, "confirmed": 42}, counts
    # Every replica did its share: the group really had that many consumers at work.
    for service in ("matching", "sessions", "intake"):
        handled = drill.handled_by_each(service)
        assert all(n > 0 for n in handled.values()), (service, handled)


@pytest.fixture
def three_matching_consumers(tmp_path):
    workers = {**dict.fromkeys(SERVICES, 1), "matching": 3}
    stack = start_on_free_ports(lambda ports: Stack(tmp_path / "recovery", ports, workers=workers))
    try:
        drill = Contention(stack)
        wait_until(drill.groups_formed, 90, "every worker to hold partitions", interval=0.5)
        yield drill
    finally:
        stack.stop()


def test_a_killed_consumers_partitions_are_taken_over_within_seconds(three_matching_consumers):
    """5 requests a second; one of three matching consumers is SIGKILLed (and not
    restarted): the requests on its partition wait only until the group notices (the
    session timeout) and the local broker completes the join (its rebalance timeout)."""
    drill = three_matching_consumers
    drill.register("r", [40] * 4, hours=ALWAYS)
    answered: dict[str, float] = {}
    killed_at = 0.0
    for i in range(100):                     # 20 s at 5 a second
        started = time.time()
        status, _, body = post_json(drill.stack.url("intake") + "/api/requests", {
            "name": f"Recovery Trainee {i}", "email": f"recovery-{i}@example.org", "country": "MZ",
            "timezone": "Africa/Maputo", "languages": [LANGUAGE], "discipline": "sound",
            "focus_skills": ["boom operation"], "goals": "Clean dialogue", "availability": ALWAYS})
        assert status == 201, body
        answered[body["id"]] = time.time()
        if i == 25:
            drill.stack.stop_process("matching-worker-2", signal.SIGKILL)
            killed_at = time.time()
        time.sleep(max(0.0, 0.2 - (time.time() - started)))

    def proposed_at() -> dict[str, float]:
        out = {}
        for request_id in answered:
            first = drill.redis.lindex(f"matching:proposals:{request_id}", 0)
            if first:
                out[request_id] = datetime.fromisoformat(json.loads(first)["at"]).timestamp()
        return out
    wait_until(lambda: len(proposed_at()) == len(answered), 120, "a proposal for every request", interval=0.5)
    delays = {r: t - answered[r] for r, t in proposed_at().items()}
    after_kill = [d for r, d in delays.items() if answered[r] >= killed_at - 1]
    worst = max(after_kill)
    RESULTS.append({"drill": "scale: one of 3 matching consumers SIGKILLed under 5 req/s",
                    "faults": "matching-worker-2 killed, not restarted", "requests": len(answered), "lost": 0,
                    "duplicated": sum(1 for r in answered if drill.redis.llen(f"matching:proposals:{r}") > 1),
                    "stuck": 0, "recovered_s": round(worst, 1),
                    "delayed_over_2s": sum(1 for d in after_kill if d > 2)})
    assert all(drill.redis.llen(f"matching:proposals:{r}") == 1 for r in answered)
    assert worst <= RECOVERY_GOAL_S, f"a request waited {worst:.1f} s for its proposal after the kill"
