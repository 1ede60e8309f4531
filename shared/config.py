"""Configuration from the environment, in one typed object.

Each service reads its own settings: ``Settings`` (what every process needs: the broker,
Redis, the secret, logs) and its own on top (``IntakeSettings``, ``MatchingSettings``,
``SessionsSettings``, ``NotificationsSettings``). A variable of another service is not
read, so it can neither stop a service nor reach it. ``StackSettings`` holds them all, for
what runs every service from one object (the local stack, benchmarks, tests). Local and
test defaults are chosen so that ``make run`` works on a laptop; production sets
the variables (see deploy/).

Every variable is parsed and checked at start, by its field's type and name
(marshmallow fields, the ones environs is built on): a boolean, a whole number, a
number, a URL of the right scheme, an e-mail address, host:port pairs, a log level. A
wrong value stops the process with every bad variable named and what it expects, e.g.
``SMTP_STARTTLS: expected true or false (or 1/0, yes/no, on/off); got 'ture'``.
"""
from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parseaddr
from typing import Any, Self
from urllib.parse import urlsplit

from marshmallow import ValidationError, fields, validate

from shared.availability import lead_hours

# The development secret: good for `make run` and the tests, refused anywhere else.
DEV_SECRET_KEY = "dev-only-secret-change-me"


class InsecureConfiguration(RuntimeError):
    """A service was started outside development with a secret anyone could know."""


class InvalidSettings(ValueError):
    """One or more environment variables hold values their setting cannot take."""


_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}
_HOST_PORT = re.compile(r"^[A-Za-z0-9.\-\[\]:]+:\d{1,5}$")
# Settings whose text has a shape: what each expects (said when a value does not fit).
_URLS = {"redis_url": ("redis", "rediss", "unix"), "keyring_url": ("redis", "rediss", "unix"),
         "public_base_url": ("http", "https"), "sessions_public_url": ("http", "https"),
         "matching_public_url": ("http", "https"), "meeting_base_url": ("https", "http")}
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
KAFKA_CLIENTS = ("kafka-python", "librdkafka")


def _parse(name: str, kind: type, raw: str) -> Any:
    """``raw`` as the setting ``name`` of type ``kind``; ``ValueError`` saying what it expects."""
    text = raw.strip()
    if kind is bool:
        if text.lower() not in _TRUE | _FALSE:
            raise ValueError("expected true or false (or 1/0, yes/no, on/off)")
        return text.lower() in _TRUE
    if kind is int:
        return _number(fields.Integer(strict=False), text, "a whole number")
    if kind is float:
        return _number(fields.Float(allow_nan=False), text, "a number")
    _check_text(name, text)
    return text.upper() if name == "log_level" else raw


def _number(field: fields.Field, text: str, what: str) -> Any:
    try:
        return field.deserialize(text)
    except ValidationError:
        raise ValueError(f"expected {what}") from None


def _check_text(name: str, text: str) -> None:
    if name in _URLS and text:
        schemes, parts = _URLS[name], urlsplit(text)
        if parts.scheme not in schemes or not (parts.netloc or (parts.scheme == "unix" and parts.path)):
            raise ValueError(f"expected a URL starting {' or '.join(s + '://' for s in schemes)}")
    elif name == "mail_from":
        address = parseaddr(text)[1]
        try:
            validate.Email()(address)
        except ValidationError:
            raise ValueError("expected an e-mail address, e.g. Twoshot <sessions@example.org>") from None
    elif name == "kafka_bootstrap_servers" and not all(_HOST_PORT.match(h.strip()) for h in text.split(",")):
        raise ValueError("expected host:port, comma-separated")
    elif name == "kafka_client" and text not in KAFKA_CLIENTS:
        raise ValueError(f"expected one of {', '.join(KAFKA_CLIENTS)}")
    elif name == "log_level" and text.upper() not in _LOG_LEVELS:
        raise ValueError(f"expected one of {', '.join(_LOG_LEVELS)}")


@dataclass(frozen=True)
class Settings:
    """What every process reads: the broker, Redis, the secret, logs, metrics, retries and
    abuse limits. Each service reads these and its own (``IntakeSettings`` and the rest
    below) and nothing else, so a setting of another service can neither stop it nor reach it
    (SMTP_PASSWORD is read by notifications alone)."""
    service_name: str = "twoshot"
    # "development" (what `make run` and the tests set) or anything else, which is
    # production: there a missing or default SECRET_KEY stops every process at start.
    environment: str = "production"
    kafka_bootstrap_servers: str = "127.0.0.1:19092"
    # The Kafka client library: "librdkafka" (confluent-kafka, in C: 60.0 against 75.7 and
    # 78.4 ms of CPU per request at 20 req/s, decision 0015) or "kafka-python" (pure
    # Python, what Twoshot ran on before). Both run the same consumer loop and pass the
    # same drills (make test-kafka-python).
    kafka_client: str = "librdkafka"
    # Tansu completes a group join only when this runs out: a few seconds locally,
    # Kafka's normal 300 s in production (set KAFKA_MAX_POLL_INTERVAL_MS).
    kafka_max_poll_interval_ms: int = 3000
    # How long a dead member keeps its partitions before the group hands them over: with
    # the join wait above, a killed worker's partitions are read again within ~8 s locally
    # (heartbeats every session timeout / 5). Kafka deployments set their own (45 s in k8s).
    kafka_session_timeout_ms: int = 5000
    # Locally 4: the local broker (Tansu) creates any topic a client's metadata request names
    # with 4 partitions, whatever the client asks, so after it restarts empty a topic is
    # made either way; with 3 here, a consumer that knew 3 never read the fourth
    # (tests/integration/test_local_topics.py). Kafka: the topics job's count (6 in deploy/).
    kafka_topic_partitions: int = 4
    kafka_replication_factor: int = 1
    kafka_create_topics: bool = True
    # How long a hop may wait on the broker (see docs/decisions/0004): the fetch wait
    # bounds the idle latency of every hop; a poll hands back at most this many records,
    # and a batch stops early (the rest is fetched again) after half the poll interval,
    # so a slow batch never gets the worker evicted from its group.
    kafka_fetch_max_wait_ms: int = 100
    # A fetch is answered once this many bytes are ready or the wait above ends. 1 (each
    # record answered at once) spends a fetch, in the client and the broker, per record.
    kafka_fetch_min_bytes: int = 1
    kafka_poll_timeout_ms: int = 200
    # Finished offsets are committed at most this often while records keep coming (the
    # first after a quiet spell at once). Each commit is a request to the broker, and at
    # 20 requests a second one after every batch was 90 a second over four workers
    # (decision 0012, step 36). What a crash leaves uncommitted is read again and dropped
    # as a duplicate by the processed marks; a stop and a rebalance commit at once (a
    # stop's commit waits at most 1 s for a broker that is away, step 37). 0: after every
    # batch.
    kafka_commit_interval_ms: int = 250
    kafka_max_poll_records: int = 5
    # After a poll that brought some records but fewer than the most a poll takes, the
    # loop waits this long before it fetches again, so that more arrive per fetch (what
    # fetch_min_bytes does on Kafka, which the local broker ignores). Every fetch costs CPU
    # in the client and the broker whether it brings one record or five. 0: no wait.
    kafka_poll_linger_ms: int = 0
    # Static membership (KIP-345): a stable id per worker replica (e.g. a StatefulSet's pod
    # name). A worker that restarts within the session timeout takes its partitions back
    # without a rebalance of the whole group. Empty: dynamic membership.
    kafka_group_instance_id: str = ""
    # Bounds on how long a Kafka call may block: metadata/bootstrap when the broker is
    # away (so SIGTERM is served within a few seconds), and each request.
    kafka_max_block_ms: int = 3000
    kafka_request_timeout_ms: int = 10000
    # The largest event accepted, produced or dead-lettered whole (producer
    # max_request_size). Bigger records are dead-lettered as a stub.
    kafka_max_message_bytes: int = 1024 * 1024
    topic_check_interval_s: float = 30.0   # workers recreate missing topics (if KAFKA_CREATE_TOPICS)
    redis_url: str = "redis://127.0.0.1:16379/0"
    redis_timeout_s: float = 5.0
    # Where the per-person keys live (shared.privacy); empty: this service's REDIS_URL.
    # In production, one store every service reaches (erasure destroys a key there).
    keyring_url: str = ""
    secret_key: str = ""                # signs links and cookies; required outside development
    handler_max_attempts: int = 4
    handler_backoff_s: float = 0.2
    # Redis or the broker away: workers keep the record and retry it in place, waiting
    # a capped exponential backoff with jitter (never longer than a third of the poll
    # interval, so the worker keeps its place in the group).
    retry_backoff_s: float = 0.2
    retry_backoff_max_s: float = 5.0
    # How often a worker checks that the broker still has what it acknowledged (shared.redrive).
    redrive_check_s: float = 10.0
    # How long acknowledged events are kept to be sent again: longer than the broker can
    # take to come back plus the consumers' lag (Redis holds ~1–2 KB per event meanwhile).
    redrive_window_s: float = 300.0
    # A step another service must answer (a request's match) is asked again when no
    # answer came after this, and again each time, until REDRIVE_GIVE_UP_S (shared.outbox).
    redrive_after_s: float = 120.0
    redrive_give_up_s: float = 86400.0
    # Validate the events a worker derives from the one it handles as well (Event.caused),
    # and refuse one validation would change. On in the tests, which run every handler;
    # off by default, as the data was validated where it entered (docs/decisions/0012).
    check_derived_events: bool = False
    outbox_lease_s: float = 10.0        # a claimed entry another relay may take over after this
    outbox_retry_s: float = 1.0         # a failed publish is tried again after this (not the lease)
    metrics_port: int = 0               # a worker's own /metrics port (0: none); HTTP sides serve /metrics
    heartbeat_dir: str = ""             # workers touch <dir>/twoshot-<service>-worker.heartbeat; default: tmp
    log_level: str = "INFO"
    # Abuse limits (Flask-Limiter, counted in Redis so every worker and replica shares
    # them): each public POST per client address and per email, and failed staff sign-ins
    # per address. "N/minute;M/day" (limits' notation); RATE_LIMITS_ENABLED=false turns them off.
    rate_limit_per_address: str = "20/minute;300/day"
    rate_limit_per_email: str = "5/hour;20/day"
    rate_limit_staff_failures: str = "10/minute;50/day"
    rate_limits_enabled: bool = True
    # How many proxies in front of the services set X-Forwarded-For (0: none; the
    # client address is then the TCP peer). Never more than really sit there.
    trusted_proxy_hops: int = 0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides) -> Self:
        """Build settings from ``environ`` (default ``os.environ``): each field is
        read from its upper-cased name, e.g. ``KAFKA_BOOTSTRAP_SERVERS``, and checked.
        Raises ``InvalidSettings`` naming every variable that is wrong."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        problems: list[str] = []
        for f in dataclasses.fields(cls):
            raw = environ.get(f.name.upper())
            if raw is None or raw == "":
                continue
            try:
                values[f.name] = _parse(f.name, type(f.default), raw)
            except ValueError as exc:
                problems.append(f"{f.name.upper()}: {exc}; got {raw!r}")
        if problems:
            raise InvalidSettings("Twoshot cannot start with these settings:\n  " + "\n  ".join(problems))
        values.update(overrides)
        return cls(**values)

    def with_overrides(self, **overrides) -> Self:
        return dataclasses.replace(self, **overrides)

    @property
    def development(self) -> bool:
        return self.environment.strip().lower() == "development"

    @property
    def signing_key(self) -> str:
        """The key for links and cookies: SECRET_KEY, or in development the known dev key."""
        if self.secret_key:
            return self.secret_key
        if self.development:
            return DEV_SECRET_KEY
        raise InsecureConfiguration("SECRET_KEY is not set")

    def require_safe_secrets(self) -> None:
        """Refuse to run outside development with no SECRET_KEY, the development one, or
        one too short to resist guessing (fewer than 32 characters)."""
        if self.development:
            return
        if not self.secret_key or self.secret_key == DEV_SECRET_KEY or len(self.secret_key) < 32:
            raise InsecureConfiguration(
                "SECRET_KEY is missing, the development default or shorter than 32 characters. Set it to a "
                "random value (python -c 'import secrets; print(secrets.token_hex(32))'), the same for every "
                "service, or set ENVIRONMENT=development on a laptop.")


@dataclass(frozen=True)
class LinkSettings(Settings):
    """Signed links in people's emails (intake's mentor links, sessions' links)."""
    link_ttl_days: int = 45             # cancel / reschedule / critique / rating links


@dataclass(frozen=True)
class MentorLinkSettings(LinkSettings):
    """The address of intake's public pages, which links in emails lead to."""
    public_base_url: str = "http://127.0.0.1:8000"       # intake: trainees' request pages, linked in emails


@dataclass(frozen=True)
class BookingSettings(Settings):
    """How sessions are booked: matching estimates free time with these, sessions books with them."""
    session_minutes: int = 60
    min_lead_hours: int = 24
    horizon_days: int = 14
    # An invite must be answered this long before the session at the latest, and a slot is
    # only offered if that still leaves MIN_ANSWER_HOURS to answer.
    answer_margin_hours: int = 12
    min_answer_hours: int = 12

    @property
    def slot_lead_hours(self) -> float:
        """How far ahead the first slot offered may be (``shared.availability.lead_hours``)."""
        return lead_hours(self.min_lead_hours, self.answer_margin_hours, self.min_answer_hours)


@dataclass(frozen=True)
class IntakeSettings(MentorLinkSettings):
    """Intake: the request and mentor forms, and the mentor links it signs."""
    # An erasure some service has not reported on is asked of those services again after
    # this, and again each time (a new event; services/intake/erasures.py). Past
    # REDRIVE_GIVE_UP_S it is still asked, and each ask is logged as an error.
    erasure_ask_again_s: float = 300.0


@dataclass(frozen=True)
class MatchingSettings(BookingSettings):
    """Matching: the ranking, the staff console and its address."""
    matching_public_url: str = "http://127.0.0.1:8001"   # matching: the staff console (https: Secure cookie)
    # Waiting requests are ranked again this often, a batch at a time, round the list
    # (services/matching/waitlist.py): places come free with no event to say so (a new month).
    waitlist_retry_s: float = 600.0


@dataclass(frozen=True)
class SessionsSettings(BookingSettings, LinkSettings):
    """Sessions: invitations, the pages behind their links, and mentorships."""
    sessions_public_url: str = "http://127.0.0.1:8002"   # sessions: mentor links
    meeting_base_url: str = "https://meet.jit.si"
    invite_ttl_hours: int = 72
    invite_reminder_hours: int = 24     # before an invite expires, remind the mentor
    # A mentorship (formed when a first session is confirmed) runs this many months; both
    # people are nudged after MENTORSHIP_NUDGE_WEEKS with no session; follow-ups can be
    # booked up to FOLLOW_UP_WEEKS ahead.
    mentorship_term_months: int = 6
    # Cohorts with a term of their own: "ACCRA-2026=9,LAGOS-2027=4" (codes in any case).
    mentorship_term_months_by_cohort: str = ""
    mentorship_nudge_weeks: int = 6
    follow_up_weeks: int = 8

    def __post_init__(self) -> None:
        self.cohort_terms()     # a mistyped cohort term stops the process at start, not at a pair's start

    def cohort_terms(self) -> dict[str, int]:
        """MENTORSHIP_TERM_MONTHS_BY_COHORT as {CODE: months}, codes upper-cased."""
        out: dict[str, int] = {}
        for item in filter(None, (x.strip() for x in self.mentorship_term_months_by_cohort.split(","))):
            code, _, months = item.partition("=")
            if not code.strip() or not months.strip().isdigit() or not 1 <= int(months) <= 36:
                raise ValueError(f"MENTORSHIP_TERM_MONTHS_BY_COHORT: expected CODE=months (1–36), "
                                 f"comma-separated; got {item!r}")
            out[code.strip().upper()] = int(months)
        return out

    def term_months(self, cohort: str = "") -> int:
        """A mentorship's term: its cohort's, or MENTORSHIP_TERM_MONTHS."""
        return self.cohort_terms().get(cohort.strip().upper(), self.mentorship_term_months)


@dataclass(frozen=True)
class NotificationsSettings(MentorLinkSettings):
    """Notifications: the SMTP server, the sender and its retries."""
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    smtp_timeout_s: float = 10.0
    mail_from: str = "Twoshot <sessions@twoshot.local>"
    mail_max_attempts: int = 8          # SMTP tries before notification.failed (backoff doubles)
    mail_backoff_s: float = 2.0
    # How long an email nobody waits on (a request's acknowledgement) lets time-critical
    # mail queued after it go first.
    mail_may_wait_s: float = 5.0
    mail_lease_s: float = 60.0          # a claimed email another sender may take over after this
    # The sender: this many threads, each on its own SMTP connection kept open for at most
    # MAIL_PER_CONNECTION messages and MAIL_IDLE_S idle (servers drop idle ones after minutes).
    mail_senders: int = 4
    mail_per_connection: int = 100
    mail_idle_s: float = 30.0


@dataclass(frozen=True)
class StackSettings(IntakeSettings, MatchingSettings, SessionsSettings, NotificationsSettings):
    """Every setting of every service, for what runs them all from one object: the local
    stack (devstack), the benchmarks and the tests. No service reads it."""
