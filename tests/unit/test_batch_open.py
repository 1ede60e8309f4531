"""A poll's batch is opened with one read of the key store: the keys of every sealed
field of the records this worker handles, fetched together, not one round trip an
event. An erasure in the batch drops what was opened ahead, so what follows it is
opened with the keys as they are then (blank for the person just erased)."""
from types import SimpleNamespace

from shared.config import StackSettings
from shared.consumer import EventConsumer
from shared.contracts import topic_for
from shared.events import make_event, serialize
from shared.privacy import NS, KeyRing, Sealer
from tests.unit.test_privacy import FakeRedis, person


class CountingRedis(FakeRedis):
    def __init__(self):
        super().__init__()
        self.key_reads = 0

    def hmget(self, name, keys):
        self.key_reads += 1
        return super().hmget(name, keys)


def requested(n: int):
    return make_event("mentorship.requested", f"r{n}", {
        "request_id": f"r{n}", "trainee": person(f"t{n}", f"Trainee {n}", f"t{n}@example.org"),
        "discipline": "sound", "focus_skills": ["boom operation"], "goals": "Clean dialogue"}, "intake")


def erasure(person_id: str):
    return make_event("person.erasure_requested", person_id, {
        "person_id": person_id, "role": "trainee", "request_ids": [], "requested_by": "self"}, "intake")


def batch_of(events, sealer):
    """The batch as a poll returns it: partition → its records, offsets in order."""
    records = [SimpleNamespace(value=serialize(e, sealer), headers=[], topic=topic_for(e.type), partition=0,
                               offset=i, key=e.subject.encode()) for i, e in enumerate(events)]
    out: dict = {}
    for r in records:
        out.setdefault((r.topic, r.partition), []).append(r)
    return out


def consumer(sealer):
    handled = []
    c = EventConsumer(settings=StackSettings(), group_id="g",
                      handlers=dict.fromkeys(("mentorship.requested", "person.erasure_requested"), lambda e, u: None),
                      redis=None, outbox=None, consumer_factory=lambda listener: None, producer=None, sealer=sealer)
    c._handle = lambda record, event, handler, key: handled.append(event)
    return c, handled


def test_a_batch_of_sealed_events_is_opened_with_one_read_of_the_key_store():
    redis = CountingRedis()
    sealer = Sealer(KeyRing(redis))
    batch = batch_of([requested(n) for n in range(5)], sealer)
    c, handled = consumer(sealer)
    c._open_ahead(batch)
    for records in batch.values():
        for r in records:
            c.process(r)
    assert redis.key_reads == 1
    assert [e.data["trainee"]["name"] for e in handled] == [f"Trainee {n}" for n in range(5)]


def test_after_an_erasure_in_the_batch_what_follows_is_opened_with_the_keys_as_they_are_then():
    redis = CountingRedis()
    sealer = Sealer(KeyRing(redis))
    events = [requested(1), erasure("t2"), requested(2)]
    batch = batch_of(events, sealer)
    c, handled = consumer(sealer)
    c._open_ahead(batch)
    redis.hdel(NS, "t2")                        # the key is destroyed after the batch was opened
    first, second = batch[(topic_for("mentorship.requested"), 0)]
    (erased,) = batch[(topic_for("person.erasure_requested"), 0)]
    for r in (first, erased, second):
        c.process(r)
    names = [e.data["trainee"]["name"] for e in handled if e.type == "mentorship.requested"]
    assert names == ["Trainee 1", "—"]          # not opened with the key read before the erasure
    assert redis.key_reads == 2


def test_without_an_erasure_a_key_read_ahead_opens_the_event():
    """The converse of the test above: what keeps the name out is the erasure record."""
    redis = CountingRedis()
    sealer = Sealer(KeyRing(redis))
    batch = batch_of([requested(1), requested(2)], sealer)
    c, handled = consumer(sealer)
    c._open_ahead(batch)
    redis.hdel(NS, "t2")
    for r in batch[(topic_for("mentorship.requested"), 0)]:
        c.process(r)
    assert [e.data["trainee"]["name"] for e in handled] == ["Trainee 1", "Trainee 2"]


def test_every_record_of_a_batch_is_parsed_once_handled_or_not(monkeypatch):
    from shared import consumer as consumer_module
    parsed = []
    real = consumer_module.parse
    monkeypatch.setattr(consumer_module, "parse", lambda raw: parsed.append(raw) or real(raw))
    sealer = Sealer(KeyRing(CountingRedis()))
    not_handled = make_event("match.failed", "r9", {"request_id": "r9", "reason": "none left"}, "matching")
    batch = batch_of([requested(1), requested(2), not_handled], sealer)
    c, handled = consumer(sealer)
    c._open_ahead(batch)
    for records in batch.values():
        for r in records:
            c.process(r)
    assert len(parsed) == 3 and len(handled) == 2
