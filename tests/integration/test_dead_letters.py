"""Dead-lettered records outlive the broker: the consumer keeps a copy in Redis beside the
``.dlq`` topic; staff list it in the console and replay it, audited. The broker here is
killed and started again empty between the dead-lettering and the replay."""
from __future__ import annotations

import json
import re
import signal

import pytest

from services.matching.app import create_app as matching_app
from services.matching.bootstrap import bootstrap as matching_bootstrap
from shared.config import StackSettings
from shared.consumer import EventConsumer
from shared.deadletters import DeadLetters
from shared.kafka import LazyProducer
from shared.outbox import Outbox
from shared.staff import StaffAccounts
from tests.integration.test_races import Record
from tests.kafka_tools import read_topic

pytestmark = pytest.mark.integration

PASSWORD = "a long enough staff password"


def test_a_dead_letter_survives_the_broker_and_staff_replay_it_from_the_console(restartable_broker, redis_client):
    stack = restartable_broker
    settings = StackSettings.from_env(stack.env(), kafka_max_block_ms=3000)
    producer = LazyProducer(settings)
    consumer = EventConsumer(settings, "twoshot-sessions", {}, redis_client, Outbox(redis_client, "svc"),
                             consumer_factory=lambda listener: None, producer=producer)
    broken = json.dumps({"id": "e-1", "type": "match.proposed", "version": 1, "source": "test", "subject": "r1",
                         "time": "2027-01-01T00:00:00+00:00", "correlation_id": "c", "data": {}}).encode()
    consumer.process(Record("twoshot.match", broken, partition=1, offset=7, key=b"r1"))
    [kept] = DeadLetters(redis_client).newest()
    assert kept.topic == "twoshot.match" and kept.group == "twoshot-sessions" and "invalid event" in kept.reason
    assert kept.value_bytes == broken and (kept.partition, kept.offset) == (1, 7)

    stack.stop_process("broker", signal.SIGKILL)       # the .dlq copy dies with it
    stack.start_broker()
    stack.ensure_topics()
    assert read_topic(stack.bootstrap_servers, "twoshot.match.dlq") == []
    producer.reset()

    matching = matching_bootstrap(settings, redis_client)
    try:
        client = matching_app(matching=matching).test_client()
        accounts = StaffAccounts(redis_client)
        accounts.set_password(accounts.create("Olu Ade", "editor", login="olu").split(".")[0], PASSWORD)
        page = client.get("/admin/login").get_data(as_text=True)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert csrf
        assert client.post("/admin/login", data={"csrf_token": csrf.group(1), "login": "olu",
                                                 "password": PASSWORD}).status_code == 303
        listing = client.get("/admin/dead-letters").get_data(as_text=True)
        assert "invalid event" in listing and "twoshot.match 1:7" in listing and f"dead-{kept.id}" in listing
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', listing)
        assert csrf
        # A replay needs a reason; then it goes to its topic again, and a reload sends nothing more.
        refused = client.post(f"/admin/dead-letters/{kept.id}/replay", data={"csrf_token": csrf.group(1),
                                                                             "reason": ""})
        assert refused.status_code == 422
        done = client.post(f"/admin/dead-letters/{kept.id}/replay",
                           data={"csrf_token": csrf.group(1), "reason": "schema fixed in sessions 1.4"})
        assert done.status_code == 303 and "/admin/dead-letters?replayed=" in done.headers["Location"]
        [again] = read_topic(stack.bootstrap_servers, "twoshot.match", expect=1, timeout=10)
        assert again.value == broken and again.key == b"r1" and dict(again.headers)["replay.of"] == kept.id.encode()
        after = DeadLetters(redis_client).get(kept.id)
        assert after is not None and after.replays[0]["reason"] == "schema fixed in sessions 1.4"
        audit = [e for e in matching.policies.audit() if e.get("action") == "dlq.replay"]
        assert audit and audit[-1]["entry"] == kept.id and audit[-1]["who"].startswith("Olu Ade")
        assert "schema fixed in sessions 1.4" in client.get("/admin/dead-letters").get_data(as_text=True)
    finally:
        matching.runtime.close()
        producer.close()
