"""Prometheus metrics, the same families in every process.

HTTP sides run under gunicorn with several worker processes: there the client library
runs in multiprocess mode (``PROMETHEUS_MULTIPROC_DIR``, set by deploy/gunicorn.conf.py)
and ``/metrics`` adds up every process. Event workers are one process each and serve
their own small port (``METRICS_PORT``). Nothing here connects or starts at import.

Families (all prefixed ``twoshot_``) are listed in the README, with what each tells an
operator at 3 a.m.
"""
from __future__ import annotations

import logging
import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
    start_http_server,
)

log = logging.getLogger(__name__)

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
_HOP_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300)

# --- HTTP sides ------------------------------------------------------------------------
HTTP_REQUESTS = Counter("twoshot_http_requests_total", "HTTP requests answered, by route template and status",
                        ["service", "route", "method", "status"])
HTTP_LATENCY = Histogram("twoshot_http_request_duration_seconds", "Time to answer an HTTP request",
                         ["service", "route", "method"], buckets=_LATENCY_BUCKETS)

# --- the consumer loop (shared.consumer) -------------------------------------------------
EVENTS_CONSUMED = Counter("twoshot_events_consumed_total", "Records read from a topic (valid or not)",
                          ["group", "topic"])
EVENTS_HANDLED = Counter("twoshot_events_handled_total", "Events whose effects were stored",
                         ["group", "topic", "type"])
EVENTS_DUPLICATES = Counter("twoshot_events_duplicates_total", "Events dropped as already handled",
                            ["group", "topic", "type"])
REDRIVES = Counter("twoshot_redriven_events_total",
                   "Events sent again because the broker lost them after acknowledging them", ["namespace"])
TRANSACTION_CONFLICTS = Counter(
    "twoshot_transaction_conflicts_total",
    "Handler units run again because another worker changed a key they read (WATCH)", ["group", "type"])
EVENTS_RETRIES = Counter("twoshot_events_retries_total", "Handler failures retried", ["group", "topic", "type"])
EVENTS_DEAD_LETTERED = Counter("twoshot_events_dead_lettered_total", "Records copied to the dead-letter topic",
                               ["group", "topic"])
OUTAGE_WAITS = Counter("twoshot_consumer_outage_waits_total",
                       "Times the loop waited out Redis or the broker being away", ["group"])
HANDLER_SECONDS = Histogram("twoshot_handler_duration_seconds", "Time to handle one event and store its effects",
                            ["group", "type"], buckets=_LATENCY_BUCKETS)
HOP_DELAY = Histogram("twoshot_event_hop_delay_seconds",
                      "From an event's time (when it was made) to its handling here: the delay of one hop",
                      ["group", "type"], buckets=_HOP_BUCKETS)
CONSUMER_LAG = Gauge("twoshot_consumer_lag_records", "Records on a partition not yet read by this worker",
                     ["group", "topic", "partition"])
LOOP_SECONDS = Gauge("twoshot_worker_last_loop_timestamp_seconds",
                     "When the worker's loop last turned (Unix time)", ["group"])

# --- outbox, mail, timers -------------------------------------------------------------
OUTBOX_DEPTH = Gauge("twoshot_outbox_depth", "Events stored and not yet published", ["namespace"])
OUTBOX_OLDEST = Gauge("twoshot_outbox_oldest_age_seconds",
                      "How long the oldest unpublished event has been waiting", ["namespace"])
MAIL_QUEUE = Gauge("twoshot_mail_queue_depth", "Emails queued and not yet sent or given up")
MAIL_SENT = Counter("twoshot_mail_sent_total", "Emails the SMTP server accepted", ["kind"])
SMTP_FAILURES = Counter("twoshot_smtp_failures_total", "SMTP attempts that failed (refused, unreachable, timeout)")
MAIL_GIVEN_UP = Counter("twoshot_mail_given_up_total", "Emails given up after the last attempt")
TIMERS_DUE = Gauge("twoshot_timers_due", "Session timers due and not yet fired")
TIMER_LATENESS = Histogram("twoshot_timer_lateness_seconds", "How late a session timer fired",
                           buckets=_HOP_BUCKETS)


def exposition() -> tuple[bytes, str]:
    """The text a scrape gets: every process's figures under gunicorn, else this one's."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def serve_worker_metrics(port: int) -> bool:
    """A worker's own ``/metrics`` on ``port`` (0: none), in a daemon thread. A port that
    is taken is logged, not fatal: a worker without metrics still does its work, a
    worker that will not start does none."""
    if not port:
        return False
    try:
        # Loopback unless told otherwise: a laptop's metrics are nobody else's business; a
        # cluster sets METRICS_ADDR=0.0.0.0 so Prometheus can scrape the pod.
        start_http_server(port, addr=os.environ.get("METRICS_ADDR", "127.0.0.1"))
    except OSError as exc:
        log.error("cannot serve metrics; working without them", extra={"port": port, "error": str(exc)})
        return False
    return True
