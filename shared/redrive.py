"""Noticing that the bus lost what it had acknowledged, and sending it again.

A worker runs a ``Redriver`` thread for its service's outbox: every ``REDRIVE_CHECK_S`` it
takes a look at the partitions the outbox's events were acknowledged on (``BrokerLook``:
the cluster id, the topic ids, the end offsets) and compares it with the look before
(``lost_partitions``). If records are gone (the local in-memory broker restarted; on
Kafka, an unclean leader election or a deleted topic), every event of the outbox's sent
ledger goes back into the outbox with its original id (``Outbox.redrive``). Consumers
drop what they had already handled (processed marks), so a re-drive never doubles
anything; what nobody had read is handled now.

Why these signs and not "the end offset is not past the highest acknowledged offset":
the local broker (Tansu) answers a ListOffsets for the latest offset with the start of
the last record batch plus one, so after a batch of several records that comparison
cries loss where there is none. End offsets are only compared with earlier end offsets.
"""
from __future__ import annotations

import logging
import threading
import time

from shared import metrics
from shared.config import Settings
from shared.kafka import BrokerLook, BrokerLooks
from shared.outbox import Outbox
from shared.resilience import OutageLog
from shared.threads import ProcessThread

log = logging.getLogger(__name__)


class Redriver:
    def __init__(self, outbox: Outbox, settings: Settings):
        self._outbox = outbox
        self._settings = settings
        self._looks = BrokerLooks(settings)
        self._stop = threading.Event()
        self._outage = OutageLog(log, f"{outbox.namespace} re-drive check")
        self._thread = ProcessThread(self._run, "redrive")

    def start(self) -> None:
        self._thread.ensure_started()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self._looks.close()

    def _run(self) -> None:
        while not self._stop.wait(self._settings.redrive_check_s):
            try:
                self.check()
                self._outage.ok()
            except Exception as exc:      # the broker or Redis away: look again next time
                self._outage.failed(exc)

    def check(self, now: float | None = None) -> int:
        """Re-drive if the broker lost acknowledged events, and every event whose answer is
        late; returns how many were queued again."""
        now = time.time() if now is None else now
        late, gave_up = self._outbox.redrive_awaited(self._settings.redrive_after_s,
                                                    self._settings.redrive_give_up_s, now)
        if late or gave_up:
            metrics.REDRIVES.labels(self._outbox.namespace).inc(late)
            log.warning("no answer came to events sent a while ago; sending them again", extra={
                "events": late, "given_up": gave_up})
        return late + self._redrive_lost(now)

    def _redrive_lost(self, now: float) -> int:
        self._outbox.forget_sent_before(now - self._outbox.redrive_window_s)
        partitions = self._outbox.sent_partitions()
        if not partitions:
            # A look kept from long before would make a new cluster look like a loss.
            self._outbox.forget_look()
            return 0
        look = self._looks.look(partitions)
        before = self._outbox.swap_look(look.dumps())
        lost = lost_partitions(partitions, look, BrokerLook.loads(before) if before else None)
        if not lost:
            return 0
        count = self._outbox.redrive(now)
        metrics.REDRIVES.labels(self._outbox.namespace).inc(count)
        log.warning("the broker lost events it had acknowledged; sending them again", extra={
            "partitions": [f"{t}:{p}" for t, p in lost], "events": count})
        return count


def lost_partitions(acknowledged: list[tuple[str, int]], now: BrokerLook,
                    before: BrokerLook | None) -> list[tuple[str, int]]:
    """Which of the partitions events were acknowledged on no longer hold them:

    - the partition is not there (its topic is gone, or came back with fewer partitions);
    - it is empty (end offset 0) though something was acknowledged on it;
    - since the look before: the cluster is another one (a new cluster id), the topic is
      another one (a new topic id), or the end offset went back.

    With no look before (the first check of a new ledger) only the first two apply."""
    lost = []
    for tp in acknowledged:
        topic, _ = tp
        end = now.ends.get(tp)
        if end is None or end == 0 or (before is not None and (
                before.cluster != now.cluster
                or (topic in before.topics and before.topics[topic] != now.topics.get(topic))
                or end < before.ends.get(tp, 0))):
            lost.append(tp)
    return sorted(lost)
