"""Publishing the outbox without making the one who stored the change wait on Kafka.

The thread starts on first use, i.e. after gunicorn has forked, and so does its
producer. A unit of work made by ``Runtime.unit_of_work`` (an HTTP request's, a timer's,
a mail sender's) hands the events it staged to ``publish`` once its transaction commits;
the thread sends them at once, as they are (``Outbox.publish``: no lease or read first),
and sweeps the outbox every ``interval_s`` anyway. If Kafka is down the request still
succeeds: the events wait in the outbox, due when their lease runs out, and the service's
worker sweeps them too. After a failure (Redis or the broker away) the thread waits a
capped, jittered backoff before its next sweep, so an outage is not hammered by every
process.
"""
from __future__ import annotations

import logging
import threading
import time

from shared.kafka import LazyProducer
from shared.outbox import InHand, Outbox, Staged
from shared.resilience import Backoff
from shared.threads import ProcessThread

log = logging.getLogger(__name__)


class BackgroundRelay:
    def __init__(self, outbox: Outbox, producer: LazyProducer, interval_s: float = 1.0,
                 backoff_cap_s: float = 10.0, linger_s: float = 0.005):
        self._outbox = outbox
        self._producer = producer
        self._interval_s = interval_s
        # After a publish, what comes in the next ``linger_s`` waits to go with the rest: a
        # burst of POSTs sent each as it came cost a produce request and a settle apiece.
        self._linger_s = linger_s
        self._backoff = Backoff(interval_s, backoff_cap_s)
        self._wake = threading.Event()
        self._in_hand = InHand(10_000)
        self._thread = ProcessThread(self._run, "outbox-relay")
        self._stopped = threading.Event()

    def publish(self, staged: list[Staged]) -> None:
        """Send these just-committed events soon (``UnitOfWork``'s ``publish``)."""
        self._in_hand.add(staged)
        self._thread.ensure_started()
        self._wake.set()

    def stop(self, timeout_s: float = 5.0) -> None:
        self._stopped.set()
        self._wake.set()
        self._thread.join(timeout_s)

    def _run(self) -> None:
        wait_s = self._interval_s
        swept = 0.0     # the first wake sweeps: what a process that died left is sent
        while not self._stopped.is_set():
            self._wake.wait(wait_s)
            self._wake.clear()
            if self._stopped.is_set():
                return
            staged = self._in_hand.take()
            try:
                healthy = self._outbox.publish(self._producer, staged).failed == 0
                if staged:
                    self._stopped.wait(self._linger_s)
                if time.monotonic() - swept >= wait_s:
                    swept = time.monotonic()
                    healthy = self._outbox.relay(self._producer).failed == 0 and healthy
            except Exception as exc:
                log.warning("outbox relay failed; the worker will sweep it too",
                            extra={"error": f"{type(exc).__name__}: {exc}"})
                healthy = False
            if healthy:
                self._backoff.reset()
                wait_s = self._interval_s
            else:
                wait_s = self._backoff.next()
