"""Publishing the outbox from an HTTP process without making the request wait on Kafka.

The thread starts on first use, i.e. after gunicorn has forked, and so does its
producer. A request handler calls ``nudge()`` after its transaction commits; the
thread relays at once and sweeps every ``interval_s`` anyway. If Kafka is down the
request still succeeds: the event waits in the outbox, and the service's worker
sweeps it too. After a failure (Redis or the broker away) the thread waits a capped,
jittered backoff before its next sweep, so an outage is not hammered by every process.
"""
from __future__ import annotations

import logging
import threading

from shared.kafka import LazyProducer
from shared.outbox import Outbox
from shared.resilience import Backoff
from shared.threads import ProcessThread

log = logging.getLogger(__name__)


class BackgroundRelay:
    def __init__(self, outbox: Outbox, producer: LazyProducer, interval_s: float = 1.0,
                 backoff_cap_s: float = 10.0):
        self._outbox = outbox
        self._producer = producer
        self._interval_s = interval_s
        self._backoff = Backoff(interval_s, backoff_cap_s)
        self._wake = threading.Event()
        self._thread = ProcessThread(self._run, "outbox-relay")
        self._stopped = threading.Event()

    def nudge(self) -> None:
        self._thread.ensure_started()
        self._wake.set()

    def stop(self, timeout_s: float = 5.0) -> None:
        self._stopped.set()
        self._wake.set()
        self._thread.join(timeout_s)

    def _run(self) -> None:
        wait_s = self._interval_s
        while not self._stopped.is_set():
            self._wake.wait(wait_s)
            self._wake.clear()
            if self._stopped.is_set():
                return
            try:
                healthy = self._outbox.relay(self._producer).failed == 0
            except Exception as exc:
                log.warning("outbox relay failed; the worker will sweep it too",
                            extra={"error": f"{type(exc).__name__}: {exc}"})
                healthy = False
            if healthy:
                self._backoff.reset()
                wait_s = self._interval_s
            else:
                wait_s = self._backoff.next()
