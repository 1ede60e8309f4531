"""A worker whose consumer lost the group after a broker restart and never got
partitions back is rebuilt; a spare member that never had partitions is left alone.
(A fake consumer: the drills reproduce the real loss only now and then.)"""
from shared.config import StackSettings
from shared.consumer import EventConsumer


class FakeConsumer:
    def __init__(self, parts):
        self.parts, self.closed = set(parts), False

    def assignment(self):
        return self.parts

    def close(self, **_):
        self.closed = True


def member(factory):
    return EventConsumer(settings=StackSettings(kafka_max_poll_interval_ms=3000, kafka_session_timeout_ms=10000),
                         group_id="g", handlers={}, redis=None, outbox=None, consumer_factory=factory,
                         producer=None)


def test_a_member_that_lost_its_partitions_for_too_long_joins_again_with_a_new_consumer():
    made = []

    def factory(listener):
        made.append(FakeConsumer({"t:0"}))
        return made[-1]

    c = member(factory)
    old = FakeConsumer({"t:0"})
    assert not c._orphaned(old, now=0.0)
    old.parts = set()                                       # the broker restarted; no rejoin
    assert not c._orphaned(old, now=1.0)
    assert not c._orphaned(old, now=c.orphan_limit_s())     # a rebalance may still be under way
    assert c._orphaned(old, now=c.orphan_limit_s() + 2)
    new = c._rejoin(old)
    assert old.closed and new is made[-1] and len(made) == 1
    assert c.orphan_limit_s() == (2 * 3000 + 10000) / 1000 + 10


def test_a_spare_member_that_never_had_partitions_is_not_rebuilt():
    c = member(lambda listener: FakeConsumer(set()))
    spare = FakeConsumer(set())
    assert not c._orphaned(spare, now=0.0)
    assert not c._orphaned(spare, now=10_000.0)


def test_a_member_whose_heartbeats_go_unanswered_for_too_long_joins_again():
    class Heartbeat:
        last_receive, last_reset = 100.0, 50.0

    class Coordinator:
        heartbeat = Heartbeat()

    c = member(lambda listener: FakeConsumer({"t:0"}))
    held = FakeConsumer({"t:0"})
    held._coordinator = Coordinator()
    assert not c._orphaned(held, now=100.0 + c.orphan_limit_s() - 1)   # answered recently enough
    assert c._orphaned(held, now=100.0 + c.orphan_limit_s() + 1)
