"""The consumer loop's schedule between polls.

- **Relay.** After a loop whose handlers staged events, and otherwise once a poll timeout
  has passed since the last relay (a sweep for what other threads staged, what a re-drive
  put back, what a dead process leased). A loop that handled events which staged nothing
  does not ask Redis again.
- **Commit** (KAFKA_COMMIT_INTERVAL_MS): what the loop finished, at most that often. The
  first record after a quiet spell is committed at once; a loop with nothing finished
  does not count as a commit."""
import pytest

from shared import consumer as consumer_module
from shared.config import StackSettings
from shared.consumer import RELAY_BATCH, EventConsumer
from shared.outbox import Relayed


class Outbox:
    """Counts relays; each gives back what the test queued."""

    def __init__(self):
        self.relays = 0
        self.results: list[Relayed] = []

    def relay(self, producer, limit):
        self.relays += 1
        return self.results.pop(0) if self.results else Relayed()


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
    settings = StackSettings().with_overrides(kafka_poll_timeout_ms=200, kafka_commit_interval_ms=200)
    c = EventConsumer(settings=settings, group_id="g", handlers={}, redis=None, outbox=Outbox(),
                      consumer_factory=lambda listener: None, producer=None)
    c.stale_finished = lambda kafka: False      # one cluster throughout
    return c

def test_loops_that_staged_nothing_relay_once_a_poll_timeout(clock):
    c = consumer()
    c._between_polls()                      # the first loop sweeps
    for _ in range(5):                      # busy loops within 200 ms: nothing staged
        clock[0] += 0.03
        c._between_polls()
    assert c.outbox.relays == 1
    clock[0] += 0.06                        # 210 ms since the sweep
    c._between_polls()
    assert c.outbox.relays == 2


def test_a_loop_whose_handlers_staged_events_relays_at_once(clock):
    c = consumer()
    c._between_polls()
    clock[0] += 0.01
    c._relay_wanted = True                  # as ``_handle`` sets it after a unit that emitted
    c._between_polls()
    assert c.outbox.relays == 2 and not c._relay_wanted
    clock[0] += 0.01
    c._between_polls()
    assert c.outbox.relays == 2


def test_a_full_relay_is_followed_by_another_at_once(clock):
    c = consumer()
    c.outbox.results = [Relayed(sent=RELAY_BATCH), Relayed(sent=3)]
    c._between_polls()
    clock[0] += 0.01
    c._between_polls()                      # more may have been due: relayed again
    clock[0] += 0.01
    c._between_polls()                      # the last was short: wait for the sweep
    assert c.outbox.relays == 2

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
