"""Fault drills: requests flow while a fault is injected, then every request is counted.

Each drill asserts exact counts (``Drill.account``): every request the HTTP side
accepted is invited exactly once, none is stuck, none stored twice, and no process
was restarted by hand (a crash is restarted by the supervisor, as ``make run`` does).
Every wait is on evidence — the mailbox, intake's stored status, the outbox, the DLQ,
the supervisor's restarts — never on a fixed sleep.
"""
import json
import signal
import time

import pytest
from kafka import KafkaAdminClient, KafkaProducer

from devstack.stack import SERVICES, wait_until
from shared.config import StackSettings
from shared.contracts import ALL_TOPICS, EVENT_SCHEMAS, dlq_for, topic_for
from tests.faults.conftest import get_status
from tests.kafka_tools import read_topic

pytestmark = pytest.mark.faults

WORKERS = [f"{s}-worker" for s in SERVICES]
OUTAGE_S = 5.0


def consumers_by_topic(stack) -> dict[str, set[str]]:
    """Which consumer groups read each topic, from the services' own handler tables."""
    from services.intake.bootstrap import bootstrap as intake
    from services.intake.handlers import event_handlers as intake_handlers
    from services.matching.bootstrap import bootstrap as matching
    from services.matching.handlers import event_handlers as matching_handlers
    from services.notifications.bootstrap import bootstrap as notifications
    from services.notifications.handlers import event_handlers as notifications_handlers
    from services.sessions.bootstrap import bootstrap as sessions
    from services.sessions.handlers import event_handlers as sessions_handlers
    settings = StackSettings.from_env(stack.env())
    tables = {"intake": intake_handlers(intake(settings)), "matching": matching_handlers(matching(settings)),
              "sessions": sessions_handlers(sessions(settings)),
              "notifications": notifications_handlers(notifications(settings))}
    out: dict[str, set[str]] = {}
    for service, handlers in tables.items():
        for event_type in handlers:
            out.setdefault(topic_for(event_type), set()).add(f"twoshot-{service}")
    return out


def poison_for(topic: str) -> dict[str, bytes | None]:
    """Every kind of message a consumer cannot take, for ``topic``."""
    own_type = next(t for t in sorted(EVENT_SCHEMAS) if topic_for(t) == topic)
    envelope = {"id": "poison-1", "version": 1, "source": "drill", "time": "2026-01-01T00:00:00+00:00",
                "subject": "s1", "correlation_id": "c1"}
    return {
        "not UTF-8": b"\xff\xfe\xfa",
        "not JSON": b"{not json",
        "JSON, not an object": b"[1, 2, 3]",
        "nested too deep": b"[" * 100_000,
        "envelope incomplete": json.dumps({"id": "poison-2"}).encode(),
        "unknown type": json.dumps({**envelope, "type": "mentorship.exploded", "data": {}}).encode(),
        "data breaks its schema": json.dumps({**envelope, "type": own_type, "data": {}}).encode(),
        "tombstone": None,
        "oversize (3 MB)": b'{"pad": "' + b"x" * (3 * 1024 * 1024) + b'"}',
    }


def dlq_copies(bootstrap: str, topic: str, expected: set, timeout: float = 90) -> list:
    """The DLQ copies of our poison on ``topic`` — (group, partition, offset, headers,
    record) — once every expected (group, partition, offset) is there."""
    copies: list = []

    def arrived() -> bool:
        copies.clear()
        for r in read_topic(bootstrap, dlq_for(topic), expect=len(expected), timeout=5):
            h = dict(r.headers)
            if h.get("dlq.topic") == topic.encode() and r.key in (b"poison", None):
                copies.append((h["dlq.group"].decode(), int(h["dlq.partition"]), int(h["dlq.offset"]), h, r))
        return {c[:3] for c in copies} >= expected
    wait_until(arrived, timeout, f"every poison on {topic} dead-lettered")
    return copies


def worker_restarts(drill) -> dict[str, int]:
    return {w: drill.supervisor.restarts.get(w, 0) for w in WORKERS}


def outage_waits(drill) -> int:
    """Times the workers logged waiting out a dependency (shared.consumer)."""
    logs = drill.stack.run_dir / "logs"
    return sum((logs / f"{w}.log").read_text(errors="replace").count("a dependency is away") for w in WORKERS)


def mail_attempted(drill, tag: str) -> int:
    """Queued emails for this drill that have been tried and failed at least once."""
    return sum(1 for raw in drill.redis.hvals("notifications:mail")
               if tag in raw and json.loads(raw)["attempts"] >= 1)


def test_poison_and_oversize_messages_on_every_consumed_topic_are_dead_lettered_once_per_group(drill):
    drill.all_up()
    bootstrap = drill.stack.bootstrap_servers
    groups = consumers_by_topic(drill.stack)
    assert set(groups) == {"twoshot.profile", "twoshot.mentorship", "twoshot.match", "twoshot.session",
                           "twoshot.critique", "twoshot.person", "twoshot.notification"}
    load = drill.load("Poison Drill").run(10, rate_per_s=5)
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", max_request_size=4 * 1024 * 1024)
    sent = []
    for topic in sorted(groups):
        for kind, value in poison_for(topic).items():
            meta = producer.send(topic, key=b"poison", value=value).get(timeout=10)
            sent.append((topic, meta.partition, meta.offset, kind))
    producer.close()
    load.wait()
    recovered = drill.wait_all_invited(load)

    dead = 0
    for topic, readers in groups.items():
        expected = {(g, p, o) for (t, p, o, _) in sent if t == topic for g in readers}
        copies = dlq_copies(bootstrap, topic, expected)
        assert sorted(c[:3] for c in copies) == sorted(expected), f"{topic}: each copy exactly once per group"
        for _group, partition, offset, headers, record in copies:
            kind = next(k for (t, p, o, k) in sent if (t, p, o) == (topic, partition, offset))
            assert headers["dlq.reason"], kind
            if kind.startswith("oversize"):
                assert headers["dlq.stub"] == b"true" and record.value is None
                assert int(headers["dlq.size"]) > 3 * 1024 * 1024 and len(headers["dlq.sha256"]) == 64
                assert headers["dlq.head"].startswith(b'{"pad": "xxx')
                assert b"oversize" in headers["dlq.reason"]
        dead += len(copies)
    assert worker_restarts(drill) == dict.fromkeys(WORKERS, 0), "a worker died on a poison message"
    drill.account(load, "poison and oversize messages",
                  f"{len(sent)} bad messages ({len(sent) // len(groups)} kinds × {len(groups)} topics)",
                  recovered, dlq_copies=dead, dlq_expected=sum(len(groups[t]) for (t, *_rest) in sent))


def test_every_worker_killed_twice_mid_flow_loses_and_repeats_nothing(drill):
    drill.all_up()
    load = drill.load("Kill Drill").run(40, rate_per_s=4)
    kills = 0
    for name in WORKERS * 2:
        before = drill.supervisor.restarts.get(name, 0)
        # Mid-flow: requests keep being accepted between kills.
        wanted = 4 * (kills + 1)
        wait_until(lambda n=wanted: len(load.accepted) >= n, 60, "requests to flow")
        drill.stack.kill(name, signal.SIGKILL)
        kills += 1
        wait_until(lambda n=name, b=before: drill.supervisor.restarts.get(n, 0) > b, 30, f"{name} to be restarted")
    load.wait()
    recovered = drill.wait_all_invited(load)
    drill.account(load, "worker SIGKILL", f"{kills} SIGKILLs (each worker twice)", recovered)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_redis_stopped_mid_flow_gets_503s_and_then_every_request_is_invited_once(drill, sig):
    drill.all_up()
    restarts = worker_restarts(drill)
    tag = f"Redis {sig.name} Drill"
    load = drill.load(tag).run(30, rate_per_s=5)
    wait_until(lambda: len(load.accepted) >= 8, 60, "requests to flow")
    waits = outage_waits(drill)
    drill.stack.stop_process("redis", sig)
    down = time.monotonic()
    # Evidence the outage is seen: clients got 503 + Retry-After, intake says it is not
    # ready, and the workers are waiting it out. It lasts 5 s, as in the replay.
    wait_until(lambda: load.unavailable >= 3 and time.monotonic() - down >= OUTAGE_S, 30,
               "503s while Redis is away")
    assert get_status(drill.stack.url("intake") + "/readyz") == 503
    drill.stack.start_redis()
    outage_s = time.monotonic() - down
    load.wait()
    recovered = drill.wait_all_invited(load)
    assert worker_restarts(drill) == restarts, "a worker exited while Redis was away"
    assert outage_waits(drill) > waits, "no worker noticed the outage: the drill did not test it"
    drill.account(load, f"Redis stopped ({sig.name}) and restarted", f"Redis away {outage_s:.1f} s",
                  recovered, http_503=load.unavailable)


# How the SMTP relay fails, and how it comes back.
SMTP_FAULTS = {
    "SMTP refusing (451)": (lambda drill: drill.mailbox.refuse(True), lambda drill: drill.mailbox.refuse(False)),
    "SMTP server gone": (lambda drill: drill.stack.stop_process("mailbox", signal.SIGKILL),
                         lambda drill: drill.stack.start_mailbox()),
}


@pytest.mark.parametrize("fault", list(SMTP_FAULTS))
def test_smtp_refusing_or_gone_then_back_delivers_every_invite_once(drill, fault):
    drill.all_up()
    fail, recover = SMTP_FAULTS[fault]
    fail(drill)
    try:
        load = drill.load(f"{fault.split()[1].capitalize()} SMTP Drill").run(10, rate_per_s=5)
        load.wait()
        wait_until(lambda: mail_attempted(drill, load.tag) >= len(load.accepted), 60,
                   "every invite to be tried and to fail at least once")
    finally:
        recover(drill)
    recovered = drill.wait_all_invited(load)
    drill.account(load, fault, "every invite failed at least once before the relay came back", recovered)


def test_broker_killed_and_restarted_every_request_made_meanwhile_is_invited_once_within_60_s(drill):
    """The local broker keeps everything in memory: what it had acknowledged and nobody
    had consumed yet is gone with it (a replicated Kafka keeps it). So the drill first
    lets the flow settle (every earlier request invited: nothing in flight can be lost),
    then kills the broker and submits requests while it is away. Those wait in intake's
    outbox, which is what must make sure none of them is affected."""
    drill.all_up()
    restarts = worker_restarts(drill)
    # Fewer before than during: each consumer's old position then lies inside the new
    # log, and a consumer that kept it would silently skip the records before it.
    settled = drill.load("Broker Before Drill").run(6, rate_per_s=6)
    settled.wait()
    drill.wait_all_invited(settled)

    drill.stack.stop_process("broker", signal.SIGKILL)
    load = drill.load("Broker Outage Drill").run(24, rate_per_s=12)
    load.wait()
    # A deploy stops a worker while the broker is away: it must go within a few seconds
    # (it once ignored SIGTERM for 8 s, blocked in a Kafka call), and start again.
    asked = time.monotonic()
    drill.stack.stop_process("intake-worker", signal.SIGTERM, timeout=30)
    sigterm_s = time.monotonic() - asked
    assert sigterm_s < 8, f"the worker took {sigterm_s:.1f} s to stop"
    drill.stack.start_worker("intake")
    assert drill.redis.zcard("intake:outbox:due") == len(load.accepted), "each request waits in the outbox"
    drill.stack.start_broker()
    recovered = drill.wait_all_invited(load, timeout=90)
    assert recovered <= 60

    # Topics and their dead-letter twins are back, recreated by the workers.
    admin = KafkaAdminClient(bootstrap_servers=drill.stack.bootstrap_servers)
    wanted = set(ALL_TOPICS) | {dlq_for(t) for t in ALL_TOPICS}
    try:
        wait_until(lambda: wanted <= set(admin.list_topics()), 30, "every topic and its .dlq twin")
    finally:
        admin.close()
    assert worker_restarts(drill) == restarts, "a worker exited while the broker was away"
    drill.account(load, "broker killed and restarted", "broker SIGKILL; 24 requests made while it was away",
                  recovered, sigterm_while_broker_away_s=round(sigterm_s, 1))


def test_broker_killed_with_acknowledged_unread_events_loses_nothing_without_a_settle(drill):
    """No settle first. Matching is frozen (SIGSTOP) while 12 requests are made, so their
    ``mentorship.requested`` are acknowledged by the broker and read by nobody; then the
    in-memory broker is killed with them. Intake's re-drive check sees the partitions'
    end offsets go back and sends every acknowledged event of its window again (original
    ids: whatever was handled before is dropped as a duplicate)."""
    drill.all_up()
    restarts = worker_restarts(drill)
    drill.stack.kill("matching-worker", signal.SIGSTOP)
    try:
        load = drill.load("Broker Unread Drill").run(12, rate_per_s=6)
        load.wait()
        # Evidence: Kafka acknowledged every one (intake's outbox is empty) and matching
        # has read none of them.
        wait_until(lambda: drill.redis.zcard("intake:outbox:due") == 0, 30, "intake's events acknowledged")
        assert not any(drill.redis.exists(f"matching:request:{r}") for r in load.accepted.values())
        drill.stack.stop_process("broker", signal.SIGKILL)
    finally:
        drill.stack.kill("matching-worker", signal.SIGCONT)
    restarted = time.monotonic()
    drill.stack.start_broker()
    recovered = drill.wait_all_invited(load, timeout=120)
    redriven = redrives(drill)
    assert redriven.get("intake", 0) >= len(load.accepted), redriven
    assert worker_restarts(drill) == restarts, "a worker exited while the broker was away"
    drill.account(load, "broker killed with events acknowledged and unread (no settle)",
                  "matching frozen, 12 requests acknowledged and unread, broker SIGKILL, restarted empty",
                  time.monotonic() - restarted if recovered else 0, redriven=redriven)


def redrives(drill) -> dict[str, int]:
    """Events each service's worker sent again, from its log."""
    out: dict[str, int] = {}
    for service in SERVICES:
        path = drill.stack.run_dir / "logs" / f"{service}-worker.log"
        for line in path.read_text().splitlines() if path.exists() else []:
            if '"the broker lost events it had acknowledged' in line:
                out[service] = out.get(service, 0) + json.loads(line).get("events", 0)
    return out
