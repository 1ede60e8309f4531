"""``python -m devstack run``: the whole of Twoshot on this machine, with demo data.

WORKERS=matching=3,sessions=3,intake=2 runs that many consumers per service (each
service's workers share its consumer group; topics have KAFKA_TOPIC_PARTITIONS = 4
partitions, so more than 4 workers of a service would sit idle).
Ports come from the environment (INTAKE_PORT, MATCHING_PORT, SESSIONS_PORT,
NOTIFICATIONS_PORT, MAILBOX_PORT, SMTP_PORT, BROKER_PORT, REDIS_PORT); set
KAFKA_BOOTSTRAP_SERVERS or REDIS_URL to use a broker or Redis of your own.
Ctrl-C stops everything it started.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from devstack.demo_data import generate_mentors
from devstack.stack import DEFAULT_PORTS, ROOT, SERVICES, Stack, parse_workers
from devstack.supervisor import Supervisor


def post_json(url: str, payload: dict, token: str = "") -> int:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(url, data=json.dumps(payload).encode(), method="POST", headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code


def seed(stack: Stack, mentors: int) -> int:
    token = demo_staff_token(stack)
    ok = sum(post_json(stack.url("intake") + "/api/mentors", m, token) in (200, 201)
             for m in generate_mentors(mentors))
    return ok


def demo_staff_token(stack: Stack) -> str:
    """A demo editor account, made once per run folder (its token is kept there)."""
    import redis

    from shared.staff import StaffAccounts
    path = stack.run_dir / "staff_token"
    client = redis.Redis.from_url(stack.redis, decode_responses=True)
    accounts = StaffAccounts(client)
    if path.exists() and accounts.authenticate(path.read_text().strip()):
        return path.read_text().strip()
    token = accounts.create("Demo editor", "editor")
    path.write_text(token)
    path.chmod(0o600)
    return token


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devstack", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["run"])
    parser.add_argument("--mentors", type=int, default=int(os.environ.get("DEMO_MENTORS", "300")))
    parser.add_argument("--run-dir", default=os.environ.get("TWOSHOT_RUN_DIR", str(ROOT / ".run")))
    args = parser.parse_args(argv)

    ports = {name: int(os.environ.get(f"{name.upper()}_PORT", default)) for name, default in DEFAULT_PORTS.items()}
    try:
        workers = parse_workers(os.environ.get("WORKERS", ""))
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    stack = Stack(Path(args.run_dir), ports, kafka_bootstrap=os.environ.get("KAFKA_BOOTSTRAP_SERVERS") or None,
                  redis_url=os.environ.get("REDIS_URL") or None, workers=workers)
    stopping = False

    def stop(*_):
        nonlocal stopping
        if not stopping:
            stopping = True
            print("\nStopping Twoshot…", flush=True)
            stack.stop()
            sys.exit(0)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    ended = stack.end_leftovers()
    if ended:
        print(f"Ended leftovers of an earlier run: {', '.join(ended)}")
    try:
        stack.start()
    except Exception as exc:
        print(f"Could not start Twoshot: {exc}\nLogs: {stack.run_dir / 'logs'}", file=sys.stderr)
        stack.stop()
        return 1
    seeded = seed(stack, args.mentors) if args.mentors else 0
    token = demo_staff_token(stack)
    print(f"""
Twoshot is running. Ctrl-C stops it.

  Trainee form      {stack.url('intake')}/
  Mentor sign-up    {stack.url('intake')}/mentors/join   (confirmation link arrives in the mailbox)
  Mailbox           {stack.url('mailbox')}/        (JSON: /api/messages)
  Staff console     {stack.url('matching')}/admin/   (an account: make staff ARGS='add "Your Name" editor --login you')
  Matching          {stack.url('matching')}/api/weights
  Sessions          {stack.url('sessions')}/healthz
  Notifications     {stack.url('notifications')}/healthz
  Kafka bootstrap   {stack.bootstrap_servers}
  Redis             {stack.redis}
  Logs              {stack.run_dir / 'logs'}/   (restarts: supervisor.log)
  Metrics           {stack.url('intake')}/metrics … {stack.url('notifications')}/metrics (HTTP sides);
                    workers: {', '.join(f"{s} :{stack.ports[s + '_metrics']}" for s in SERVICES)}

  Workers           {', '.join(f"{s} ×{n}" for s, n in workers.items())}   (WORKERS=matching=3,… to change)

  Demo mentors registered: {seeded}
  Staff token (editor), for the admin API:
    curl -H 'Authorization: Bearer {token}' {stack.url('matching')}/api/admin/fairness-report
""", flush=True)
    # A process that exits is started again, with backoff, and the console says so.
    supervisor = Supervisor(stack, say=lambda line: print(line, file=sys.stderr, flush=True))
    while True:
        supervisor.check()
        time.sleep(0.5)


if __name__ == "__main__":
    sys.exit(main())
