"""The event-consumer loop every worker runs.

For each record: refuse what is too big → skip what this worker does not handle (a
record a Twoshot producer checked is skipped before it is opened) → validate (envelope
and data schema, unless a Twoshot producer checked it against the same contracts:
``shared.events``) → run the handler in a unit of work, which stops as soon as its
first read for update shows the event was handled already (event ids kept in Redis,
read in that same round trip), retrying its failures with backoff → store the effects,
the processed mark and the caused events in one Redis transaction, then publish the
caused events from hand. A record is *finished* once it is handled, skipped or dead-lettered, and
only finished records are committed, by exact offset: the loop never commits past a
record it has not finished.

Two kinds of failure, kept apart (``shared.resilience``):
- the event's fault (invalid, too big, a handler that keeps failing or refuses it):
  it goes to ``<topic>.dlq`` with the reason and where it came from, and the loop
  moves on — skipping is an explicit decision, never an accident;
- an outage (Redis or the broker away): the record is kept, the partition is rewound
  to it, and the loop waits a capped, jittered backoff and tries it again, for as long
  as the outage lasts. The worker never exits for it.

SIGTERM / SIGINT stop the loop between records (or during a wait): the record in hand
is finished or left for the next worker, finished offsets are committed, and the
consumer closes, within a few seconds.
"""
from __future__ import annotations

import hashlib
import logging
import random
import signal
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import redis
from kafka import ConsumerRebalanceListener, KafkaConsumer
from kafka.errors import CommitFailedError
from kafka.structs import OffsetAndMetadata

from shared import metrics
from shared.config import Settings
from shared.contracts import EVENT_SCHEMAS, dlq_for, topic_for
from shared.deadletters import DeadLetters
from shared.events import Event, InvalidEvent, event_of, parse, utcnow, was_checked
from shared.kafka import LazyProducer
from shared.logs import correlation
from shared.outbox import InHand, Outbox, Staged
from shared.privacy import Sealer
from shared.resilience import Backoff, is_infrastructure_error
from shared.store import AlreadyDone, UnitOfWork

if TYPE_CHECKING:
    from shared.rdkafka import RdConsumer

log = logging.getLogger(__name__)

Handler = Callable[[Event, UnitOfWork], None]


@dataclass(frozen=True)
class Selective:
    """A handler for only some events of its type: ``wants`` reads the parsed envelope of
    a record its producer checked, and a record it does not want is skipped as an
    unhandled type is, before it is opened or touches Redis. (Sessions reads every
    ``notification.sent`` but waits only for the emails that ask someone to answer.)"""
    handler: Handler
    wants: Callable[[dict], bool]

    def __call__(self, event: Event, uow: UnitOfWork) -> None:
        self.handler(event, uow)


@dataclass(frozen=True)
class BatchPreparer:
    """Work a service can do once for a poll's batch instead of once per event (matching
    vectorises a batch's requests and scores them against the pool in one product).
    ``prepare`` gets the batch's events of ``types``, opened once, before the first of them
    is handled; the same opened events are then handled one by one, as always. It may only
    warm caches: what it raises is logged and ignored, and every event's unit of work
    decides as if it had not run (docs/decisions/0012-cpu.md, step 19)."""
    types: frozenset[str]
    prepare: Callable[[list[Event]], None]


# An erasure destroys the person's key before its event reaches anyone: an event opened
# at the start of the batch and handled after the erasure's event would carry words that
# are no longer readable. A record on the erasures' topic drops every event opened in advance.
_ERASURES = topic_for("person.erasure_requested")
IN_HAND_MAX = 10_000


def _where(record) -> tuple:
    return record.topic, record.partition, record.offset

PROCESSED_TTL_S = 30 * 24 * 3600
# A unit that keeps losing races this often is not contention but a loop: raised as an
# error (the record is kept and retried after a backoff, never skipped).
MAX_CONFLICTS = 200
RELAY_BATCH = 100              # outbox entries relayed at most per loop
DLQ_HEAD_BYTES = 1024          # how much of an oversize payload its DLQ stub keeps
_HEADROOM_BYTES = 16 * 1024    # room for the DLQ headers within the producer's request size


class PermanentError(Exception):
    """A handler failure that retrying cannot fix: the event goes straight to the DLQ."""


class _Stopping(Exception):
    """SIGTERM arrived while a record was being retried: leave it for the next worker."""


@dataclass
class ConsumerStats:
    handled: int = 0
    duplicates: int = 0
    dead_lettered: int = 0
    retries: int = 0
    conflicts: int = 0         # units run again because another worker changed what they read
    outage_waits: int = 0      # times the loop backed off because Redis or the broker was away


@dataclass
class EventConsumer:
    settings: Settings
    group_id: str
    handlers: dict[str, Handler]
    redis: redis.Redis
    outbox: Outbox
    consumer_factory: Callable[..., object]   # called with a rebalance listener
    producer: LazyProducer
    sealer: Sealer | None = None              # opens personal fields (shared.privacy)
    tick: Callable[[], object] | None = None  # periodic work between polls (e.g. expiries)
    heartbeat_path: Path | None = None        # touched every loop: the worker's liveness
    preparer: BatchPreparer | None = None     # once per poll's batch, before its events
    stop_event: threading.Event = field(default_factory=threading.Event)
    stop_asked_at: float | None = None              # monotonic time a signal asked the loop to stop
    stats: ConsumerStats = field(default_factory=ConsumerStats)
    # Both written by the loop and by the rebalance listener, which kafka-python may call
    # on its IO thread: touched only under ``_lock``.
    _finished: dict = field(default_factory=dict)   # TopicPartition → next offset to commit
    _reseek: set = field(default_factory=set)       # assigned partitions still to start from their commit
    _rewind: set = field(default_factory=set)       # partitions of a new cluster's log, to read from its start
    _rewind_due: bool = False                       # a new cluster seen while no partition was assigned
    _new_log_at: float | None = None                # monotonic time a new cluster was last seen
    _committed_since: set = field(default_factory=set)  # partitions this member committed on it since
    _past_end: dict = field(default_factory=dict)   # partition → a commit the log's end may fall short of
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _finished_cluster: str | None = None            # the cluster whose log ``_finished`` offsets are in
    _cluster: str | None = None                     # the cluster the last poll talked to
    _was_assigned: bool = False                     # this member has held partitions
    _unassigned_since: float | None = None          # monotonic time it lost the last of them
    _last_beat: float = 0.0
    _last_gauges: float = 0.0
    _last_relay: float = 0.0                        # monotonic time of the last outbox relay
    _next_commit: float = 0.0                       # monotonic time the loop may commit again
    _relay_wanted: bool = False                     # the last sweep was full: more may be due
    _staged: list = field(default_factory=list)     # events this loop's handlers staged and committed
    _in_hand: InHand = field(default_factory=lambda: InHand(IN_HAND_MAX))   # other threads' committed events
    _opened: dict = field(default_factory=dict)     # (topic, partition, offset) → Event, for the batch in hand
    _bodies: dict = field(default_factory=dict)     # (topic, partition, offset) → its parsed envelope, likewise

    def install_signal_handlers(self) -> None:
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: self._stop_asked())

    def _stop_asked(self) -> None:
        if self.stop_asked_at is None:
            self.stop_asked_at = time.monotonic()
        self.stop_event.set()

    def seconds_since_stop_asked(self) -> float | None:
        """How long ago a signal asked the loop to stop (the operator's stop log lines)."""
        return None if self.stop_asked_at is None else round(time.monotonic() - self.stop_asked_at, 2)

    # --- the loop -------------------------------------------------------------------
    def run(self) -> None:
        consumer = self._connect()
        if consumer is None:
            return
        log.info("consumer started", extra={"group": self.group_id})
        outage = self._backoff()
        try:
            while not self.stop_event.is_set():
                self._beat()
                try:
                    batch = consumer.poll(timeout_ms=self.settings.kafka_poll_timeout_ms)
                    self._notice_new_cluster(consumer)
                    if self._reseek or self._rewind:
                        batch = self._start_from_commits(consumer, batch)
                    if self._past_end:
                        self._start_past_the_end(consumer)
                    if batch:
                        self._handle_batch(consumer, batch)
                    self._commit(consumer)
                    self._between_polls()
                    self._linger(batch)
                    self._gauges(consumer)
                    outage.reset()
                    if self._orphaned(consumer):
                        consumer = self._rejoin(consumer)
                        if consumer is None:
                            return
                except _Stopping:
                    break
                except Exception as exc:
                    self._wait_out(exc, outage.next())
        finally:
            # A stop must not wait long on a broker that is away: what is not committed
            # now is redelivered and dropped as a duplicate.
            if consumer is not None:
                try:
                    self._commit(consumer, timeout_ms=1000, now=True)
                except Exception as exc:
                    log.warning("final commit failed; finished records will be redelivered",
                                extra={"error": f"{type(exc).__name__}: {exc}"})
                consumer.close(autocommit=False, timeout_ms=1000)
            log.info("consumer stopped", extra={"group": self.group_id,
                                                "since_stop_asked_s": self.seconds_since_stop_asked()})

    def _linger(self, batch: dict) -> None:
        """Wait ``KAFKA_POLL_LINGER_MS`` after a poll that was not full (what it caused is
        relayed already), so the next fetch brings more records (docs/decisions/0012)."""
        linger_s = self.settings.kafka_poll_linger_ms / 1000
        if linger_s > 0 and 0 < sum(map(len, batch.values())) < self.settings.kafka_max_poll_records:
            self.stop_event.wait(linger_s)

    def orphan_limit_s(self) -> float:
        """How long a member that held partitions may hold none before it is rebuilt: past
        two rebalance timeouts and a session timeout, no rebalance is still under way."""
        return (2 * self.settings.kafka_max_poll_interval_ms + self.settings.kafka_session_timeout_ms) / 1000 + 10

    def _orphaned(self, consumer, now: float | None = None) -> bool:
        """True when this member is cut off from its group for longer than
        ``orphan_limit_s``: it held partitions and has none, or it holds some but no
        heartbeat has been answered (kafka-python's coordinator, read defensively). Seen
        after a broker restart: kafka-python sometimes never rejoins, and the worker
        polls nothing for ever while its liveness beat stays fresh."""
        now = time.monotonic() if now is None else now
        if consumer.assignment():
            self._was_assigned, self._unassigned_since = True, None
            heartbeat = getattr(getattr(consumer, "_coordinator", None), "heartbeat", None)
            if heartbeat is None:
                return False
            answered = max(getattr(heartbeat, "last_receive", now), getattr(heartbeat, "last_reset", now))
            return now - answered > self.orphan_limit_s()
        if not self._was_assigned:
            return False     # a spare member that never had partitions is not stuck
        if self._unassigned_since is None:
            self._unassigned_since = now
        return now - self._unassigned_since > self.orphan_limit_s()

    def _rejoin(self, consumer):
        log.warning("no partitions since the group was lost; joining again with a new consumer",
                    extra={"group": self.group_id, "after_s": round(self.orphan_limit_s())})
        metrics.OUTAGE_WAITS.labels(self.group_id).inc()
        try:
            consumer.close(autocommit=False, timeout_ms=1000)
        except Exception:
            log.warning("closing the old consumer failed; it is dropped")
        # What was finished but not committed is redelivered to whoever owns it now and
        # dropped there as a duplicate (processed marks).
        with self._lock:   # a rewind still due applies to the new consumer's first assignment
            self._reseek, self._rewind, self._finished, self._past_end = set(), set(), {}, {}
        self._was_assigned, self._unassigned_since = False, None
        return self._connect()

    def _connect(self):
        """The Kafka consumer, once the broker answers (a broker that is away is waited
        for; a configuration error is raised)."""
        backoff = self._backoff()
        while not self.stop_event.is_set():
            try:
                listener = _RebalanceListener(self)
                listener.consumer = self.consumer_factory(listener)
                return listener.consumer
            except Exception as exc:
                if not is_infrastructure_error(exc):
                    raise
                self._wait_out(exc, backoff.next())
        return None

    def _backoff(self) -> Backoff:
        # Never wait so long between polls that the group evicts this member.
        cap = min(self.settings.retry_backoff_max_s, self.settings.kafka_max_poll_interval_ms / 3000)
        return Backoff(self.settings.retry_backoff_s, cap)

    def _wait_out(self, exc: Exception, delay: float) -> None:
        self.stats.outage_waits += 1
        metrics.OUTAGE_WAITS.labels(self.group_id).inc()
        if is_infrastructure_error(exc):
            log.warning("a dependency is away; records are kept and retried",
                        extra={"error": f"{type(exc).__name__}: {exc}", "retry_in_s": round(delay, 2)})
        else:
            log.exception("unexpected error in the consumer loop; retrying",
                          extra={"retry_in_s": round(delay, 2)})
        deadline = time.monotonic() + delay
        while not self.stop_event.is_set() and time.monotonic() < deadline:
            self._beat()
            self.stop_event.wait(min(0.25, max(0.0, deadline - time.monotonic())))

    def start_from_commit(self, consumer, tp) -> None:
        """Seek ``tp`` to the group's commit; to the start of its log when there is none,
        or when the commit lies past the log's end (decided by the next fetch, in
        ``_start_past_the_end``). No commit can be past the end of the log it was made on,
        so that one was made on a log the broker has since lost (an in-memory broker
        restarted twice in quick succession: a commit from the old log can reach the new
        cluster before the consumer's metadata names it). Started from there, the
        partition would not be read again until its new log grew that long."""
        if self._commit_suspect(tp):
            log.info("assigned soon after a new cluster, before a commit was made from its start: "
                     "the partition is read from the start of its new log",
                     extra={"partition": f"{tp.topic}:{tp.partition}"})
            consumer.seek_to_beginning(tp)
            return
        committed = consumer.committed(tp, timeout_ms=self.settings.kafka_max_block_ms)
        if committed is None:
            consumer.seek_to_beginning(tp)
            return
        consumer.seek(tp, committed)
        end = consumer.end_offsets([tp]).get(tp)
        if end is not None and committed > end:
            # Only a suspicion: the local broker (Tansu) answers a log's end with the first
            # offset of its last batch, short of the end. The high watermark that the next
            # fetch reports decides (``_start_past_the_end``).
            with self._lock:
                self._past_end[tp] = committed

    def _commit_suspect(self, tp) -> bool:
        """True while the group's commit for ``tp`` may have been made from a position on
        the old log: a new cluster was seen less than ``orphan_limit_s`` ago and this member
        has not committed ``tp`` since. Seen in the kafka-python broker drill: the partition
        rewound when the new cluster was seen was revoked and assigned again (the group
        re-forming on the new broker) before anything was read from its start, and started
        from a commit made from the old position, skipping the records before it."""
        with self._lock:
            if self._new_log_at is None:
                return False
            if time.monotonic() - self._new_log_at > self.orphan_limit_s():
                self._new_log_at, self._committed_since = None, set()
                return False
            return tp not in self._committed_since

    def committed_on_new_log(self, partitions) -> None:
        """``partitions`` were committed from positions read since the new cluster was seen."""
        with self._lock:
            if self._new_log_at is not None:
                self._committed_since |= set(partitions)

    def _start_past_the_end(self, consumer) -> None:
        """Partitions started from a commit that a fetch shows to lie past the end of the
        log are read from its start instead."""
        with self._lock:
            suspects = dict(self._past_end)
        for tp, committed in suspects.items():
            highwater = consumer.highwater(tp) if tp in consumer.assignment() else -1
            if highwater is None:
                continue           # not fetched yet
            with self._lock:
                self._past_end.pop(tp, None)
            if 0 <= highwater < committed:
                log.warning("the group's commit lies past the end of the log (a log the broker lost): "
                            "the partition is read from its start", extra={
                                "partition": f"{tp.topic}:{tp.partition}", "committed": committed,
                                "end": highwater})
                consumer.seek_to_beginning(tp)

    def _start_from_commits(self, consumer, batch: dict) -> dict:
        """Partitions the rebalance listener could not seek (kafka-python sometimes calls
        it on its IO thread, where it cannot wait for the committed offset) are sought
        here, on the loop's own thread, and those of a new cluster's log go back to its
        start; what the poll returned for them is dropped and fetched again."""
        with self._lock:
            pending, self._reseek = set(self._reseek), set()
            rewind, self._rewind = set(self._rewind), set()
        assigned = consumer.assignment()
        moved = (pending | rewind) & assigned
        if not moved:
            return {tp: records for tp, records in batch.items() if tp not in pending | rewind}
        for tp in rewind & assigned:
            consumer.seek_to_beginning(tp)
        for tp in (pending - rewind) & assigned:
            try:
                self.start_from_commit(consumer, tp)
            except Exception:
                # The broker is still coming back: try again next loop, and put back
                # what this poll returned so that nothing is skipped meanwhile.
                with self._lock:
                    self._reseek |= (pending - rewind) & assigned
                for other, records in batch.items():
                    if other not in moved and records:
                        consumer.seek(other, records[0].offset)
                raise
        log.info("partitions started again", extra={
            "from_commit": sorted(f"{tp.topic}:{tp.partition}" for tp in (pending - rewind) & assigned),
            "from_start": sorted(f"{tp.topic}:{tp.partition}" for tp in rewind & assigned)})
        return {tp: records for tp, records in batch.items() if tp not in moved}

    def _handle_batch(self, consumer, batch: dict) -> None:
        """Process records in order until done, stopped, out of time or out of luck; any
        partition with records left is rewound to its first unfinished one."""
        deadline = time.monotonic() + self.settings.kafka_max_poll_interval_ms / 2000
        left = {tp: list(records) for tp, records in batch.items()}
        try:
            self._open_ahead(batch)
            if self.preparer is not None:
                self._prepare()
            for tp, records in left.items():
                while records:
                    if self.stop_event.is_set() or time.monotonic() > deadline:
                        return
                    self.process(records[0])
                    with self._lock:
                        if not self._finished:
                            self._finished_cluster = cluster_id(consumer)
                        self._finished[tp] = records.pop(0).offset + 1
                    self._beat()
        finally:
            self._opened.clear()
            self._bodies.clear()
            for tp, records in left.items():
                if records:
                    consumer.seek(tp, records[0].offset)

    def _open_ahead(self, batch: dict) -> None:
        """Parse the batch's records once (``process`` reads the parsed envelope), and open
        those this worker will handle, the keys of all their sealed fields read in one
        round trip, keeping each event for ``process``, which then does not open it again.
        Anything that does not parse or open cleanly here (or a key store that is away) is
        left to ``process``, which dead-letters or retries it, as always. An erasure in the
        batch drops what was opened (``process``)."""
        handled = []
        for records in batch.values():
            for record in records:
                body = self._parse_quietly(record)
                if body is not None:
                    self._bodies[_where(record)] = body
                    if body.get("type") in self.handlers and self._wanted(body):
                        handled.append((record, body))
        if not handled or (len(handled) == 1 and self.preparer is None):
            return      # one event: ``process`` opens it, in as many round trips
        try:
            keys = self.sealer.keys_for(body["data"] for _, body in handled
                                        if isinstance(body.get("data"), dict)) if self.sealer else None
        except Exception:
            return
        for record, body in handled:
            try:
                self._opened[_where(record)] = event_of(body, self.sealer, wire=record.value, keys=keys)
            except Exception:
                continue

    def _parse_quietly(self, record) -> dict | None:
        """The parsed envelope of a record of a size this worker reads; None otherwise."""
        if len(record.value or b"") > self.settings.kafka_max_message_bytes:
            return None
        try:
            return parse(record.value)
        except Exception:
            return None

    def _prepare(self) -> None:
        """Hand ``preparer`` the batch's opened events of its types."""
        assert self.preparer is not None
        events = [event for event in self._opened.values() if event.type in self.preparer.types]
        if events:
            try:
                self.preparer.prepare(events)
            except Exception:
                log.warning("preparing a batch failed; its events are handled one by one", exc_info=True)

    def _notice_new_cluster(self, consumer) -> None:
        """A broker that came back as a new cluster (an in-memory broker restarted empty)
        has new logs: positions kept from the old one could skip the start of them, so
        every assigned partition is read again from the start of its new log.

        Not from the group's commit there: kafka-python can fetch from the new broker
        before its metadata names the new cluster, and a commit made then (from the old
        position, on the new log) would skip the records before it. The new log holds only
        what came since the restart; what is read twice is dropped (processed marks)."""
        now = cluster_id(consumer)
        if now is None:
            return
        if self._cluster not in (None, now):
            self._rewind_due = True
            with self._lock:   # what was finished before now was read at positions of the old log
                self._new_log_at, self._committed_since = time.monotonic(), set()
                self._finished.clear()
            log.warning("the broker is a new cluster: every partition is read again from the start of its log",
                        extra={"cluster": now})
        self._cluster = now
        # Often seen mid-rebalance, with nothing assigned: the next assignment is rewound.
        assigned = set(consumer.assignment()) if self._rewind_due else set()
        if assigned:
            with self._lock:
                self._rewind |= assigned
            self._rewind_due = False

    def stale_finished(self, consumer) -> bool:
        """True (and the offsets dropped) when the broker is another cluster than the one
        the finished records were read from: an in-memory broker that restarted empty.
        Committing those offsets to it would skip the start of its new log."""
        now = cluster_id(consumer)
        with self._lock:
            stale = bool(self._finished) and None not in (now, self._finished_cluster) \
                and now != self._finished_cluster
            if stale:
                self._finished.clear()
        if stale:
            log.warning("the broker is a new cluster (it lost its log): offsets read from the old one are "
                        "not committed; those records are read again and dropped as duplicates")
        return stale

    def _commit(self, consumer, timeout_ms: int | None = None, now: bool = False) -> None:
        """Commit the finished offsets: at once with ``now`` (a stop), else at most every
        ``KAFKA_COMMIT_INTERVAL_MS``, so a busy loop does not send a commit per batch."""
        if not now and time.monotonic() < self._next_commit:
            return
        if self.stale_finished(consumer):
            return
        with self._lock:
            finished = dict(self._finished)
        if not finished:
            return
        self._next_commit = time.monotonic() + self.settings.kafka_commit_interval_ms / 1000
        offsets = {tp: OffsetAndMetadata(offset, "", -1) for tp, offset in finished.items()}
        try:
            # Bounded like every Kafka call here: a commit to a broker that is away must not
            # keep SIGTERM waiting (the default request timeout would be 10 s).
            consumer.commit(offsets, timeout_ms=timeout_ms or self.settings.kafka_max_block_ms)
            self.committed_on_new_log(finished)
        except CommitFailedError:
            # The group moved on (rebalance): those partitions may be someone else's now.
            # Their records come again to whoever owns them and are dropped as duplicates.
            log.warning("commit refused after a rebalance; finished records will be redelivered")
        with self._lock:   # keep what was finished meanwhile (none: the loop is single-threaded)
            for tp, offset in finished.items():
                if self._finished.get(tp) == offset:
                    del self._finished[tp]

    def _between_polls(self) -> None:
        """Publish what this loop's handlers staged, at once, and what other threads
        handed over (a mail sender's, a timer's) with them or at least every poll timeout:
        from hand, staged leased, so no read of the outbox comes first. Publishing the
        other threads' events every loop cost a produce request each (notifications
        publishes an email's event every few loops). Sweep the outbox every poll timeout
        too: what could not be sent, what a re-drive puts back, and entries a dead process
        leased. An idle loop polls that often, so nothing waits longer than it did when
        every loop relayed."""
        now = time.monotonic()
        sweep = self._relay_wanted or now - self._last_relay >= self.settings.kafka_poll_timeout_ms / 1000
        staged, self._staged = self._staged, []
        if staged or sweep:
            staged += self._in_hand.take()
        if staged:
            self.outbox.publish(self.producer, staged)
        if sweep:
            relayed = self.outbox.relay(self.producer, RELAY_BATCH)
            self._relay_wanted = relayed.sent + relayed.failed >= RELAY_BATCH    # more may be due
            self._last_relay = now
        if self.tick is not None:
            self.tick()

    def hand_over(self, staged: list[Staged]) -> None:
        """Publish these committed events with the loop's own, by the next poll timeout
        (``UnitOfWork``'s ``publish``; safe from any thread: a mail sender's, a timer's)."""
        self._in_hand.add(staged)

    def _beat(self) -> None:
        now = time.monotonic()
        if now - self._last_beat >= 1.0:
            self._last_beat = now
            metrics.LOOP_SECONDS.labels(self.group_id).set(time.time())
            if self.heartbeat_path is not None:
                self.heartbeat_path.touch()

    def _gauges(self, consumer) -> None:
        """Consumer lag per partition and the outbox's depth, every few seconds."""
        now = time.monotonic()
        if now - self._last_gauges < 5.0:
            return
        self._last_gauges = now
        for tp in consumer.assignment():
            high = consumer.highwater(tp)
            position = consumer.position(tp, timeout_ms=1000) if high is not None else None
            if high is not None and position is not None:
                lag = max(0, high - position)
                metrics.CONSUMER_LAG.labels(self.group_id, tp.topic, str(tp.partition)).set(lag)
        metrics.OUTBOX_DEPTH.labels(self.outbox.namespace).set(self.outbox.pending())
        metrics.OUTBOX_OLDEST.labels(self.outbox.namespace).set(self.outbox.oldest_age_s())

    # --- one record -----------------------------------------------------------------
    def process(self, record) -> None:
        """Finish one Kafka record: handled, skipped or dead-lettered. Raises only when
        Redis or the broker is away (the record is then not finished)."""
        metrics.EVENTS_CONSUMED.labels(self.group_id, record.topic).inc()
        if self._opened and record.topic == _ERASURES:
            self._opened.clear()
        event = self._opened.pop(_where(record), None) if self._opened else None
        if event is None:
            event = self._open(record)
            if event is None:
                return
        handler = self.handlers.get(event.type)
        if handler is None:
            return
        processed_key = f"{self.group_id}:processed:{event.id}"
        with correlation(event.correlation_id):
            self._handle(record, event, handler, processed_key)

    def _open(self, record) -> Event | None:
        """The record's event; None when it is dead-lettered (too big, invalid, unreadable)
        or not this worker's. Raises when the key store is away."""
        size = len(record.value or b"")
        if size > self.settings.kafka_max_message_bytes:
            self.dead_letter(record, f"oversize: {size} bytes, the limit is "
                                     f"{self.settings.kafka_max_message_bytes}")
            return None
        try:
            body = self._bodies.pop(_where(record), None) or parse(record.value)
            if not self._wanted(body):
                return None   # valid by its producer's word and not this worker's: never opened
            return event_of(body, self.sealer, wire=record.value)
        except InvalidEvent as exc:
            self.dead_letter(record, f"invalid event: {exc}")
            return None
        except Exception as exc:  # e.g. JSON nested too deep to read, a tampered sealed field
            if is_infrastructure_error(exc):
                raise   # the key store is away: keep the record and retry it in place
            self.dead_letter(record, f"unreadable event: {type(exc).__name__}: {exc}")
            return None

    def _wanted(self, body: dict) -> bool:
        """False for a record its producer checked that this worker would do nothing with."""
        kind = body.get("type")
        if kind not in EVENT_SCHEMAS or not was_checked(body):
            return True    # opened and validated in full: poison is dead-lettered by every reader
        if kind not in self.handlers:
            return False
        handler = self.handlers[kind]
        return not isinstance(handler, Selective) or handler.wants(body)

    def _handle(self, record, event: Event, handler: Handler, processed_key: str) -> None:
        started = time.perf_counter()
        attempt = conflicts = 0
        while True:
            uow = UnitOfWork(self.redis, self.outbox, publish=self._staged.extend)
            try:
                # The processed mark is watched and read with the handler's first read for
                # update (or at commit), in the same round trip: a copy of this worker
                # handling the same event at once (a rebalance hands a partition over)
                # cannot store its effects a second time.
                uow.done_unless(processed_key)
                handler(event, uow)
                uow.pipe.set(processed_key, "1", ex=PROCESSED_TTL_S)
                uow.commit()
            except AlreadyDone:
                self._duplicate(record, event)
                return
            except redis.WatchError:
                # Another worker changed what this handler read (a mentor's load, a request,
                # a calendar): nothing was stored; run it again on fresh reads.
                conflicts += 1
                metrics.TRANSACTION_CONFLICTS.labels(self.group_id, event.type).inc()
                if conflicts > MAX_CONFLICTS:
                    raise
                time.sleep(random.uniform(0, min(0.05, 0.002 * conflicts)))
                continue
            except Exception as exc:
                if is_infrastructure_error(exc):
                    raise
                if uow.already_done():     # it failed, or refused, because it was done before
                    self._duplicate(record, event)
                    return
                if isinstance(exc, PermanentError):
                    self.dead_letter(record, f"{type(exc).__name__}: {exc}")
                    return
                attempt += 1
                if attempt == self.settings.handler_max_attempts:
                    log.error("handler failed for the last time", extra={"event_id": event.id})
                    self.dead_letter(record, f"failed after {attempt} attempts: {type(exc).__name__}: {exc}",
                                     trace=traceback.format_exc(limit=5))
                    return
                self.stats.retries += 1
                metrics.EVENTS_RETRIES.labels(self.group_id, record.topic, event.type).inc()
                delay = self.settings.handler_backoff_s * 2 ** (attempt - 1)
                log.warning("handler failed; retrying", extra={
                    "event_id": event.id, "attempt": attempt, "delay_s": delay, "error": str(exc)})
                if self.stop_event.wait(delay):
                    raise _Stopping() from exc
                continue
            finally:
                uow.discard()
            self.stats.handled += 1
            self.stats.conflicts += conflicts
            metrics.EVENTS_HANDLED.labels(self.group_id, record.topic, event.type).inc()
            metrics.HANDLER_SECONDS.labels(self.group_id, event.type).observe(time.perf_counter() - started)
            metrics.HOP_DELAY.labels(self.group_id, event.type).observe(
                max(0.0, (utcnow() - event.time).total_seconds()))
            log.info("event handled", extra={"event_id": event.id, "type": event.type})
            return

    def _duplicate(self, record, event: Event) -> None:
        self.stats.duplicates += 1
        metrics.EVENTS_DUPLICATES.labels(self.group_id, record.topic, event.type).inc()
        log.info("duplicate event skipped", extra={"event_id": event.id, "type": event.type})

    def dead_letter(self, record, reason: str, trace: str = "") -> None:
        """Copy ``record`` to its topic's DLQ with the reason and where it came from.

        The copy is always sendable: a record too big to send again travels as a stub
        (no value; its size, sha256 and first bytes in headers). Each record is
        dead-lettered once per group, even if it is read again after a crash."""
        value = record.value or b""
        digest = hashlib.sha256(value).hexdigest()
        mark = (f"{self.group_id}:dead:{record.topic}:{record.partition}:{record.offset}:"
                f"{record.timestamp}:{digest[:16]}")
        if self.redis.exists(mark):
            return
        failed_at = utcnow().isoformat()
        headers = [
            ("dlq.reason", reason[:4000].encode()),
            ("dlq.topic", record.topic.encode()),
            ("dlq.partition", str(record.partition).encode()),
            ("dlq.offset", str(record.offset).encode()),
            ("dlq.group", self.group_id.encode()),
            ("dlq.failed_at", failed_at.encode()),
            ("dlq.size", str(len(value)).encode()),
            ("dlq.sha256", digest.encode()),
        ]
        if trace:
            headers.append(("dlq.trace", trace[-4000:].encode()))
        original = list(record.headers or [])
        key, out = record.key, record.value
        whole = len(value) + len(key or b"") + sum(len(k) + len(v or b"") for k, v in original)
        if whole > self.settings.kafka_max_message_bytes - _HEADROOM_BYTES:
            headers += [("dlq.stub", b"true"), ("dlq.head", value[:DLQ_HEAD_BYTES])]
            key, out = (key or b"")[:256] or None, None
        else:
            headers = original + headers
        # Wait for the broker: the offset is committed after this, so the DLQ copy is
        # the only one left. A failure here is an outage: the record is retried.
        self.producer.send_and_wait(dlq_for(record.topic), key, out, headers)
        # A copy that outlives the broker, for staff to list and replay (shared.deadletters).
        DeadLetters(self.redis).keep(record, self.group_id, reason, failed_at, digest, stub=out is None)
        self.redis.set(mark, "1", ex=PROCESSED_TTL_S)
        self.stats.dead_lettered += 1
        metrics.EVENTS_DEAD_LETTERED.labels(self.group_id, record.topic).inc()
        log.error("event dead-lettered", extra={
            "topic": record.topic, "partition": record.partition, "offset": record.offset,
            "reason": reason})


def cluster_id(consumer) -> str | None:
    """The cluster id the consumer's metadata names (kafka-python's, read defensively;
    ``RdConsumer`` asks for it)."""
    if hasattr(consumer, "cluster_id"):
        return consumer.cluster_id()
    return getattr(getattr(getattr(consumer, "_client", None), "cluster", None), "cluster_id", None)


class _RebalanceListener(ConsumerRebalanceListener):
    """Commit what is finished on partitions about to go to another member."""

    def __init__(self, owner: EventConsumer):
        self.owner = owner
        self.consumer: KafkaConsumer | RdConsumer | None = None

    def on_partitions_revoked(self, revoked):
        if self.consumer is not None and self.owner.stale_finished(self.consumer):
            return
        with self.owner._lock:
            going = {tp: off for tp, off in self.owner._finished.items() if tp in set(revoked)}
            for tp in going:
                del self.owner._finished[tp]
        if going and self.consumer is not None:
            try:
                self.consumer.commit({tp: OffsetAndMetadata(off, "", -1) for tp, off in going.items()},
                                     timeout_ms=self.owner.settings.kafka_max_block_ms)
                self.owner.committed_on_new_log(going)
            except Exception:
                log.warning("commit on revoke failed; those records will be redelivered")

    def on_partitions_lost(self, lost):
        """Partitions the group took without a revoke (librdkafka alone says so): what
        was finished on them is not committed (another member may own them now); it is
        read again and dropped as a duplicate."""
        with self.owner._lock:
            for tp in lost:
                self.owner._finished.pop(tp, None)
        log.warning("partitions lost to the group; their finished records will be redelivered",
                    extra={"partitions": sorted(f"{tp.topic}:{tp.partition}" for tp in lost)})

    def on_partitions_assigned(self, assigned):
        """Start every assigned partition from the group's committed offset (the beginning
        if there is none). kafka-python keeps the old position of a partition that stays
        assigned across a rebalance; after a broker that lost its log (the in-memory local
        broker restarted, a topic recreated) that position lies beyond the new log's end
        and the partition would never be read again. Starting from the commit re-reads at
        most what was finished but not committed, which the processed marks drop."""
        log.info("partitions assigned", extra={"partitions": sorted(f"{tp.topic}:{tp.partition}" for tp in assigned)})
        if self.consumer is None:
            return
        for tp in assigned:
            try:
                self.owner.start_from_commit(self.consumer, tp)
            except Exception as exc:
                # Called on kafka-python's IO thread (it cannot wait there), or the broker
                # is still coming back: the loop seeks it before handling any of its records.
                with self.owner._lock:
                    self.owner._reseek.add(tp)
                log.info("the committed offset will be read by the loop",
                         extra={"partition": f"{tp.topic}:{tp.partition}", "error": str(exc)})
