"""``python -m bench intake``: how many trainee requests intake's HTTP side takes a second,
against ``/healthz`` on the same gunicorn in the same run (issue #21's third goal:
``intake_post_rps`` ≥ 0.3 × ``intake_healthz_rps``).

The whole local stack runs (matching, sessions and notifications take the requests'
events meanwhile, as in production, on the same two cores). ``INTAKE_CLIENTS`` threads
(default 8), each on one keep-alive connection, send as fast as they are answered for
``INTAKE_SECONDS`` (default 15) per figure: first ``GET /healthz``, then ``POST
/api/requests`` (every request a new trainee, abuse limits off). The CPU the intake HTTP
processes spent is read from ``/proc`` before and after each phase, and so is every other
stack process's and the bench's own (``cpu_ms_per_answer_by_process``), which is how the
figure is explained: a POST's cost lands in intake's HTTP processes, in its outbox relay and
in every downstream worker, all on the same two cores, while ``/healthz`` costs only the first.

``INTAKE_DOWNSTREAM=paused`` stops (SIGSTOP) the intake worker and every matching, sessions
and notifications worker for the phases and lets them go on (SIGCONT) after: the figure
then measures intake's HTTP side alone, with the events waiting on the broker.

``INTAKE_PROFILE=1`` samples intake's HTTP workers with py-spy during the POST phase and
writes ``bench/profile/intake-http-post.md`` (top 20 functions) and its collapsed stacks.
"""
from __future__ import annotations

import http.client
import json
import os
import signal
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from bench.e2e import _cpu_s, _env_int, _pct, _request, _stack_processes
from bench.profile import collected, spy_on, write_profile


def _answer(conn: http.client.HTTPConnection, method: str, path: str, body: bytes | None = None) -> int:
    """One request on ``conn``; the answer's status (its body read, so the connection is reused)."""
    conn.request(method, path, body, {"Content-Type": "application/json"} if body else {})
    response = conn.getresponse()
    response.read()
    return response.status


def _phase(port: int, clients: int, seconds: float, call: Callable[[http.client.HTTPConnection, int], int]) -> dict:
    """``clients`` threads, each on its own keep-alive connection, calling ``call`` back to
    back for ``seconds``: 2xx answers per second and their latency percentiles."""
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    counter = iter(range(10 ** 9))
    stop = time.perf_counter() + seconds

    def connect() -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def worker() -> None:
        conn, mine, bad = connect(), [], 0
        while time.perf_counter() < stop:
            with lock:
                i = next(counter)
            t0 = time.perf_counter()
            try:
                status = call(conn, i)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn, status = connect(), 0
            if 200 <= status < 300:
                mine.append(time.perf_counter() - t0)
            else:
                bad += 1
        conn.close()
        with lock:
            latencies.extend(mine)
            failures[0] += bad

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return {"rps": len(latencies) / elapsed, "n": len(latencies), "failures": failures[0],
            "p50_ms": _pct(latencies, 50) * 1000 if latencies else 0.0,
            "p95_ms": _pct(latencies, 95) * 1000 if latencies else 0.0}


def intake_http() -> Iterator[dict]:
    from devstack.stack import DEFAULT_PORTS, Stack, free_ports

    clients = _env_int("INTAKE_CLIENTS", 8)
    seconds = _env_int("INTAKE_SECONDS", 15)
    run_dir = Path(tempfile.mkdtemp(prefix="twoshot-bench-intake-"))
    stack = Stack(run_dir, free_ports(list(DEFAULT_PORTS)), extra_env={"RATE_LIMITS_ENABLED": "false"})
    run = uuid.uuid4().hex[:6]
    try:
        stack.start()
        port = stack.ports["intake"]
        processes = _stack_processes(stack)
        processes["bench"] = [os.getpid()]
        paused = os.environ.get("INTAKE_DOWNSTREAM", "running") == "paused"
        profiled = os.environ.get("INTAKE_PROFILE", "") == "1"
        out_dir = Path(__file__).parent / "profile"
        downstream = [name for name in stack.procs if name.endswith("-worker") or "-worker-" in name]
        load = os.getloadavg()[0]

        def healthz(conn: http.client.HTTPConnection, i: int) -> int:
            return _answer(conn, "GET", "/healthz")

        def post(conn: http.client.HTTPConnection, i: int) -> int:
            return _answer(conn, "POST", "/api/requests", json.dumps(_request(i, run)[0]).encode())

        figures = {}
        if paused:
            for name in downstream:
                stack.kill(name, signal.SIGSTOP)
        try:
            for name, call in (("healthz", healthz), ("post", post)):
                spies = (spy_on(stack, "intake-http", processes["intake-http"], out_dir, seconds, 200)
                         if profiled and name == "post" else [])
                cpu0 = {p: _cpu_s(pids) for p, pids in processes.items()}
                figures[name] = _phase(port, clients, seconds, call)
                if spies:
                    write_profile(out_dir, "intake-http-post", f"intake-http: POST /api/requests as fast as answered, "
                                  f"downstream {'paused' if paused else 'running'}", collected(spies, seconds + 60))
                n = figures[name]["n"] or 1
                figures[name]["by_process"] = {p: round(1000 * (_cpu_s(pids) - cpu0[p]) / n, 3)
                                               for p, pids in processes.items()}
        finally:
            if paused:
                for name in downstream:
                    stack.kill(name, signal.SIGCONT)
        for name, f in figures.items():
            yield {"name": f"intake_{name}_rps", "value": round(f["rps"], 1), "unit": "req/s", "clients": clients,
                   "seconds": seconds, "downstream": "paused" if paused else "running",
                   "p50_ms": round(f["p50_ms"], 2), "p95_ms": round(f["p95_ms"], 2),
                   "failures": f["failures"], "http_cpu_ms_per_answer": f["by_process"]["intake-http"],
                   "cpu_ms_per_answer_all": round(sum(f["by_process"].values()), 3),
                   "cpu_ms_per_answer_by_process": f["by_process"],
                   "load_average_1m_before": round(load, 2)}
        ratio = figures["post"]["rps"] / figures["healthz"]["rps"]
        yield {"name": "intake_post_over_healthz", "value": round(ratio, 3), "unit": "ratio", "goal": 0.3,
               "downstream": "paused" if paused else "running"}
    finally:
        stack.stop()
