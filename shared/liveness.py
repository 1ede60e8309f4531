"""Liveness of a worker, for a probe: ``python -m shared.liveness <service> [--max-age S]``.

Every worker touches its heartbeat file each time round its loop, including while it
waits out an outage of Redis or the broker (waiting is alive; restarting would not
help). The file goes stale only when the loop is stuck; then this exits 1 and the
orchestrator restarts the worker.
"""
from __future__ import annotations

import argparse
import sys
import time

from shared.config import Settings
from shared.runtime import heartbeat_path


def age_s(service: str, settings: Settings | None = None) -> float | None:
    """Seconds since ``service``'s worker last beat, or None if it never did."""
    try:
        return time.time() - heartbeat_path(settings or Settings.from_env(), service).stat().st_mtime
    except FileNotFoundError:
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("service", choices=["intake", "matching", "sessions", "notifications"])
    parser.add_argument("--max-age", type=float, default=60.0, help="seconds without a beat that mean stuck")
    args = parser.parse_args(argv)
    age = age_s(args.service)
    if age is None or age > args.max_age:
        print(f"{args.service} worker: no heartbeat for {'ever' if age is None else f'{age:.0f} s'}",
              file=sys.stderr)
        return 1
    print(f"{args.service} worker: alive ({age:.1f} s since its last beat)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
