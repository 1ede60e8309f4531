"""A broker that restarts empty comes back as a new cluster with new logs. kafka-python
can fetch from it before its metadata names the new cluster, so records may be read, and
even committed, from the old position on the new log. Once the consumer sees the new
cluster, every assigned partition is read again from the start of its new log: nothing
before that old position is skipped. (A fake consumer: the broker drill hits this race
only now and then.)"""
from types import SimpleNamespace

from kafka import TopicPartition

from shared.config import StackSettings
from shared.consumer import EventConsumer


class Log:
    """A partition's log on the broker and a consumer's position in it."""
    TP = TopicPartition("t", 0)

    def __init__(self):
        self.cluster = SimpleNamespace(cluster_id="old")
        self._client = SimpleNamespace(cluster=self.cluster)
        self.records = []
        self.position = 0
        self.commits = []

    assigned = True

    def assignment(self):
        return {self.TP} if self.assigned else set()

    def seek(self, tp, offset):
        self.position = offset

    def seek_to_beginning(self, tp):
        self.position = 0

    def committed(self, tp, timeout_ms=None):
        return self.commits[-1] if self.commits else None

    def end_offsets(self, partitions):
        return {tp: len(self.records) for tp in partitions}

    def poll(self, max_records=2):
        out = self.records[self.position:self.position + max_records]
        self.position += len(out)
        return {self.TP: out} if out else {}


def record(offset, value):
    return SimpleNamespace(offset=offset, value=value, topic="t", partition=0)


def test_records_before_the_old_position_on_a_new_log_are_read_once_the_new_cluster_is_seen():
    log = Log()
    handled: list[str] = []
    c = EventConsumer(settings=StackSettings(), group_id="g", handlers={}, redis=None, outbox=None,
                      consumer_factory=lambda listener: log, producer=None)
    c.process = lambda r: handled.append(r.value)

    def loop_once():
        batch = log.poll()
        c._notice_new_cluster(log)
        if c._reseek or c._rewind:
            batch = c._start_from_commits(log, batch)
        if batch:
            c._handle_batch(log, batch)
        if not c.stale_finished(log) and c._finished:   # what the commit sends (the broker keeps the last)
            log.commits.append(c._finished.pop(Log.TP))

    log.records = [record(i, f"old-{i}") for i in range(3)]
    for _ in range(2):
        loop_once()
    assert handled == ["old-0", "old-1", "old-2"] and log.position == 3

    # The broker restarts empty; the re-drive and new requests fill its new log past the
    # old position, and the first fetch happens before the metadata names the new cluster.
    log.records = [record(i, f"new-{i}") for i in range(5)]
    loop_once()
    assert handled[3:] == ["new-3", "new-4"] and log.commits[-1] == 5   # read and committed from the old place
    log.cluster.cluster_id = "new"      # the metadata catches up
    for _ in range(4):
        loop_once()
    assert set(handled[5:]) >= {"new-0", "new-1", "new-2"}, handled   # nothing before the old position lost


def test_a_new_cluster_seen_in_the_middle_of_a_rebalance_rewinds_the_next_assignment():
    log = Log()
    c = EventConsumer(settings=StackSettings(), group_id="g", handlers={}, redis=None, outbox=None,
                      consumer_factory=lambda listener: log, producer=None)
    c._notice_new_cluster(log)
    log.assigned, log.cluster.cluster_id = False, "new"     # the group is rebalancing when it is seen
    c._notice_new_cluster(log)
    assert not c._rewind
    log.assigned, log.position = True, 7                     # assigned again, at a commit made too early
    c._notice_new_cluster(log)
    c._start_from_commits(log, {})
    assert log.position == 0                                  # the new log is read from its start


def test_a_partition_rewound_then_assigned_again_before_any_read_is_not_started_from_the_early_commit():
    """The drill's case: the new cluster is seen and the partition rewound, but the group
    re-forms on the new broker and assigns it again before anything is read from the
    start; the commit made from the old position must not win."""
    log = Log()
    c = EventConsumer(settings=StackSettings(), group_id="g", handlers={}, redis=None, outbox=None,
                      consumer_factory=lambda listener: log, producer=None)
    log.records = [record(i, f"new-{i}") for i in range(6)]
    c._notice_new_cluster(log)
    log.commits.append(5)                       # committed from the old position on the new log
    log.cluster.cluster_id = "new"
    c._notice_new_cluster(log)
    c._start_from_commits(log, {})
    assert log.position == 0
    log.position = 5                            # revoked and assigned again: started as a rebalance does
    c.start_from_commit(log, Log.TP)
    assert log.position == 0, "the early commit was trusted"

    # Once this member commits the partition from its new start, its commits are trusted again.
    c.committed_on_new_log([Log.TP])
    log.commits.append(3)
    c.start_from_commit(log, Log.TP)
    assert log.position == 3


def test_the_doubt_ends_after_the_rebalance_window():
    log = Log()
    c = EventConsumer(settings=StackSettings(), group_id="g", handlers={}, redis=None, outbox=None,
                      consumer_factory=lambda listener: log, producer=None)
    log.records = [record(i, f"new-{i}") for i in range(6)]
    c._notice_new_cluster(log)
    log.cluster.cluster_id = "new"
    c._notice_new_cluster(log)
    log.commits.append(4)
    c._new_log_at -= c.orphan_limit_s() + 1     # long after: every commit since was made on the new log
    c.start_from_commit(log, Log.TP)
    assert log.position == 4
