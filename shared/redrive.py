"""Noticing that the bus lost what it had acknowledged, and sending it again.

A worker runs a ``Redriver`` thread for its service's outbox: every ``REDRIVE_CHECK_S`` it
reads the end offsets of the partitions the outbox's events were acknowledged on. One
that is not past the highest acknowledged offset has lost records (the local in-memory
broker restarted; on Kafka, an unclean leader election or a deleted topic), and every
event of the outbox's sent ledger goes back into the outbox with its original id
(``Outbox.redrive``). Consumers drop what they had already handled (processed marks), so a
re-drive never doubles anything; what nobody had read is handled now.
"""
from __future__ import annotations

import logging
import threading
import time

from shared import metrics
from shared.config import Settings
from shared.kafka import EndOffsets
from shared.outbox import Outbox
from shared.resilience import OutageLog
from shared.threads import ProcessThread

log = logging.getLogger(__name__)


class Redriver:
    def __init__(self, outbox: Outbox, settings: Settings):
        self._outbox = outbox
        self._settings = settings
        self._offsets = EndOffsets(settings)
        self._stop = threading.Event()
        self._outage = OutageLog(log, f"{outbox.namespace} re-drive check")
        self._thread = ProcessThread(self._run, "redrive")

    def start(self) -> None:
        self._thread.ensure_started()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self._offsets.close()

    def _run(self) -> None:
        while not self._stop.wait(self._settings.redrive_check_s):
            try:
                self.check()
                self._outage.ok()
            except Exception as exc:      # the broker or Redis away: look again next time
                self._outage.failed(exc)

    def check(self, now: float | None = None) -> int:
        """Re-drive if the broker lost acknowledged events; returns how many were queued again."""
        now = time.time() if now is None else now
        self._outbox.forget_sent_before(now - self._outbox.redrive_window_s)
        partitions = self._outbox.sent_partitions()
        if not partitions:
            return 0
        lost = self._outbox.lost_partitions(self._offsets.read(partitions))
        if not lost:
            return 0
        count = self._outbox.redrive(now)
        metrics.REDRIVES.labels(self._outbox.namespace).inc(count)
        log.warning("the broker lost events it had acknowledged; sending them again", extra={
            "partitions": [f"{t}:{p}" for t, p in lost], "events": count})
        return count
