"""Store, then publish: an event stored with its state change is never lost."""
import time

import pytest

from shared.events import InvalidEvent, make_event
from shared.kafka import make_producer
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
    producer = make_producer(settings)
    assert survivor.relay(producer) == 1
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


class BrokenProducer:
    def send(self, *a, **kw):
        raise ConnectionError("broker unreachable")


def test_an_entry_whose_publish_failed_is_sent_again_after_its_lease(settings, redis_client):
    outbox = Outbox(redis_client, "svc", lease_s=0.3)
    store_with_event(redis_client, outbox)
    assert outbox.relay(BrokenProducer()) == 0
    producer = make_producer(settings)
    assert outbox.relay(producer) == 0          # still leased by the failed attempt
    time.sleep(0.4)
    assert outbox.relay(producer) == 1
    producer.close()
    assert len(read_topic(settings.kafka_bootstrap_servers, "twoshot.match", expect=1)) == 1
