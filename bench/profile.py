"""``python -m bench profile``: where each process's CPU goes at 20 req/s.

Starts a stack as ``bench e2e`` does, registers mentors, then drives ``POST
/api/requests`` at PROFILE_RATE (20) per second for PROFILE_SECONDS (30) while py-spy
samples every worker and the intake HTTP workers (``--nonblocking``: the processes are
not paused, so the figures are what they cost under load). For each process it writes
the collapsed stacks (``bench/profile/<process>.folded.gz``, the input of any
flame-graph tool once unzipped: ``flamegraph.pl`` or https://www.speedscope.app) and a table of the top 20
functions by own time and by time including what they call
(``bench/profile/<process>.md``). One JSON line per process gives its CPU per request
and its five costliest functions.

Knobs: PROFILE_MENTORS (500), PROFILE_RATE (20), PROFILE_SECONDS (30),
PROFILE_DIR (bench/profile), PROFILE_SAMPLE_HZ (200).
"""
from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from bench.e2e import (
    MailboxTail,
    _cpu_s,
    _drained,
    _env_int,
    _register_mentors,
    _stack_processes,
    collect_invites,
    drive,
)
from devstack.stack import DEFAULT_PORTS, Stack, free_ports, wait_until

PROFILED = ("intake-worker", "intake-http", "matching-worker", "sessions-worker", "notifications-worker")


def _frame(text: str) -> str:
    """py-spy's ``function (path/to/file.py:line)`` → ``function (file.py)``: one row per
    function, whatever line of it was running."""
    name, _, where = text.partition(" (")
    path = where.rsplit(":", 1)[0].rstrip(")")
    for marker in ("site-packages/", "lib/python3"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    else:
        path = path.split("/work/", 1)[-1]
        path = "/".join(Path(path).parts[-3:])
    return f"{name} ({path})"


def summarise(folded: str, top: int = 20) -> tuple[int, list[tuple[str, int]], list[tuple[str, int]]]:
    """(samples, top functions by own samples, top functions by inclusive samples) from
    py-spy's collapsed stacks (``frame;frame;… count`` per line, root first)."""
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for line in folded.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [_frame(f) for f in stack.split(";")[1:]]   # the first is the thread
        if not frames:
            continue
        total += count
        own[frames[-1]] += count
        for f in set(frames):
            inclusive[f] += count
    return total, own.most_common(top), inclusive.most_common(top)


def _table(title: str, rows: list[tuple[str, int]], total: int) -> str:
    lines = [f"### {title}", "", "| % of samples | function (file) |", "|---:|---|"]
    lines += [f"| {100 * n / max(1, total):.1f} | `{name}` |" for name, n in rows]
    return "\n".join(lines) + "\n"


def py_spy() -> str:
    beside = Path(sys.executable).parent / "py-spy"
    spy = str(beside) if beside.exists() else shutil.which("py-spy")
    if spy is None:
        raise SystemExit("py-spy is needed: pip install py-spy")
    return spy


def spy_on(stack: Stack, name: str, pids: list[int], out_dir: Path, seconds: int,
           hz: int) -> list[tuple[Path, subprocess.Popen]]:
    """Start py-spy on ``name``'s processes (a gunicorn's workers, not its arbiter, the
    group's leader, which only watches them); each writes its collapsed stacks to a file."""
    spy, leader = py_spy(), stack.procs[name].pid
    spies = []
    for pid in [p for p in pids if p != leader] or pids:
        path = out_dir / f".{name}-{pid}.folded"
        spies.append((path, subprocess.Popen(
            [spy, "record", "--pid", str(pid), "--duration", str(seconds), "--rate", str(hz),
             "--nonblocking", "--gil", "--format", "raw", "--output", str(path)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)))
    return spies


def collected(spies: list[tuple[Path, subprocess.Popen]], timeout: float) -> str:
    """Wait for the spies and return their stacks together (their files removed)."""
    folded = ""
    for path, proc in spies:
        proc.wait(timeout=timeout)
        folded += path.read_text() if path.exists() else ""
        path.unlink(missing_ok=True)
    return folded


def write_profile(out_dir: Path, name: str, heading: str, folded: str) -> tuple[int, list[tuple[str, int]]]:
    """``<name>.folded.gz`` and the top-20 tables in ``<name>.md``; (samples, top by own time)."""
    with gzip.open(out_dir / f"{name}.folded.gz", "wt") as f:
        f.write(folded)
    total, own, inclusive = summarise(folded)
    (out_dir / f"{name}.md").write_text(
        f"# {heading} ({total} samples)\n\n"
        f"Made by `python -m bench {'intake' if 'post' in name else 'profile'}`; "
        f"the collapsed stacks are in `{name}.folded.gz`.\n\n"
        + _table("Own time (the function itself was running)", own, total) + "\n"
        + _table("Inclusive time (the function or what it called)", inclusive, total))
    return total, own


def profile() -> Iterator[dict]:
    import redis
    n_mentors = _env_int("PROFILE_MENTORS", 500)
    rate = _env_int("PROFILE_RATE", 20)
    seconds = _env_int("PROFILE_SECONDS", 30)
    hz = _env_int("PROFILE_SAMPLE_HZ", 200)
    out_dir = Path(os.environ.get("PROFILE_DIR") or Path(__file__).parent / "profile")
    out_dir.mkdir(parents=True, exist_ok=True)

    run_dir = Path(tempfile.mkdtemp(prefix="twoshot-profile-"))
    stack = Stack(run_dir, free_ports(list(DEFAULT_PORTS)), extra_env={"RATE_LIMITS_ENABLED": "false"})
    try:
        stack.start()
        r = redis.Redis.from_url(stack.redis, decode_responses=True)
        _register_mentors(stack, n_mentors)
        wait_until(lambda: r.hlen("matching:mentors") >= n_mentors, 300, "matching to know every mentor")
        wait_until(lambda: _drained(stack, r), 300, "the stack to settle")
        tail = MailboxTail(run_dir / "mailbox.jsonl")
        tail.read()
        processes = _stack_processes(stack)
        spies = {name: spy_on(stack, name, processes.get(name, []), out_dir, seconds + 5, hz) for name in PROFILED}
        time.sleep(1)   # py-spy attached
        before = {name: _cpu_s(group) for name, group in processes.items()}
        sent = drive(stack, rate, seconds, 0, uuid.uuid4().hex[:6])
        spent = {name: _cpu_s(group) - before[name] for name, group in processes.items()}
        arrived = collect_invites(tail, sent, 60)
        by_name = {name: collected(group, seconds + 60) for name, group in spies.items()}
        yield {"name": "profile_cpu_ms_per_request", "value": round(1000 * sum(spent.values()) / max(1, len(sent)), 1),
               "unit": "ms", "rate": rate, "seconds": seconds, "requests": len(sent), "invited": len(arrived),
               "load_avg_1m": round(os.getloadavg()[0], 2),
               "by_process": {n: round(1000 * s / max(1, len(sent)), 1) for n, s in spent.items()}}
        for name, folded in by_name.items():
            cpu_ms = round(1000 * spent.get(name, 0.0) / max(1, len(sent)), 1)
            total, own = write_profile(out_dir, name, f"{name}: {cpu_ms} ms of CPU per request at {rate} req/s, "
                                       f"sampled at {hz} Hz", folded)
            yield {"name": f"profile_{name}", "value": cpu_ms, "unit": "ms/request", "samples": total,
                   "top_own": [[f, round(100 * n / max(1, total), 1)] for f, n in own[:5]]}
    finally:
        stack.stop()
