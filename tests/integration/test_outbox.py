"""Store, then publish: an event stored with its state change is never lost."""
import pytest

from devstack.stack import free_port, wait_until
from shared.events import InvalidEvent, make_event
from shared.kafka import LazyProducer
from shared.outbox import Outbox
from shared.store import UnitOfWork
from tests.kafka_tools import read_topic

pytestmark = pytest.mark.integration


def store_with_event(redis_client, outbox, request_id="r1"):
    uow = UnitOfWork(redis_client, outbox)
    uow.pipe.set(f"state:{request_id}", "stored")
    uow.emit(make_event("match.failed", request_id, {"request_id": request_id, "reason": "x"}, "tests"))
    uow.commit()


def test_an_event_stored_before_the_process_died_is_published_by_the_next_relay(settings, redis_client):
    store_with_event(redis_client, Outbox(redis_client, "svc"))
    # The process "dies" here: nothing was published.
    assert read_topic(settings.kafka_bootstrap_servers, "twoshot.match") == []

    survivor = Outbox(redis_client, "svc")   # a new process, same Redis
    assert survivor.pending() == 1
    producer = LazyProducer(settings)
    assert survivor.relay(producer).sent == 1
    producer.close()
    records = read_topic(settings.kafka_bootstrap_servers, "twoshot.match", expect=1)
    assert [r.key for r in records] == [b"r1"] and survivor.pending() == 0


def test_an_event_that_breaks_its_contract_stores_nothing_with_it(redis_client):
    outbox = Outbox(redis_client, "svc")
    uow = UnitOfWork(redis_client, outbox)
    uow.pipe.set("state:r1", "stored")
    with pytest.raises(InvalidEvent):
        uow.emit(make_event("match.failed", "r1", {"request_id": "r1"}, "tests"))  # no reason
    assert redis_client.get("state:r1") is None and outbox.pending() == 0


def test_a_failed_publish_hands_the_entry_back_at_once_and_the_next_relay_sends_it(settings, redis_client):
    """The broker is away: the entry is not held for a whole lease (30 s would leave a
    request waiting long after the broker came back), only for the short retry delay."""
    outbox = Outbox(redis_client, "svc", lease_s=3600, retry_s=0.2)
    store_with_event(redis_client, outbox)
    no_broker = LazyProducer(settings.with_overrides(kafka_bootstrap_servers=f"127.0.0.1:{free_port()}",
                                                     kafka_max_block_ms=500, kafka_request_timeout_ms=1000))
    assert outbox.relay(no_broker).failed == 1 and outbox.pending() == 1
    producer = LazyProducer(settings)
    sent = []
    wait_until(lambda: sent.append(outbox.relay(producer).sent) or sum(sent) == 1, 10, "the entry to be sent")
    producer.close()
    assert len(read_topic(settings.kafka_bootstrap_servers, "twoshot.match", expect=1)) == 1
    assert outbox.pending() == 0


def test_an_entry_another_relay_published_meanwhile_leaves_the_due_set_and_is_not_sent(settings, redis_client):
    """One script leases what is due and reads it; an id whose entry another relay has
    already published and deleted is dropped from the due set, not sent again."""
    outbox = Outbox(redis_client, "svc")
    store_with_event(redis_client, outbox, "r1")
    store_with_event(redis_client, outbox, "r2")
    gone = redis_client.zrange("svc:outbox:due", 0, 0)[0]
    redis_client.hdel("svc:outbox:events", gone)           # the other relay's delete
    producer = LazyProducer(settings)
    assert outbox.relay(producer).sent == 1
    producer.close()
    assert outbox.pending() == 0 and redis_client.zscore("svc:outbox:due", gone) is None
    records = read_topic(settings.kafka_bootstrap_servers, "twoshot.match", expect=1)
    assert len(records) == 1


def committed_for_publishing(redis_client, outbox, request_id):
    """A unit that publishes its own events: the list it hands them to, once committed."""
    handed: list = []
    uow = UnitOfWork(redis_client, outbox, publish=handed.extend)
    uow.pipe.set(f"state:{request_id}", "stored")
    uow.emit(make_event("match.failed", request_id, {"request_id": request_id, "reason": "x"}, "tests"))
    assert handed == []                                    # nothing before the commit
    uow.commit()
    return handed


def test_a_unit_that_publishes_its_events_sends_them_from_hand_and_no_sweep_races_it(settings, redis_client):
    outbox = Outbox(redis_client, "svc", lease_s=3600)
    handed = committed_for_publishing(redis_client, outbox, "r1")
    assert [event_id for event_id, _ in handed] == redis_client.zrange("svc:outbox:due", 0, -1)
    producer = LazyProducer(settings)
    assert outbox.relay(producer).sent == 0               # leased to the unit's publisher: not due
    assert outbox.publish(producer, handed).sent == 1
    producer.close()
    assert outbox.pending() == 0 and redis_client.zscore("svc:sent", handed[0][0]) is not None
    records = read_topic(settings.kafka_bootstrap_servers, "twoshot.match", expect=1)
    assert [r.key for r in records] == [b"r1"]


def test_what_a_publisher_died_holding_is_swept_when_its_lease_runs_out(settings, redis_client):
    outbox = Outbox(redis_client, "svc", lease_s=0.3)
    committed_for_publishing(redis_client, outbox, "r1")   # handed over, and the process dies
    producer = LazyProducer(settings)
    sent: list[int] = []
    wait_until(lambda: sent.append(outbox.relay(producer).sent) or sum(sent) == 1, 10, "the lease to run out")
    producer.close()
    assert outbox.pending() == 0
    assert [r.key for r in read_topic(settings.kafka_bootstrap_servers, "twoshot.match", expect=1)] == [b"r1"]


def test_a_publish_the_broker_did_not_acknowledge_is_handed_back_for_the_next_sweep(settings, redis_client):
    outbox = Outbox(redis_client, "svc", lease_s=3600, retry_s=0.2)
    handed = committed_for_publishing(redis_client, outbox, "r1")
    no_broker = LazyProducer(settings.with_overrides(kafka_bootstrap_servers=f"127.0.0.1:{free_port()}",
                                                     kafka_max_block_ms=500, kafka_request_timeout_ms=1000))
    assert outbox.publish(no_broker, handed).failed == 1 and outbox.pending() == 1
    producer = LazyProducer(settings)
    sent: list[int] = []
    wait_until(lambda: sent.append(outbox.relay(producer).sent) or sum(sent) == 1, 10, "the retry to be due")
    producer.close()
    assert len(read_topic(settings.kafka_bootstrap_servers, "twoshot.match", expect=1)) == 1
