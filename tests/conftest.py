"""Fixtures that start real parts: the Tansu broker, redis-server and the mailbox
SMTP server, through the same devstack code ``make run`` uses, on free ports."""
from __future__ import annotations

import json
import os
import time
import urllib.request
import uuid

import pytest
import redis

from devstack.stack import Stack, free_port, free_ports, wait_until
from shared.config import StackSettings
from shared.events import check_derived

# Tests are development (the default secret is allowed) and drive the services far
# harder than a person would: abuse limits are lifted here and set low only by the
# tests that prove them.
os.environ.setdefault("ENVIRONMENT", "development")
os.environ.setdefault("RATE_LIMIT_PER_ADDRESS", "100000/minute")
os.environ.setdefault("RATE_LIMIT_PER_EMAIL", "100000/minute")
os.environ.setdefault("RATE_LIMIT_STAFF_FAILURES", "100000/minute")
# Every event a handler derives is validated too, and must be as validation makes it:
# the tests run every handler, so a builder that drifts from its contract fails here.
os.environ.setdefault("CHECK_DERIVED_EVENTS", "true")
check_derived(True)


def _ports() -> dict[str, int]:
    return free_ports(("intake", "matching", "sessions", "notifications", "mailbox", "smtp", "broker", "redis",
                       "intake_metrics", "matching_metrics", "sessions_metrics", "notifications_metrics"))


@pytest.fixture(scope="session")
def infra(tmp_path_factory):
    """Redis and the mailbox, shared by the integration tests (each test flushes Redis)."""
    stack = Stack(tmp_path_factory.mktemp("infra"), _ports())
    stack.start_redis()
    stack.start_mailbox()
    yield stack
    stack.stop()


@pytest.fixture
def broker(infra, tmp_path):
    """A fresh broker per test, so no test sees another's messages."""
    stack = Stack(tmp_path / "broker", {**infra.ports, "broker": free_port()})
    stack.start_broker()
    stack.ensure_topics()
    yield stack.bootstrap_servers
    stack.stop()


@pytest.fixture
def restartable_broker(infra, tmp_path):
    """A broker of this test's own, which the test may kill and start again (empty)."""
    stack = Stack(tmp_path / "broker", {**infra.ports, "broker": free_port()})
    stack.start_broker()
    stack.ensure_topics()
    yield stack
    stack.stop()


@pytest.fixture
def redis_client(infra):
    client = redis.Redis.from_url(infra.redis, decode_responses=True)
    client.flushdb()
    yield client
    client.close()


@pytest.fixture
def settings(infra, broker) -> StackSettings:
    env = infra.env()
    env["KAFKA_BOOTSTRAP_SERVERS"] = broker
    return StackSettings.from_env(env, handler_backoff_s=0.05)


class MailboxClient:
    def __init__(self, base_url: str):
        self.base_url = base_url

    def messages(self, to: str | None = None, about_sessions: bool = False) -> list[dict]:
        """What reached ``to``; ``about_sessions``: without the email that gives a trainee
        their request's page as soon as they ask (for tests of what comes after)."""
        url = self.base_url + "/api/messages" + (f"?to={to}" if to else "")
        with urllib.request.urlopen(url, timeout=5) as r:
            found = json.load(r)["messages"]
        return [m for m in found if m["headers"].get("X-Twoshot-Kind") != "request_received"] if about_sessions \
            else found

    def wait_for(self, count: int, to: str | None = None, timeout: float = 60,
                 about_sessions: bool = False) -> list[dict]:
        wait_until(lambda: len(self.messages(to, about_sessions)) >= count, timeout,
                   f"{count} email(s) to {to or 'anyone'}", interval=0.25)
        return self.messages(to, about_sessions)

    def refuse(self, refuse: bool) -> None:
        req = urllib.request.Request(self.base_url + "/api/refuse", data=json.dumps({"refuse": refuse}).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
        urllib.request.urlopen(req, timeout=5).close()

    def hold_reply(self, seconds: float) -> None:
        req = urllib.request.Request(self.base_url + "/api/hold-reply", data=json.dumps({"seconds": seconds}).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
        urllib.request.urlopen(req, timeout=5).close()

    def clear(self) -> None:
        urllib.request.urlopen(urllib.request.Request(self.base_url + "/api/messages", method="DELETE"),
                               timeout=5).close()


@pytest.fixture
def mailbox(infra) -> MailboxClient:
    client = MailboxClient(infra.url("mailbox"))
    client.clear()
    client.refuse(False)
    return client


def start_on_free_ports(make, attempts: int = 3) -> Stack:
    """``make(ports).start()`` on ports chosen free; if another process binds one of them
    between the choice and the start (two stacks of one test run can draw the same
    number), stop and choose again."""
    for attempt in range(attempts):
        stack = make(_ports())
        try:
            stack.start()
            return stack
        except Exception as exc:
            if "already in use" in str(exc) and attempt < attempts - 1:
                stack.stop()
                continue
            for log in sorted((stack.run_dir / "logs").glob("*.log")):
                print(f"--- {log.name}\n{log.read_text()[-3000:]}")
            stack.stop()
            raise
    raise AssertionError("unreachable")


def started_stack(run_dir, **extra_env: str):
    """Every process of Twoshot, as ``make run`` starts them (without demo data)."""
    # Mail retries in seconds, not minutes, so "SMTP down for a while" fits in a test;
    # an erasure whose report the bus lost is asked again within the tests' waits.
    env = {"MAIL_BACKOFF_S": "0.3", "MAIL_MAX_ATTEMPTS": "5", "MAIL_LEASE_S": "2", "ERASURE_ASK_AGAIN_S": "5",
           **extra_env}
    return start_on_free_ports(lambda ports: Stack(run_dir, ports, extra_env=env))


@pytest.fixture(scope="session")
def full_stack(tmp_path_factory):
    stack = started_stack(tmp_path_factory.mktemp("stack"))
    yield stack
    stack.stop()


def unique_email(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}@example.org"


def poll(fn, timeout: float = 30, interval: float = 0.2):
    """Call ``fn`` until it returns something truthy; return that."""
    deadline = time.monotonic() + timeout
    while True:
        value = fn()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"nothing from {fn} after {timeout}s")
        time.sleep(interval)
