"""When the consumer loop publishes and relays its outbox: what its handlers staged is
published at once from hand, without reading the outbox; the outbox is swept once a poll
timeout has passed since the last sweep (what other threads staged, what a re-drive put
back, what a dead process leased), and again at once after a full sweep. A loop that
handled events which staged nothing does not ask Redis again."""
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
        self.published: list[list] = []

    def publish(self, producer, staged):
        self.published.append(staged)
        return Relayed(sent=len(staged))

    def relay(self, producer, limit):
        self.relays += 1
        return self.results.pop(0) if self.results else Relayed()


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(consumer_module.time, "monotonic", lambda: now[0])
    return now


def consumer():
    settings = StackSettings().with_overrides(kafka_poll_timeout_ms=200)
    c = EventConsumer(settings=settings, group_id="g", handlers={}, redis=None, outbox=Outbox(),
                      consumer_factory=lambda listener: None, producer=None)
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


def test_what_a_loops_handlers_staged_is_published_at_once_without_a_sweep(clock):
    c = consumer()
    c._between_polls()
    clock[0] += 0.01
    c._staged.extend([("e1", {}), ("e2", {})])      # as two committed units of its handlers
    c._between_polls()
    assert c.outbox.published == [[("e1", {}), ("e2", {})]] and not c._staged
    assert c.outbox.relays == 1                     # the outbox was not read for them
    clock[0] += 0.01
    c._between_polls()
    assert len(c.outbox.published) == 1 and c.outbox.relays == 1


def test_what_other_threads_hand_over_goes_with_the_handlers_events_or_by_the_poll_timeout(clock):
    c = consumer()
    c._between_polls()
    clock[0] += 0.01
    c.hand_over([("mail1", {})])                    # a mail sender's event
    c._between_polls()
    assert c.outbox.published == []                 # not a produce request of its own every loop
    clock[0] += 0.01
    c._staged.append(("e1", {}))
    c._between_polls()
    assert c.outbox.published == [[("e1", {}), ("mail1", {})]]
    c.hand_over([("mail2", {})])
    clock[0] += 0.2                                 # a poll timeout since the sweep
    c._between_polls()
    assert c.outbox.published[-1] == [("mail2", {})] and c.outbox.relays == 2


def test_a_full_relay_is_followed_by_another_at_once(clock):
    c = consumer()
    c.outbox.results = [Relayed(sent=RELAY_BATCH), Relayed(sent=3)]
    c._between_polls()
    clock[0] += 0.01
    c._between_polls()                      # more may have been due: relayed again
    clock[0] += 0.01
    c._between_polls()                      # the last was short: wait for the sweep
    assert c.outbox.relays == 2
