"""The local broker creates any topic a client's metadata request names, with its own
default count of partitions, whatever the client asks (``allow_auto_create_topics=False``
is not honoured). After it restarts empty, a topic may be made that way before the
workers' ``ensure_topics`` makes it; if the counts differed, a consumer that still knew
the other count left a partition unread (the no-settle broker drill on kafka-python: 2 of
12 invites never mailed; their events, sent again every 10 s, went to partition 3, which
notifications' consumer, knowing 3 partitions, never read). So the local count must be
the broker's."""
from __future__ import annotations

import time

import pytest
from kafka import KafkaAdminClient, KafkaProducer

from devstack.stack import wait_until
from shared.config import StackSettings

pytestmark = pytest.mark.integration


def test_a_topic_the_local_broker_makes_on_its_own_has_the_partitions_twoshot_makes(broker):
    topic = f"twoshot.made-by-asking-{time.monotonic_ns()}"
    client = KafkaProducer(bootstrap_servers=broker, allow_auto_create_topics=False, max_block_ms=5000)
    admin = KafkaAdminClient(bootstrap_servers=broker)
    try:
        assert topic not in admin.list_topics()
        asked = client.partitions_for(topic)           # a metadata request naming it
        wait_until(lambda: topic in admin.list_topics(), 10, "the topic made by the broker")
        [described] = admin.describe_topics([topic])
        assert len(described["partitions"]) == len(asked) == StackSettings().kafka_topic_partitions
    finally:
        client.close()
        admin.close()
