"""A worker is its own process: it starts, consumes and stops cleanly on SIGTERM."""
import json
import signal
import subprocess
import sys

import pytest

from devstack.stack import ROOT
from shared.events import make_event, serialize
from tests.conftest import poll
from tests.kafka_tools import producer

pytestmark = pytest.mark.integration


def test_a_worker_handles_events_and_stops_cleanly_on_sigterm(infra, broker, redis_client, tmp_path):
    env = {**infra.env(), "KAFKA_BOOTSTRAP_SERVERS": broker}
    log = tmp_path / "worker.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "services.matching.worker"], cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT)
    try:
        mentor = {"id": "m1", "name": "Inès", "email": "ines@example.org", "country": "FR", "region": "Europe",
                  "timezone": "Europe/Paris", "languages": ["fr"], "availability": []}
        event = make_event("profile.mentor_registered", "m1", {
            "mentor": mentor, "skills": [{"name": "lenses", "level": 4}], "disciplines": ["camera"],
            "bio": "", "monthly_capacity": 2}, "tests")
        p = producer(broker)
        p.send("twoshot.profile", key=b"m1", value=serialize(event)).get(timeout=10)
        p.close()
        poll(lambda: redis_client.hexists("matching:mentors", "m1"), timeout=30)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=15)
    lines = log.read_text().splitlines()
    records = [json.loads(line) for line in lines if line.startswith("{")]
    assert any(r["message"] == "consumer stopped" for r in records)
    # Nothing crashed (an uncaught exception prints a bare traceback) and our code logged
    # no error. kafka-python may log an error of its own while its sockets close under
    # load; that is its shutdown, handled inside it, not ours.
    assert all(line.startswith("{") for line in lines), "an uncaught exception"
    assert [r for r in records if r["level"] in ("ERROR", "CRITICAL") and not r["logger"].startswith("kafka")] == []


def liveness(env, service: str, max_age: float) -> int:
    return subprocess.run([sys.executable, "-m", "shared.liveness", service, "--max-age", str(max_age)],
                          cwd=ROOT, env=env, capture_output=True, timeout=30).returncode


def test_the_liveness_probe_passes_while_the_loop_turns_and_fails_when_it_is_stuck(infra, broker, tmp_path):
    env = {**infra.env(), "KAFKA_BOOTSTRAP_SERVERS": broker, "HEARTBEAT_DIR": str(tmp_path)}
    assert liveness(env, "sessions", 2) == 1                # no beat yet: never started
    with open(tmp_path / "worker.log", "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "services.sessions.worker"], cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT)
    try:
        poll(lambda: liveness(env, "sessions", 2) == 0, timeout=30)
        proc.send_signal(signal.SIGSTOP)                     # the loop is stuck
        poll(lambda: liveness(env, "sessions", 2) == 1, timeout=30)
        proc.send_signal(signal.SIGCONT)
        poll(lambda: liveness(env, "sessions", 2) == 0, timeout=30)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=15)
