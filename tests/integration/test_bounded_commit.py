"""A consumer on librdkafka waits for the broker no longer than it asks to: confluent-kafka's
commit and close take no timeout, and with the broker away librdkafka holds them until the
group's session times out (decision 0012, step 37)."""
import logging
import signal

import pytest
from kafka.errors import KafkaTimeoutError
from kafka.structs import OffsetAndMetadata

from shared.config import StackSettings
from shared.rdkafka import RdConsumer
from tests.conftest import poll
from tests.kafka_tools import producer as make_producer

pytestmark = pytest.mark.integration


def test_a_commit_and_a_close_with_the_broker_away_end_at_their_bound(restartable_broker, caplog):
    stack = restartable_broker
    settings = StackSettings.from_env(stack.env())
    producer = make_producer(stack.bootstrap_servers)
    for n in range(3):
        producer.send("mentorship.requested", b"r%d" % n)
    producer.flush()
    producer.close()
    consumer = RdConsumer(settings, "bounded", ["mentorship.requested"])
    read = poll(lambda: consumer.poll(timeout_ms=500), timeout=30)
    finished = {tp: OffsetAndMetadata(records[-1].offset + 1, "", -1) for tp, records in read.items()}
    consumer.commit(finished, timeout_ms=5000)        # the broker is up: answered within the bound

    stack.stop_process("broker", signal.SIGKILL)
    # librdkafka would answer "waiting for coordinator" only when the session times out
    # (3 s here); the bound answers first, with kafka-python's timeout.
    with pytest.raises(KafkaTimeoutError):
        consumer.commit(finished, timeout_ms=500)
    with caplog.at_level(logging.WARNING, logger="shared.rdkafka"):
        consumer.close(timeout_ms=500)                 # waits on that commit: bounded too
    assert "the consumer did not close in time" in caplog.text
