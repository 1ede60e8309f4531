"""The fault drills' stack and load: every process of Twoshot as ``make run`` starts
them, supervised as ``make run`` supervises them, with short retry settings so the
whole suite takes a few minutes. Drills share one stack and run in file order; each
leaves it healthy (every process up, nothing in flight) for the next."""
from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field

import pytest
import redis

from devstack.stack import Stack, wait_until
from devstack.supervisor import Supervisor
from services.intake.repository import IntakeRepository
from tests.conftest import MailboxClient, start_on_free_ports

# Each drill's results, printed as one table at the end of the run (and in the README).
RESULTS: list[dict] = []

ALWAYS = [{"day": d, "start": "00:00", "end": "24:00"} for d in range(7)]
LANGUAGE = "es"      # the drills' stack is their own: no other test's mentor is in it


def post_json(url: str, payload: dict, timeout: float = 10, token: str = "") -> tuple[int, dict, dict]:
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
    req = urllib.request.Request(url, data=json.dumps(payload).encode(), method="POST", headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, dict(r.headers), json.load(r)
    except urllib.error.HTTPError as exc:
        with exc:
            body = exc.read()
            return exc.code, dict(exc.headers), (json.loads(body) if body[:1] == b"{" else {})


def get_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status
    except urllib.error.HTTPError as exc:
        exc.close()
        return exc.code
    except OSError:
        return 0


@dataclass
class Load:
    """Trainees asking for mentors at a steady rate, each with a unique name, as a
    well-behaved client would: a 503 is retried after its ``Retry-After`` (capped to keep
    drills short), so every payload is submitted exactly once in the end."""
    stack: Stack
    tag: str
    accepted: dict[str, str] = field(default_factory=dict)     # trainee name → request id
    unavailable: int = 0                                       # 503 answers (each with Retry-After)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def submit_one(self) -> None:
        name = f"{self.tag} {uuid.uuid4().hex[:8]}"
        payload = {"name": name, "email": f"{name.split()[-1]}@drill.example.org", "country": "PE",
                   "timezone": "America/Lima", "languages": [LANGUAGE], "discipline": "sound",
                   "focus_skills": ["boom operation"], "goals": "Clean dialogue on windy locations",
                   "availability": ALWAYS}
        while True:
            try:
                status, headers, body = post_json(self.stack.url("intake") + "/api/requests", payload)
            except OSError:          # intake's HTTP side itself restarting: try again
                time.sleep(0.2)
                continue
            if status == 201:
                self.accepted[name] = body["id"]
                return
            assert status == 503, (status, body)
            assert int(headers["Retry-After"]) > 0 and body["status"] == 503
            self.unavailable += 1
            time.sleep(min(float(headers["Retry-After"]), 0.5))

    def run(self, count: int, rate_per_s: float) -> Load:
        def loop():
            for _ in range(count):
                if self._stop.is_set():
                    return
                started = time.monotonic()
                self.submit_one()
                self._stop.wait(max(0.0, 1 / rate_per_s - (time.monotonic() - started)))
        self._thread = threading.Thread(target=loop, name=f"load-{self.tag}", daemon=True)
        self._thread.start()
        return self

    def wait(self, timeout: float = 120) -> None:
        assert self._thread is not None
        self._thread.join(timeout)
        assert not self._thread.is_alive(), "the load did not finish"


class Drill:
    """What a drill needs: the stack, its Redis, the mailbox, and the counts."""

    def __init__(self, stack: Stack, supervisor: Supervisor):
        self.stack = stack
        self.supervisor = supervisor
        self.mailbox = MailboxClient(stack.url("mailbox"))
        self.redis = redis.Redis.from_url(stack.redis, decode_responses=True, socket_timeout=5)

    def load(self, tag: str) -> Load:
        return Load(self.stack, tag)

    def invites(self, load: Load) -> dict[str, int]:
        """How many invite emails each of the load's trainees caused (by their unique name)."""
        counts = dict.fromkeys(load.accepted, 0)
        for message in self.mailbox.messages():
            if "invite.ics" not in {a["filename"] for a in message["attachments"]}:
                continue
            for name in counts:
                if name in message["subject"]:
                    counts[name] += 1
        return counts

    def statuses(self, load: Load) -> dict[str, str]:
        requests = IntakeRepository(self.redis)
        out = {}
        for name, request_id in load.accepted.items():
            found = requests.get_request(request_id)
            out[name] = found.status if found else "missing"
        return out

    def stored_requests(self, tag: str) -> int:
        """Requests intake stored for this drill (a 503 must have stored nothing)."""
        return sum(1 for key in self.redis.scan_iter("intake:request:*")
                   if tag in (self.redis.get(key) or ""))

    def wait_all_invited(self, load: Load, timeout: float = 120) -> float:
        """Wait until every accepted request has its invite; returns the seconds it took."""
        started = time.monotonic()
        try:
            wait_until(lambda: all(n >= 1 for n in self.invites(load).values())
                       and all(s == "invited" for s in self.statuses(load).values()), timeout,
                       f"an invite for each of {len(load.accepted)} requests", interval=0.5)
        except TimeoutError as exc:
            raise AssertionError(f"{exc}: {self._missing(load)}") from None
        return time.monotonic() - started

    def _missing(self, load: Load) -> str:
        statuses = self.statuses(load)
        missing = [f"{statuses[n]}" for n, c in self.invites(load).items() if c == 0]
        return f"{len(missing)} without an invite, at: {sorted(set(missing))}"

    def account(self, load: Load, drill: str, faults: str, recovered_s: float, **extra) -> dict:
        """The exact counts every drill asserts: each request invited exactly once, none
        stuck, none stored twice; recorded for the README's table."""
        invites = self.invites(load)
        statuses = self.statuses(load)
        row = {
            "drill": drill, "faults": faults, "requests": len(load.accepted),
            "lost": sum(1 for c in invites.values() if c == 0),
            "duplicated": sum(c - 1 for c in invites.values() if c > 1),
            "stuck": sum(1 for s in statuses.values() if s != "invited"),
            "recovered_s": round(recovered_s, 1), **extra,
        }
        RESULTS.append(row)
        assert row["lost"] == 0 and row["duplicated"] == 0 and row["stuck"] == 0, row
        assert self.stored_requests(load.tag) == len(load.accepted), "a request was stored twice or half"
        return row

    def all_up(self) -> None:
        """Every process of the stack running and ready (the supervisor restarted any that died)."""
        def ready():
            return all(p.poll() is None for p in self.stack.procs.values()) and all(
                get_status(self.stack.url(s) + "/readyz") == 200
                for s in ("intake", "matching", "sessions", "notifications"))
        wait_until(ready, 60, "every process to be up and ready", interval=0.3)


def register_mentors(stack: Stack, count: int) -> None:
    """Mentors who speak the drills' language, with room for every drill's requests."""
    ids = []
    for i in range(count):
        status, _, body = post_json(stack.url("intake") + "/api/mentors", {
            "name": f"Drill Mentor {i}", "email": f"drill-mentor-{i}@example.org", "country": "AR",
            "timezone": "America/Argentina/Buenos_Aires", "languages": [LANGUAGE], "disciplines": ["sound"],
            "skills": [{"name": "boom operation", "level": 5}], "monthly_capacity": 40, "availability": ALWAYS},
            token=stack.staff_token())
        assert status == 201, body
        ids.append(body["id"])
    client = redis.Redis.from_url(stack.redis, decode_responses=True)
    wait_until(lambda: all(client.hexists("matching:mentors", m) for m in ids), 60, "matching to know the mentors")
    client.close()


@pytest.fixture(scope="session")
def drill(tmp_path_factory):
    # Short settings: retries in fractions of a second, topics checked every 2 s, mail
    # retried quickly and often enough to outlast the SMTP drills.
    run_dir = tmp_path_factory.mktemp("faults")
    stack = start_on_free_ports(lambda ports: Stack(run_dir, ports, extra_env={
        "RETRY_BACKOFF_S": "0.1", "RETRY_BACKOFF_MAX_S": "1", "OUTBOX_RETRY_S": "0.3",
        "TOPIC_CHECK_INTERVAL_S": "2", "REDIS_TIMEOUT_S": "2", "KAFKA_MAX_BLOCK_MS": "1500",
        "MAIL_BACKOFF_S": "0.3", "MAIL_MAX_ATTEMPTS": "12", "MAIL_LEASE_S": "2", "REDRIVE_CHECK_S": "1",
        "REDRIVE_AFTER_S": "10"}))
    supervisor = Supervisor(stack, say=lambda line: None, min_backoff_s=0.3, max_backoff_s=2)
    try:
        supervisor.start()
        register_mentors(stack, 8)
        yield Drill(stack, supervisor)
    except Exception:
        for log in sorted((stack.run_dir / "logs").glob("*.log")):
            print(f"--- {log.name}\n{log.read_text()[-3000:]}")
        raise
    finally:
        supervisor.stop()
        stack.stop()


def pytest_terminal_summary(terminalreporter):
    if not RESULTS:
        return
    terminalreporter.section("fault drills")
    cols = ["drill", "faults", "requests", "lost", "duplicated", "stuck", "recovered_s"]
    terminalreporter.write_line(" | ".join([*cols, "more"]))
    for row in RESULTS:
        more = {k: v for k, v in row.items() if k not in cols}
        terminalreporter.write_line(" | ".join(str(row[c]) for c in cols) + (f" | {json.dumps(more)}" if more else ""))
