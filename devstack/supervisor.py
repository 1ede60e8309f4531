"""Restarts a process of the local stack that exited, as systemd or Kubernetes would.

A process that exits is started again after a backoff that doubles with each quick
failure (1 s, 2 s, 4 s … up to 30 s) and resets once it has run for a minute. Every
exit and restart is said on the console and written to ``logs/supervisor.log`` and to
the process's own log, so the operator sees what happened and when.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from devstack.stack import Stack


@dataclass
class _State:
    failures: int = 0                 # quick exits in a row: the backoff doubles with each
    restart_at: float | None = None   # when an exited process is due to start again


@dataclass
class Supervisor:
    stack: Stack
    say: Callable[[str], None] = print
    min_backoff_s: float = 1.0
    max_backoff_s: float = 30.0
    healthy_after_s: float = 60.0
    restarts: dict[str, int] = field(default_factory=dict)
    _states: dict[str, _State] = field(default_factory=dict)
    _thread: threading.Thread | None = None
    _stop: threading.Event = field(default_factory=threading.Event)

    def check(self, now: float | None = None) -> list[str]:
        """Look at every process once; restart those whose backoff has run out."""
        now = time.monotonic() if now is None else now
        restarted = []
        with self.stack.lock:
            for name in [n for n in self._states if n not in self.stack.procs]:
                del self._states[name]         # stopped on purpose: no longer supervised
            for name, proc in list(self.stack.procs.items()):
                state = self._states.setdefault(name, _State())
                if proc.poll() is None:
                    state.restart_at = None   # running (perhaps started again by someone else)
                    continue
                if state.restart_at is None:
                    if now - self.stack.started_at[name] >= self.healthy_after_s:
                        state.failures = 0
                    delay = min(self.max_backoff_s, self.min_backoff_s * 2 ** state.failures)
                    state.failures += 1
                    state.restart_at = now + delay
                    self._tell(name, f"{name} exited with code {proc.returncode}; restarting it in {delay:.1f} s")
                elif now >= state.restart_at:
                    self.stack.respawn(name)
                    self.restarts[name] = self.restarts.get(name, 0) + 1
                    state.restart_at = None
                    self._tell(name, f"{name} restarted (restart {self.restarts[name]})")
                    restarted.append(name)
        return restarted

    def _tell(self, name: str, message: str) -> None:
        line = f"{datetime.now(UTC).isoformat(timespec='seconds')} supervisor: {message}"
        self.say(line)
        logs = self.stack.run_dir / "logs"
        for path in (logs / "supervisor.log", logs / f"{name}.log"):
            with open(path, "a", encoding="utf-8") as out:
                out.write(line + "\n")

    # For tests: the same supervision in a background thread.
    def start(self, interval_s: float = 0.2) -> Supervisor:
        def loop():
            while not self._stop.wait(interval_s):
                self.check()
        self._thread = threading.Thread(target=loop, name="supervisor", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10)
