"""`make run` restarts a process that exits, with backoff, and says so."""
import re
import sys

from devstack.stack import DEFAULT_PORTS, Stack, wait_until
from devstack.supervisor import Supervisor


def test_a_process_that_keeps_exiting_is_restarted_with_doubling_capped_backoff_and_each_restart_is_said(tmp_path):
    stack = Stack(tmp_path, dict(DEFAULT_PORTS))
    said: list[str] = []
    supervisor = Supervisor(stack, say=said.append, min_backoff_s=0.2, max_backoff_s=0.8).start(interval_s=0.05)
    try:
        stack._spawn("crasher", [sys.executable, "-c", "raise SystemExit(3)"])
        wait_until(lambda: supervisor.restarts.get("crasher", 0) >= 4, 30, "four restarts")
    finally:
        supervisor.stop()
        stack.stop()
    delays = [float(d) for d in re.findall(r"crasher exited with code 3; restarting it in ([\d.]+) s", "\n".join(said))]
    assert delays[:5] == [0.2, 0.4, 0.8, 0.8, 0.8][:len(delays[:5])] and len(delays) >= 4
    assert any("crasher restarted (restart 4)" in line for line in said)
    assert "restarting it in" in (tmp_path / "logs" / "supervisor.log").read_text()
    assert "crasher restarted" in (tmp_path / "logs" / "crasher.log").read_text()


def test_a_process_stopped_on_purpose_is_not_restarted(tmp_path):
    stack = Stack(tmp_path, dict(DEFAULT_PORTS))
    supervisor = Supervisor(stack, say=lambda line: None, min_backoff_s=0.05)
    stack._spawn("sleeper", [sys.executable, "-c", "import time; time.sleep(60)"])
    supervisor.check()
    stack.stop_process("sleeper")
    for _ in range(5):
        supervisor.check()
    assert "sleeper" not in stack.procs and supervisor.restarts == {}
