"""The consumer loop every worker runs, against the real broker and Redis."""
import json
import signal
import threading

import pytest
import redis

from shared.consumer import BatchPreparer, PermanentError
from shared.events import make_event, serialize
from shared.kafka import make_consumer
from shared.runtime import build_consumer, build_runtime
from tests.conftest import poll
from tests.kafka_tools import committed as offsets
from tests.kafka_tools import producer, read_topic

pytestmark = pytest.mark.integration

TOPIC = "twoshot.match"


def failed_event(request_id="r1"):
    return make_event("match.failed", request_id, {"request_id": request_id, "reason": "test"}, "tests")


class Running:
    """An EventConsumer in a thread, stopped when the test ends."""

    def __init__(self, settings, redis_client, handlers, preparer=None):
        self.runtime = build_runtime(settings, "testsvc", redis_client)
        self.consumer = build_consumer(self.runtime, handlers, preparer=preparer)
        self.thread = threading.Thread(target=self.consumer.run, daemon=True)
        self.thread.start()

    def stop(self):
        self.consumer.stop_event.set()
        self.thread.join(30)
        assert not self.thread.is_alive()
        self.runtime.close()


@pytest.fixture
def run(settings, redis_client):
    started = []

    def start(handlers, preparer=None):
        r = Running(settings, redis_client, handlers, preparer)
        started.append(r)
        return r
    yield start
    for r in started:
        if r.thread.is_alive():
            r.stop()


def send(bootstrap, *values, key=b"r1"):
    p = producer(bootstrap)
    for v in values:
        p.send(TOPIC, key=key, value=v).get(timeout=10)
    p.close()


def test_an_invalid_message_goes_to_the_dlq_with_its_reason_and_origin_and_the_loop_moves_on(settings, run):
    handled = []
    running = run({"match.failed": lambda e, uow: handled.append(e.id)})
    good = failed_event()
    send(settings.kafka_bootstrap_servers, b"{not json", serialize(good))
    poll(lambda: handled, timeout=30)
    assert handled == [good.id]
    dead = read_topic(settings.kafka_bootstrap_servers, TOPIC + ".dlq", expect=1)
    assert len(dead) == 1 and dead[0].value == b"{not json"
    headers = dict(dead[0].headers)
    assert b"invalid event" in headers["dlq.reason"] and b"Not JSON" in headers["dlq.reason"]
    assert headers["dlq.topic"] == TOPIC.encode() and headers["dlq.offset"].isdigit()
    assert running.consumer.stats.dead_lettered == 1


def test_a_handler_that_keeps_failing_is_retried_with_backoff_then_dead_lettered(settings, run):
    attempts, handled = [], []

    def flaky(event, uow):
        if event.data["request_id"] == "bad":
            attempts.append(1)
            raise ConnectionError("downstream is down")
        handled.append(event.id)

    running = run({"match.failed": flaky})
    after = failed_event("after")
    send(settings.kafka_bootstrap_servers, serialize(failed_event("bad")), serialize(after))
    poll(lambda: handled, timeout=30)
    assert len(attempts) == settings.handler_max_attempts and handled == [after.id]
    dead = read_topic(settings.kafka_bootstrap_servers, TOPIC + ".dlq", expect=1)
    reason = dict(dead[0].headers)["dlq.reason"].decode()
    assert f"failed after {settings.handler_max_attempts} attempts" in reason and "downstream is down" in reason
    assert running.consumer.stats.retries == settings.handler_max_attempts - 1


def test_a_permanent_error_is_dead_lettered_without_retrying(settings, run):
    attempts = []

    def refuse(event, uow):
        attempts.append(1)
        raise PermanentError("mentor profile is inconsistent")

    running = run({"match.failed": refuse})
    send(settings.kafka_bootstrap_servers, serialize(failed_event()))
    poll(lambda: running.consumer.stats.dead_lettered, timeout=30)
    assert attempts == [1]


def test_a_transient_failure_is_retried_and_then_handled_once(settings, run, redis_client):
    calls = []

    def twice_then_ok(event, uow):
        calls.append(1)
        if len(calls) < 3:
            raise TimeoutError("slow")
        uow.pipe.incr("effects")

    running = run({"match.failed": twice_then_ok})
    send(settings.kafka_bootstrap_servers, serialize(failed_event()))
    poll(lambda: running.consumer.stats.handled, timeout=30)
    assert redis_client.get("effects") == "1" and running.consumer.stats.dead_lettered == 0


def test_the_same_event_delivered_twice_is_handled_once(settings, run, redis_client):
    running = run({"match.failed": lambda e, uow: uow.pipe.incr("effects")})
    event = serialize(failed_event())
    send(settings.kafka_bootstrap_servers, event, event)
    poll(lambda: running.consumer.stats.duplicates, timeout=30)
    assert redis_client.get("effects") == "1" and running.consumer.stats.handled == 1


def test_a_copy_of_a_handled_event_that_its_handler_refuses_is_a_duplicate_not_a_dead_letter(
        settings, run, redis_client):
    """The processed mark is read with the handler's first read for update; a handler that
    refuses before any such read (the state it finds says it was done) is asked whether the
    event was handled, and a copy is counted a duplicate, as it was when the mark came first."""
    def refuse_once_done(event, uow):
        if redis_client.get("effects"):
            raise PermanentError("already matched")
        uow.pipe.incr("effects")

    running = run({"match.failed": refuse_once_done})
    event = serialize(failed_event())
    send(settings.kafka_bootstrap_servers, event, event)
    poll(lambda: running.consumer.stats.duplicates, timeout=30)
    assert redis_client.get("effects") == "1" and running.consumer.stats.dead_lettered == 0


def test_effects_and_caused_events_are_stored_together_and_then_published(settings, run, redis_client):
    def handler(event, uow):
        if event.subject == "r1":  # the caused event lands on this same topic: do not cascade
            uow.pipe.set("state", "changed")
            uow.emit(event.caused("match.failed", "r2", {"request_id": "r2", "reason": "caused"}, "tests"))

    running = run({"match.failed": handler})
    cause = failed_event()
    send(settings.kafka_bootstrap_servers, serialize(cause))
    records = read_topic(settings.kafka_bootstrap_servers, TOPIC, expect=2, timeout=30)
    caused = [json.loads(r.value) for r in records if r.key == b"r2"]
    assert len(caused) == 1 and redis_client.get("state") == "changed"
    assert caused[0]["causation_id"] == cause.id and caused[0]["correlation_id"] == cause.correlation_id
    # Deleted from the outbox only after the broker acknowledged it.
    poll(lambda: running.runtime.outbox.pending() == 0, timeout=10)


def test_redelivery_after_a_crash_before_the_commit_does_not_repeat_the_effects(settings, redis_client, run):
    """A worker stores its effects, then dies before committing the offset: the next
    worker in the group gets the message again and drops it as a duplicate."""
    send(settings.kafka_bootstrap_servers, serialize(failed_event()))
    handler = {"match.failed": lambda e, uow: uow.pipe.incr("effects")}
    crashed = build_consumer(build_runtime(settings, "testsvc", redis_client), handler)
    kafka = make_consumer(settings, crashed.group_id, [TOPIC])
    seen = []
    while not seen:
        for records in kafka.poll(timeout_ms=500).values():
            for record in records:
                crashed.process(record)
                seen.append(record)
    kafka.close(autocommit=False)  # the crash: effects stored, offset never committed
    assert redis_client.get("effects") == "1"

    survivor = run(handler)
    poll(lambda: survivor.consumer.stats.duplicates, timeout=30)
    assert redis_client.get("effects") == "1" and survivor.consumer.stats.handled == 0


def test_redis_away_mid_flow_keeps_the_record_commits_nothing_past_it_and_handles_it_once_when_back(
        settings, infra, tmp_path):
    """The bug this guards against: the loop committed the whole batch in a ``finally``
    even when an exception escaped mid-batch, so an unhandled record was skipped."""
    from devstack.stack import Stack, free_port
    own = Stack(tmp_path, {**infra.ports, "redis": free_port()})
    own.start_redis()
    try:
        client = redis.Redis.from_url(own.redis, decode_responses=True, socket_timeout=1)
        outage_settings = settings.with_overrides(redis_url=own.redis, redis_timeout_s=1.0,
                                                  retry_backoff_s=0.05, retry_backoff_max_s=0.3)
        runtime = build_runtime(outage_settings, "testsvc")
        consumer = build_consumer(runtime, {"match.failed": lambda e, uow: uow.pipe.incr("effects")})
        thread = threading.Thread(target=consumer.run, daemon=True)
        thread.start()
        first = failed_event("first")
        send(settings.kafka_bootstrap_servers, serialize(first))
        poll(lambda: client.get("effects") == "1", timeout=30)

        own.stop_process("redis", signal.SIGKILL)
        second = failed_event("second")
        send(settings.kafka_bootstrap_servers, serialize(second))
        poll(lambda: consumer.stats.outage_waits >= 3, timeout=30)    # it met the outage and waits
        assert thread.is_alive()
        committed = offsets(settings.kafka_bootstrap_servers, consumer.group_id, TOPIC)
        assert sum(committed.values()) == 1, "committed past a record that was not handled"

        own.start_redis()
        poll(lambda: client.get("effects") == "2", timeout=30)
        poll(lambda: sum(offsets(settings.kafka_bootstrap_servers, consumer.group_id, TOPIC).values()) == 2,
             timeout=30)
        assert consumer.stats.handled == 2 and consumer.stats.dead_lettered == 0
        consumer.stop_event.set()
        thread.join(10)
        assert not thread.is_alive()
        runtime.close()
        client.close()
    finally:
        own.stop()



def test_a_static_member_handles_events_and_its_replacement_carries_on_where_it_stopped(settings, run, redis_client):
    """KAFKA_GROUP_INSTANCE_ID: the broker knows the worker by a stable id; a replacement
    with the same id (a restarted pod) takes the group's partitions and offsets over."""
    static = settings.with_overrides(kafka_group_instance_id="testsvc-worker-0")
    probe = make_consumer(static, "probe", [TOPIC])
    named = probe.config.get("group_instance_id") or probe.config.get("group.instance.id")   # KAFKA_CLIENT's names
    assert named == "testsvc-worker-0"
    probe.close()
    seen: list[str] = []
    first = Running(static, redis_client, {"match.failed": lambda e, uow: seen.append(e.subject)})
    send(settings.kafka_bootstrap_servers, serialize(failed_event("a")))
    poll(lambda: seen == ["a"], timeout=60)
    first.stop()
    second = Running(static, redis_client, {"match.failed": lambda e, uow: seen.append(e.subject)})
    try:
        send(settings.kafka_bootstrap_servers, serialize(failed_event("b")))
        poll(lambda: seen == ["a", "b"], timeout=60)
    finally:
        second.stop()


def test_a_commit_inside_the_last_batch_of_the_log_is_where_reading_starts(settings, run):
    """The local broker answers a log's end with the first offset of its last batch: a
    commit inside that batch looks past the end to ``end_offsets``. Read from the start, a
    worker handled every record of its partition again (a rebalance in the scale drill).
    The fetch's high watermark decides: the partition starts from the commit."""
    from kafka import KafkaConsumer, TopicPartition
    from kafka.structs import OffsetAndMetadata

    p = producer(settings.kafka_bootstrap_servers)
    sent = [p.send(TOPIC, key=b"r1", value=serialize(failed_event(s))) for s in "abcde"]
    p.flush()
    placed = [f.get(timeout=10) for f in sent]
    p.close()
    tp = TopicPartition(TOPIC, placed[0].partition)
    group = "twoshot-testsvc"
    committer = KafkaConsumer(bootstrap_servers=settings.kafka_bootstrap_servers, group_id=group,
                              enable_auto_commit=False)
    committer.assign([tp])
    assert committer.end_offsets([tp])[tp] < placed[3].offset + 1     # what the broker answers is short
    committer.commit({tp: OffsetAndMetadata(placed[3].offset, "", -1)})  # d and e not handled yet
    committer.close(autocommit=False)

    seen: list[str] = []
    running = run({"match.failed": lambda e, uow: seen.append(e.subject)})
    poll(lambda: "e" in seen, timeout=60)
    running.stop()
    assert seen == ["d", "e"]


def test_a_commit_past_the_end_of_the_log_is_read_from_the_start_of_the_log(settings, run):
    """A group's commit beyond its partition's last record can only come from a log the
    broker has lost. Seen in a drill: two broker restarts 7 s apart; a commit made from the
    old log reached the new cluster before the consumer's metadata named it, the next
    rebalance started the partition from that commit, and the notifications worker never
    read it again. The consumer starts such a partition from the start of its log (what it
    reads twice, the processed marks drop)."""
    from kafka import KafkaConsumer, TopicPartition
    from kafka.structs import OffsetAndMetadata

    send(settings.kafka_bootstrap_servers, *(serialize(failed_event(s)) for s in "abc"))
    group = "twoshot-testsvc"
    lost = KafkaConsumer(bootstrap_servers=settings.kafka_bootstrap_servers, group_id=group,
                         enable_auto_commit=False)
    partitions = [TopicPartition(TOPIC, p) for p in sorted(lost.partitions_for_topic(TOPIC))]
    lost.assign(partitions)
    lost.commit({tp: OffsetAndMetadata(50, "", -1) for tp in partitions})
    lost.close(autocommit=False)
    assert set(offsets(settings.kafka_bootstrap_servers, group, TOPIC).values()) == {50}

    seen: list[str] = []
    running = run({"match.failed": lambda e, uow: seen.append(e.subject)})
    poll(lambda: sorted(seen) == ["a", "b", "c"], timeout=60)
    running.stop()
    assert 3 in offsets(settings.kafka_bootstrap_servers, group, TOPIC).values()   # back on the log's own scale


def test_a_batch_preparer_sees_a_polls_events_before_any_is_handled_and_each_is_opened_once(settings, run):
    """Matching ranks a poll's requests together this way (issue #21). The events handed to
    the preparer are the very ones then handled (opened once); poison in the batch still
    goes to the DLQ; each event is handled once."""
    events = [failed_event(f"r{i}") for i in range(6)]
    send(settings.kafka_bootstrap_servers, *(serialize(e) for e in events[:3]), b"{not json",
         *(serialize(e) for e in events[3:]))
    log: list[tuple[str, object]] = []
    running = run({"match.failed": lambda e, uow: log.append(("handled", e))},
                  BatchPreparer(frozenset({"match.failed"}), lambda batch: log.extend(("prepared", e) for e in batch)))
    poll(lambda: sum(kind == "handled" for kind, _ in log) == len(events), timeout=30)
    handled = [e for kind, e in log if kind == "handled"]
    assert sorted(e.id for e in handled) == sorted(e.id for e in events)
    for event in handled:
        prepared_at = next(i for i, (kind, e) in enumerate(log) if kind == "prepared" and e is event)
        assert prepared_at < log.index(("handled", event))
    assert read_topic(settings.kafka_bootstrap_servers, TOPIC + ".dlq", expect=1)[0].value == b"{not json"
    assert running.consumer.stats.dead_lettered == 1


def test_a_preparer_that_fails_changes_nothing_each_event_is_handled_on_its_own(settings, run):
    events = [failed_event(f"r{i}") for i in range(3)]
    send(settings.kafka_bootstrap_servers, *(serialize(e) for e in events))
    handled = []

    def broken(batch):
        raise RuntimeError("a bug in a cache")
    running = run({"match.failed": lambda e, uow: handled.append(e.id)},
                  BatchPreparer(frozenset({"match.failed"}), broken))
    poll(lambda: len(handled) == len(events), timeout=30)
    assert sorted(handled) == sorted(e.id for e in events)
    assert running.consumer.stats.dead_lettered == 0


def test_after_a_record_on_the_erasures_topic_events_opened_in_advance_are_opened_again(settings, redis_client):
    """An erasure destroys the person's key before its event is read: an event opened at the
    start of the batch and handled after the erasure's record must be opened again (its
    sealed words would then read as erased), not taken from the preparer's copy."""
    from types import SimpleNamespace

    from shared.contracts import topic_for
    runtime = build_runtime(settings, "testsvc", redis_client)
    handled, prepared = [], []
    consumer = build_consumer(runtime, {"match.failed": lambda e, uow: handled.append(e),
                                        "person.erasure_requested": lambda e, uow: handled.append(e)},
                              preparer=BatchPreparer(frozenset({"match.failed"}), prepared.extend))
    before, after = failed_event("r-before"), failed_event("r-after")
    erasure = make_event("person.erasure_requested", "p1",
                         {"person_id": "p1", "role": "trainee", "requested_by": "self"}, "tests")

    def record(topic, partition, event):
        return SimpleNamespace(topic=topic, partition=partition, offset=0, key=b"k", value=serialize(event),
                               headers=[], timestamp=0)
    # Partitions are handled in the batch's order: this one puts the erasure between the two.
    batch = {("twoshot.match", 0): [record(TOPIC, 0, before)],
             ("twoshot.person", 0): [record(topic_for("person.erasure_requested"), 0, erasure)],
             ("twoshot.match", 1): [record(TOPIC, 1, after)]}
    consumer._handle_batch(SimpleNamespace(seek=lambda *a: None), batch)
    assert [e.id for e in prepared] == [before.id, after.id]
    assert [e.id for e in handled] == [before.id, erasure.id, after.id]
    assert handled[0] is prepared[0]               # opened once, before the erasure
    assert handled[2] is not prepared[1]           # opened again after it
    runtime.close()


def test_an_event_another_thread_stages_in_the_outbox_is_published_by_the_loops_sweep(settings, run, redis_client):
    """The mail senders stage ``notification.sent`` outside any handler: no handler asks for
    a relay, and the loop's sweep still publishes it."""
    running = run({"match.failed": lambda e, uow: None})   # its runtime's own relay thread never starts
    staged = failed_event("from-another-thread")
    pipe = redis_client.pipeline(transaction=True)
    running.runtime.outbox.stage(pipe, staged)
    pipe.execute()
    records = read_topic(settings.kafka_bootstrap_servers, TOPIC, expect=1, timeout=30)
    assert [json.loads(r.value)["id"] for r in records] == [staged.id]
    poll(lambda: running.runtime.outbox.pending() == 0, timeout=10)
