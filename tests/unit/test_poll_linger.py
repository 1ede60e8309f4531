"""KAFKA_POLL_LINGER_MS: after a poll that brought some records but not a full batch, the
loop waits before it fetches again, so the next fetch brings more (the local broker
answers a fetch as soon as one record is there). A full poll or an empty one is not
followed by a wait: under load the loop keeps fetching, and an idle poll has waited on
the broker already."""
import threading

from shared.config import StackSettings
from shared.consumer import EventConsumer


class Waits(threading.Event):
    """A stop event that records how long the loop asked to wait."""

    def __init__(self):
        super().__init__()
        self.asked: list[float] = []

    def wait(self, timeout=None):
        self.asked.append(timeout)
        return False


def consumer(linger_ms):
    settings = StackSettings().with_overrides(kafka_poll_linger_ms=linger_ms, kafka_max_poll_records=5)
    return EventConsumer(settings=settings, group_id="g", handlers={}, redis=None, outbox=None,
                         consumer_factory=lambda listener: None, producer=None, stop_event=Waits())


def test_a_poll_short_of_a_full_batch_is_followed_by_the_linger():
    c = consumer(50)
    c._linger({"t-0": [1, 2], "t-1": [3]})
    assert c.stop_event.asked == [0.05]


def test_a_full_poll_an_empty_one_or_no_linger_set_fetches_again_at_once():
    c = consumer(50)
    c._linger({"t-0": [1, 2, 3], "t-1": [4, 5]})
    c._linger({})
    off = consumer(0)
    off._linger({"t-0": [1]})
    assert c.stop_event.asked == [] and off.stop_event.asked == []
