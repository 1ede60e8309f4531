"""KAFKA_COMMIT_INTERVAL_MS: the loop commits what it finished at most that often. The
first record after a quiet spell is committed at once; a loop with nothing finished
does not count as a commit."""
import pytest

from shared import consumer as consumer_module
from shared.config import StackSettings
from shared.consumer import EventConsumer


class KafkaConsumer:
    """Records the commits asked of it."""

    def __init__(self):
        self.commits: list[dict] = []

    def commit(self, offsets, timeout_ms=None):
        self.commits.append({tp: meta.offset for tp, meta in offsets.items()})


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(consumer_module.time, "monotonic", lambda: now[0])
    return now


def consumer():
    settings = StackSettings().with_overrides(kafka_commit_interval_ms=200)
    c = EventConsumer(settings=settings, group_id="g", handlers={}, redis=None, outbox=None,
                      consumer_factory=lambda listener: None, producer=None)
    c.stale_finished = lambda kafka: False      # one cluster throughout
    return c


def test_a_busy_loop_commits_at_most_once_an_interval_and_then_all_it_finished(clock):
    c, kafka = consumer(), KafkaConsumer()
    c._finished["t-0"] = 11
    c._commit_due(kafka)                        # the first after a quiet spell: at once
    for offset in (12, 13, 14):                 # loops 50 ms apart
        clock[0] += 0.05
        c._finished["t-0"] = offset
        c._commit_due(kafka)
    assert kafka.commits == [{"t-0": 11}]
    clock[0] += 0.06                            # 210 ms after the first
    c._finished["t-1"] = 3
    c._commit_due(kafka)
    assert kafka.commits == [{"t-0": 11}, {"t-0": 14, "t-1": 3}]
    assert c._finished == {}


def test_loops_with_nothing_finished_do_not_hold_back_the_next_commit(clock):
    c, kafka = consumer(), KafkaConsumer()
    c._commit_due(kafka)                        # nothing finished: nothing sent
    clock[0] += 0.05
    c._finished["t-0"] = 7
    c._commit_due(kafka)
    assert kafka.commits == [{"t-0": 7}]
