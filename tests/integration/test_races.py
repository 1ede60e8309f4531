"""Copies of one worker side by side, on real Redis: of two units claiming the same thing
(a mentor's last place, a waiting request, a person's time, a request's timeline, a
cohort, a key), exactly one wins, and nothing the loser read is lost.

Most tests fix the interleaving that loses without a claim: unit A reads and decides,
unit B (another replica) commits, then A commits and must be refused, and its retry must
see B's change. The threaded tests then run several consumers at once through the real
consumer loop (``EventConsumer.process``), as three replicas of a worker would."""
from __future__ import annotations

import itertools
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
import redis
import time_machine

from services.intake.bootstrap import bootstrap as intake_bootstrap
from services.intake.domain import MentorshipRequest, Person
from services.intake.handlers import record_progress
from services.matching import handlers as matching_handlers
from services.matching.bootstrap import bootstrap as matching_bootstrap
from services.sessions import handlers as sessions_handlers
from services.sessions.bootstrap import bootstrap as sessions_bootstrap
from services.sessions.domain import SLOT_TAKEN, SessionError
from shared.config import StackSettings
from shared.consumer import EventConsumer
from shared.events import make_event, serialize
from shared.privacy import NS as KEYRING
from shared.privacy import KeyRing

pytestmark = pytest.mark.integration

ALWAYS = [{"day": d, "start": "00:00", "end": "24:00"} for d in range(7)]


def person(pid: str, windows=ALWAYS, tz: str = "UTC") -> dict:
    return {"id": pid, "name": pid.title(), "email": f"{pid}@example.org", "country": "GH", "region": "West Africa",
            "timezone": tz, "languages": ["en"], "availability": windows, "locale": "en"}


def mentor_registered(mentor_id: str, capacity: int):
    return make_event("profile.mentor_registered", mentor_id, {
        "mentor": person(mentor_id), "skills": [{"name": "boom operation", "level": 4}], "disciplines": ["sound"],
        "bio": "", "monthly_capacity": capacity}, "tests")


def requested(request_id: str, windows=ALWAYS):
    return make_event("mentorship.requested", request_id, {
        "request_id": request_id, "trainee": person(f"t-{request_id}", windows), "discipline": "sound",
        "focus_skills": ["boom operation"], "goals": "Clean dialogue outdoors"}, "tests")


def proposed(request_id: str, mentor_id: str, windows=ALWAYS):
    return make_event("match.proposed", request_id, {
        "request_id": request_id, "match_id": f"match-{request_id}", "attempt": 1,
        "trainee": person(f"t-{request_id}", windows), "mentor": person(mentor_id, windows), "discipline": "sound",
        "score": 0.9, "breakdown": {"skill": 0.9}, "weights_version": 0, "next_candidates": [],
        "focus_skills": ["boom operation"], "goals": "Clean dialogue", "reel_url": ""}, "matching")


@pytest.fixture
def env(infra, redis_client) -> StackSettings:
    return StackSettings.from_env(infra.env(), handler_backoff_s=0.01)


_STARTED: list = []


@pytest.fixture(autouse=True)
def _close_runtimes():
    yield
    while _STARTED:
        _STARTED.pop().runtime.close()


def replicas(make, settings: StackSettings, count: int) -> list:
    """``count`` copies of a service's composition root, each with its own connections
    and in-memory state, as separate worker processes have."""
    made = [make(settings) for _ in range(count)]
    _STARTED.extend(made)
    return made


def handle(service, handlers_of, event, commit: bool = True):
    """Run ``event``'s handler in a fresh unit; commit it unless told not to."""
    uow = service.runtime.unit_of_work()
    handlers_of(service)[event.type](event, uow)
    if commit:
        uow.commit()
    return uow


def load_of(redis_client, mentor_id: str) -> int:
    return sum(int(redis_client.hget(key, mentor_id) or 0) for key in redis_client.scan_iter("matching:load:*"))


# --- matching -------------------------------------------------------------------------

def test_two_replicas_cannot_both_take_a_mentors_last_place(env, redis_client):
    a, b = replicas(matching_bootstrap, env, 2)
    handle(a, matching_handlers.event_handlers, mentor_registered("m1", capacity=1))
    slow = handle(a, matching_handlers.event_handlers, requested("r1"), commit=False)   # ranked m1, not stored
    handle(b, matching_handlers.event_handlers, requested("r2"))                        # m1's place taken
    with pytest.raises(redis.WatchError):
        slow.commit()
    assert load_of(redis_client, "m1") == 1
    # Run again on fresh reads, r1 finds m1 full and waits for a mentor instead.
    handle(a, matching_handlers.event_handlers, requested("r1"))
    assert a.repository.get_request("r1").current_mentor is None
    assert load_of(redis_client, "m1") == 1


def test_a_waiting_request_gets_one_proposal_when_two_mentors_arrive_at_once(env, redis_client):
    a, b = replicas(matching_bootstrap, env, 2)
    handle(a, matching_handlers.event_handlers, requested("r1"))          # nobody yet: it waits
    assert a.repository.waiting(10) == ["r1"]
    slow = handle(a, matching_handlers.event_handlers, mentor_registered("m1", 3), commit=False)
    handle(b, matching_handlers.event_handlers, mentor_registered("m2", 3))
    with pytest.raises(redis.WatchError):
        slow.commit()
    handle(a, matching_handlers.event_handlers, mentor_registered("m1", 3))
    assert len(a.repository.proposals("r1")) == 1
    assert load_of(redis_client, "m1") + load_of(redis_client, "m2") == 1


def test_a_new_mentor_is_offered_the_waiting_list_until_their_places_are_taken(env, redis_client):
    """Oldest first, and no further: the rest of the list keeps its order. (Ranking the
    whole list at every new profile kept the transaction so long that three workers
    welcoming mentors at once kept refusing each other past the poll interval.)"""
    (service,) = replicas(matching_bootstrap, env, 1)
    half_an_hour = [{"day": 1, "start": "10:00", "end": "10:30"}]     # shorter than any session
    in_portuguese = requested("rx")
    in_portuguese.data["trainee"]["languages"] = ["pt"]                # not m1's language: not looked at
    for event in (requested("r1", half_an_hour), in_portuguese, requested("r2"), requested("r3")):
        handle(service, matching_handlers.event_handlers, event)
    assert service.repository.waiting(10) == ["r1", "rx", "r2", "r3"]
    handle(service, matching_handlers.event_handlers, mentor_registered("m1", capacity=1))
    assert [p["mentor"]["id"] for p in service.repository.proposals("r2")] == ["m1"]
    # r1, tried and not served (no time in common), kept its place ahead of those who came later.
    assert service.repository.waiting(10) == ["r1", "rx", "r3"]
    assert service.repository.proposals("r1") == service.repository.proposals("r3") == []


def test_the_mentor_change_feed_never_skips_a_profile_committed_late(env, redis_client):
    a, b, reader = replicas(matching_bootstrap, env, 3)
    slow = a.runtime.unit_of_work()
    a.repository.save_mentor(slow.pipe, mentor_profile("m-late"))
    fast = b.runtime.unit_of_work()
    b.repository.save_mentor(fast.pipe, mentor_profile("m-early"))
    fast.commit()
    reader.directory.refresh()
    assert "m-early" in reader.directory.pool.row_of
    slow.commit()
    reader.directory.refresh()
    assert "m-late" in reader.directory.pool.row_of


def mentor_profile(mentor_id: str):
    from services.matching.domain import MentorProfile
    return MentorProfile(id=mentor_id, person=person(mentor_id), skills=[{"name": "lenses", "level": 3}],
                         disciplines=["camera"], bio="", monthly_capacity=2)


@dataclass
class Record:
    """What the consumer loop reads of a Kafka record."""
    topic: str
    value: bytes
    partition: int = 0
    offset: int = 0
    timestamp: int = 0
    key: bytes | None = None
    headers: list | None = None


def consumer_for(service, handlers_of, group: str) -> EventConsumer:
    runtime = service.runtime
    return EventConsumer(runtime.settings, group, handlers_of(service), runtime.redis, runtime.outbox,
                         consumer_factory=lambda listener: None, producer=runtime.producer, sealer=runtime.sealer)


def run_together(consumers: list[EventConsumer], events: list) -> None:
    """Each consumer takes every n-th event; all of them at once, in threads."""
    def work(index: int):
        for event in events[index::len(consumers)]:
            consumers[index].process(Record(event.topic, serialize(event, consumers[index].sealer)))
    with ThreadPoolExecutor(len(consumers)) as pool:
        list(pool.map(work, range(len(consumers))))


def test_three_matching_consumers_at_once_never_go_over_capacity(env, redis_client):
    services = replicas(matching_bootstrap, env, 3)
    consumers = [consumer_for(s, matching_handlers.event_handlers, "twoshot-matching") for s in services]
    run_together(consumers, [mentor_registered(f"m{i}", capacity=2) for i in range(6)])
    run_together(consumers, [requested(f"r{i}") for i in range(30)])
    loads = {f"m{i}": load_of(redis_client, f"m{i}") for i in range(6)}
    assert max(loads.values()) <= 2, loads
    assert sum(loads.values()) == 12            # every place taken, none twice
    proposals = [len(services[0].repository.proposals(f"r{i}")) for i in range(30)]
    assert sorted(proposals) == [0] * 18 + [1] * 12
    assert sum(c.stats.handled for c in consumers) == 36


def declined(request_id: str, mentor_id: str):
    return make_event("session.declined", f"s-{request_id}", {
        "session_id": f"s-{request_id}", "request_id": request_id, "mentor_id": mentor_id, "reason": ""}, "sessions")


def current_mentor(service, request_id: str) -> str | None:
    proposals = service.repository.proposals(request_id)
    return proposals[-1]["mentor"]["id"] if proposals else None


def test_a_place_freed_by_a_decline_goes_to_who_waited_longest(env, redis_client):
    """Before, only a new mentor's profile looked at the waiting list: a place freed by a
    decline stayed empty while requests waited for ever."""
    (service,) = replicas(matching_bootstrap, env, 1)
    handle(service, matching_handlers.event_handlers, mentor_registered("m1", capacity=1))
    for request_id in ("r1", "r2", "r3"):
        handle(service, matching_handlers.event_handlers, requested(request_id))
    assert current_mentor(service, "r1") == "m1" and service.repository.waiting(10) == ["r2", "r3"]
    handle(service, matching_handlers.event_handlers, declined("r1", "m1"))
    assert [p["mentor"]["id"] for p in service.repository.proposals("r2")] == ["m1"]
    assert load_of(redis_client, "m1") == 1                     # the freed place, taken once
    # r1 has no one left to try and waits behind r3, who keeps their place.
    assert service.repository.waiting(10) == ["r3", "r1"]


def _mentorship(request_id: str, mentor_id: str, kind: str, **more):
    data = {"mentorship_id": f"pair-{request_id}", "request_id": request_id, "mentor": person(mentor_id),
            "trainee": person(f"t-{request_id}"), "discipline": "sound", "started_at": "2031-01-20T10:00:00+00:00",
            "term_ends_at": "2031-07-20T10:00:00+00:00", **more}
    return make_event(kind, f"pair-{request_id}", data, "sessions")


def _pair_from_january(service) -> None:
    """m1 (one place a month) and r1 paired in January: in February the pair takes m1's place."""
    with time_machine.travel("2031-01-20 10:00:00+00:00", tick=False):
        handle(service, matching_handlers.event_handlers, mentor_registered("m1", capacity=1))
        handle(service, matching_handlers.event_handlers, requested("r1"))
        handle(service, matching_handlers.event_handlers, _mentorship("r1", "m1", "mentorship.started"))


def test_a_place_a_mentorship_frees_by_ending_goes_to_who_waited_longest(env, redis_client):
    """A pair from an earlier month counts against this month's capacity; when it ends,
    the place goes to the waiting list (before, only declines and new mentors looked at
    it, and a trainee could wait for a place that was already free)."""
    (service,) = replicas(matching_bootstrap, env, 1)
    _pair_from_january(service)
    with time_machine.travel("2031-02-03 10:00:00+00:00", tick=False):
        handle(service, matching_handlers.event_handlers, requested("r2"))
        assert service.repository.waiting(10) == ["r2"], "m1's one place is the pair's, carried into February"
        handle(service, matching_handlers.event_handlers, _mentorship(
            "r1", "m1", "mentorship.ended", by="trainee", ended_at="2031-02-03T10:00:00+00:00"))
        assert current_mentor(service, "r2") == "m1" and service.repository.waiting(10) == []
        assert service.repository.active_load("2031-02").get("m1") == 1      # the freed place, taken once
        # The same end again (a replay under a new id) frees nothing more.
        handle(service, matching_handlers.event_handlers, requested("r3"))
        handle(service, matching_handlers.event_handlers, _mentorship(
            "r1", "m1", "mentorship.ended", by="trainee", ended_at="2031-02-03T10:00:00+00:00"))
        assert service.repository.waiting(10) == ["r3"] and service.repository.active_load("2031-02")["m1"] == 1


def test_one_end_delivered_to_three_consumers_at_once_frees_one_place(env, redis_client):
    """The same end under three ids (a replay), on three consumers at once: the pair's
    month is read under a watch, so its place is freed, and taken, once."""
    services = replicas(matching_bootstrap, env, 3)
    consumers = [consumer_for(s, matching_handlers.event_handlers, "twoshot-matching") for s in services]
    with time_machine.travel("2031-01-20 10:00:00+00:00", tick=False):
        run_together(consumers, [mentor_registered("m1", capacity=1)])
        run_together(consumers, [requested("r1")])
        run_together(consumers, [_mentorship("r1", "m1", "mentorship.started")])
    with time_machine.travel("2031-02-03 10:00:00+00:00", tick=False):
        run_together(consumers, [requested(f"w{i}") for i in range(3)])
        run_together(consumers, [_mentorship("r1", "m1", "mentorship.ended", by="trainee",
                                             ended_at="2031-02-03T10:00:00+00:00") for _ in range(3)])
        assert services[0].repository.active_load("2031-02")["m1"] == 1
        assert sum(current_mentor(services[0], f"w{i}") == "m1" for i in range(3)) == 1
        assert len(services[0].repository.waiting(10)) == 2


def test_of_two_copies_ending_one_pair_at_once_only_one_frees_its_place(env, redis_client):
    a, b = replicas(matching_bootstrap, env, 2)
    _pair_from_january(a)
    with time_machine.travel("2031-02-03 10:00:00+00:00", tick=False):
        handle(a, matching_handlers.event_handlers, requested("w1"))
        handle(a, matching_handlers.event_handlers, requested("w2"))
        end = {"by": "trainee", "ended_at": "2031-02-03T10:00:00+00:00"}
        slow = handle(a, matching_handlers.event_handlers, _mentorship("r1", "m1", "mentorship.ended", **end),
                      commit=False)                                           # read the pair, freed its place
        handle(b, matching_handlers.event_handlers, _mentorship("r1", "m1", "mentorship.ended", **end))
        with pytest.raises(redis.WatchError):
            slow.commit()
        slow.discard()
        assert a.repository.active_load("2031-02")["m1"] == 1 and len(a.repository.waiting(10)) == 1


def test_the_pairs_month_read_alone_guards_the_end(env, redis_client):
    """The watch on the mentor's pairs by itself refuses the commit: nothing else the end
    read is touched, only the pair taken off the list (as the other copy's end does)."""
    (a,) = replicas(matching_bootstrap, env, 1)
    _pair_from_january(a)
    with time_machine.travel("2031-02-03 10:00:00+00:00", tick=False):
        handle(a, matching_handlers.event_handlers, requested("w1"))
        slow = handle(a, matching_handlers.event_handlers, _mentorship(
            "r1", "m1", "mentorship.ended", by="trainee", ended_at="2031-02-03T10:00:00+00:00"), commit=False)
        assert redis_client.hdel("matching:pairs:m1", "pair-r1") == 1
        with pytest.raises(redis.WatchError):
            slow.commit()
        slow.discard()


def test_a_mentorship_ending_in_its_first_month_frees_no_place_this_month(env, redis_client):
    (service,) = replicas(matching_bootstrap, env, 1)
    _pair_from_january(service)
    with time_machine.travel("2031-01-25 10:00:00+00:00", tick=False):
        handle(service, matching_handlers.event_handlers, requested("r2"))
        handle(service, matching_handlers.event_handlers, _mentorship(
            "r1", "m1", "mentorship.ended", by="mentor", ended_at="2031-01-25T10:00:00+00:00"))
        # January's place was the proposal's, and a proposal made stays made.
        assert service.repository.waiting(10) == ["r2"] and current_mentor(service, "r2") is None


def test_places_freed_on_three_consumers_at_once_go_to_different_waiting_requests(env, redis_client):
    services = replicas(matching_bootstrap, env, 3)
    consumers = [consumer_for(s, matching_handlers.event_handlers, "twoshot-matching") for s in services]
    run_together(consumers, [mentor_registered(f"m{i}", capacity=1) for i in range(3)])
    run_together(consumers, [requested(f"r{i}") for i in range(9)])
    first = {f"r{i}": current_mentor(services[0], f"r{i}") for i in range(9)}
    proposed_to = {r: m for r, m in first.items() if m}
    assert len(proposed_to) == 3 and len(services[0].repository.waiting(20)) == 6
    run_together(consumers, [declined(r, m) for r, m in proposed_to.items()])
    loads = {f"m{i}": load_of(redis_client, f"m{i}") for i in range(3)}
    assert loads == {"m0": 1, "m1": 1, "m2": 1}, loads            # each freed place taken once, none twice
    now_proposed = [r for r in first if r not in proposed_to and current_mentor(services[0], r)]
    assert len(now_proposed) == 3
    # Each declined request went to another mentor or back to the list: 3 proposals, never two at once.
    assert all(len({p["mentor"]["id"] for p in services[0].repository.proposals(r)}) == len(
        services[0].repository.proposals(r)) for r in first)


# --- sessions -------------------------------------------------------------------------

def one_hour_a_week():
    """A single weekly hour, so two sessions with one mentor can only collide."""
    return [{"day": 2, "start": "10:00", "end": "11:00"}, {"day": 4, "start": "10:00", "end": "11:00"}]


def booked(redis_client, mentor_id: str) -> list[tuple[str, str]]:
    return sorted(tuple(v.split("|")) for v in redis_client.hgetall(f"sessions:mentor:{mentor_id}:booked").values())


def test_two_replicas_cannot_invite_one_mentor_for_the_same_time(env, redis_client):
    a, b = replicas(sessions_bootstrap, env, 2)
    windows = one_hour_a_week()
    slow = handle(a, sessions_handlers.event_handlers, proposed("r1", "m1", windows), commit=False)
    handle(b, sessions_handlers.event_handlers, proposed("r2", "m1", windows))
    with pytest.raises(redis.WatchError):
        slow.commit()
    handle(a, sessions_handlers.event_handlers, proposed("r1", "m1", windows))
    first, second = booked(redis_client, "m1")
    assert first[1] <= second[0], "one mentor held twice for the same time"


def test_three_sessions_consumers_at_once_never_double_book_a_mentor_or_a_trainee(env, redis_client):
    services = replicas(sessions_bootstrap, env, 3)
    consumers = [consumer_for(s, sessions_handlers.event_handlers, "twoshot-sessions") for s in services]
    windows = one_hour_a_week()
    # Four mentors, each asked for by six trainees at once; each trainee also asked twice
    # (two mentors), so trainees' calendars are contended too.
    events = [proposed(f"r{m}-{t}", f"m{m}", windows) for m in range(4) for t in range(6)]
    events += [proposed(f"r{(m + 1) % 4}-{t}", f"m{m}", windows) for m in range(4) for t in range(2)]
    for e in events[24:]:      # the second ask is the same trainee as the first
        e.data["match_id"] += "-again"
    run_together(consumers, events)
    for role in ("mentor", "trainee"):
        for key in redis_client.scan_iter(f"sessions:{role}:*:booked"):
            times = sorted(tuple(v.split("|")) for v in redis_client.hgetall(key).values())
            for (s1, e1), (s2, e2) in itertools.pairwise(times):
                assert e1 <= s2, f"{key} double-booked: {s1}–{e1} and {s2}–{e2}"
    assert sum(c.stats.handled for c in consumers) == len(events)


def test_a_time_another_session_just_took_is_refused_with_a_clear_message(env, redis_client):
    [sessions] = replicas(sessions_bootstrap, env, 1)
    handle(sessions, sessions_handlers.event_handlers, proposed("r1", "m1"))
    handle(sessions, sessions_handlers.event_handlers, proposed("r2", "m1"))
    first, second = (sessions.repository.get(k.split(":")[-1])
                     for k in sorted(redis_client.scan_iter("sessions:session:*")))
    # Both mentors' pages offered the same free time; the first to answer holds it.
    wanted = sessions_handlers.slot_choices(sessions, first)[0][0].isoformat()
    assert wanted in {s[0].isoformat() for s in sessions_handlers.slot_choices(sessions, second)}
    token = lambda s: sessions.links.sign("mentor:propose", s.id)  # noqa: E731
    sessions_handlers.act(sessions, first.id, "mentor", "propose", token(first), {"start": wanted})
    with pytest.raises(SessionError) as refused:
        sessions_handlers.act(sessions, second.id, "mentor", "propose", token(second), {"start": wanted})
    assert refused.value.code == SLOT_TAKEN
    assert sessions.repository.get(second.id).state == "invited"     # nothing changed for the loser


# --- intake, a cohort, the key ring, the processed mark -----------------------------------

def test_two_services_reports_of_one_erasure_handled_at_once_both_stay(env, redis_client):
    """Two intake workers record two services' ``person.forgotten`` at once (a partition
    handed over in a rebalance): the erasure's record is read for update, so the slower
    one stores nothing, runs again on the fresh record, and both reports stay."""
    from services.intake import erasures
    a, b = replicas(intake_bootstrap, env, 2)
    erasures.request_erasure(a, "t-gone", "trainee", "self")

    def report(service: str):
        return make_event("person.forgotten", "t-gone",
                          {"person_id": "t-gone", "service": service, "removed": 0}, service)
    slow = a.runtime.unit_of_work()
    erasures.on_person_forgotten(a, report("matching"), slow)
    fast = b.runtime.unit_of_work()
    erasures.on_person_forgotten(b, report("sessions"), fast)
    fast.commit()
    with pytest.raises(redis.WatchError):
        slow.commit()
    again = a.runtime.unit_of_work()
    erasures.on_person_forgotten(a, report("matching"), again)
    again.commit()
    assert set(a.repository.erasure("t-gone")["forgotten"]) == {"matching", "sessions"}


def test_two_steps_recorded_at_once_both_stay_on_the_timeline(env, redis_client):
    a, b = replicas(intake_bootstrap, env, 2)
    request = MentorshipRequest(id="req1", trainee=Person(**person("t-req1")), discipline="sound",
                                focus_skills=["boom operation"], goals="Clean dialogue", reel_url="", equity=None,
                                created_at="2027-03-01T10:00:00+00:00")
    uow = a.runtime.unit_of_work()
    a.repository.save_request(uow.pipe, request)
    uow.commit()
    invited = make_event("session.invited", "s1", invited_data(request.id), "sessions")
    matched = make_event("match.proposed", request.id, proposed(request.id, "m1").data, "matching")
    slow = a.runtime.unit_of_work()
    record_progress(a, invited, slow)
    fast = b.runtime.unit_of_work()
    record_progress(b, matched, fast)
    fast.commit()
    with pytest.raises(redis.WatchError):
        slow.commit()
    again = a.runtime.unit_of_work()
    record_progress(a, invited, again)
    again.commit()
    steps = [entry.step for entry in a.repository.get_request(request.id).timeline]
    assert "matched" in steps and "invited" in steps, steps


def invited_data(request_id: str) -> dict:
    d = proposed(request_id, "m1").data
    return {"session_id": "s1", "request_id": request_id, "match_id": d["match_id"], "mentor": d["mentor"],
            "trainee": d["trainee"], "discipline": "sound", "start": "2027-03-10T10:00:00+00:00",
            "end": "2027-03-10T11:00:00+00:00", "video_url": "https://meet.example/x", "sequence": 0,
            "links": {}, "accept_url": "https://x/a", "decline_url": "https://x/d",
            "expires_at": "2027-03-08T10:00:00+00:00"}


def test_a_cohort_is_confirmed_once_however_many_confirm_it_at_once(env, redis_client):
    from services.matching import admin
    from shared.staff import StaffMember
    services = replicas(matching_bootstrap, env, 4)
    for i in range(3):
        handle(services[0], matching_handlers.event_handlers, mentor_registered(f"m{i}", capacity=3))
    for i in range(6):
        event = requested(f"c{i}")
        event.data["cohort"] = "ACCRA-2026"
        handle(services[0], matching_handlers.event_handlers, event)
    staff = StaffMember(id="s1", name="Ana", role="editor")
    draft = admin.create_cohort(services[0], staff, services[0].repository.held_for_cohort("ACCRA-2026"), k=3)
    outcomes: list[str] = []
    barrier = threading.Barrier(len(services))

    def confirm(service):
        barrier.wait()
        try:
            admin.confirm_cohort(service, staff, draft["id"], "opening day")
            outcomes.append("confirmed")
        except admin.Conflict:
            outcomes.append("refused")
    with ThreadPoolExecutor(len(services)) as pool:
        list(pool.map(confirm, services))
    assert sorted(outcomes) == ["confirmed"] + ["refused"] * (len(services) - 1)
    proposals = sum(len(services[0].repository.proposals(f"c{i}")) for i in range(6))
    assert proposals == len(draft["assignments"]) > 0


class EraseAfterAnyCheck:
    """A Redis client on which the person is erased right after any check of their
    tombstone: the moment the old two-call key ring (check, then create) let a fresh key
    slip in after an erasure."""

    def __init__(self, client):
        self._client = client

    def exists(self, *keys):
        found = self._client.exists(*keys)
        KeyRing(self._client).destroy("p1")
        return found

    def __getattr__(self, name):
        return getattr(self._client, name)


def test_an_erased_person_never_gets_a_fresh_key(redis_client):
    KeyRing(EraseAfterAnyCheck(redis_client)).key("p1", create=True)
    erased = redis_client.exists(f"{KEYRING}:erased:p1")
    assert not (erased and redis_client.hexists(KEYRING, "p1")), "a key made after the erasure"
    KeyRing(redis_client).destroy("p1")
    assert KeyRing(redis_client).key("p1", create=True) is None


def test_the_key_ring_keeps_known_keys_makes_new_ones_and_none_for_the_erased_in_one_call(redis_client):
    ring = KeyRing(redis_client)
    known = ring.key("known", create=True)
    ring.key("gone", create=True)
    ring.destroy("gone")
    keys = ring.keys(["known", "new", "gone", "new"], create=True)
    assert keys["known"] == known and keys["gone"] is None and len(keys["new"] or b"") == 32
    assert ring.keys(["new", "gone"], create=False) == {"new": keys["new"], "gone": None}
    assert not redis_client.hexists(KEYRING, "gone")


def test_one_event_handled_by_two_copies_at_once_is_stored_once(env, redis_client):
    """A rebalance can hand a partition over while its old owner is mid-record."""
    services = replicas(matching_bootstrap, env, 2)
    barrier = threading.Barrier(2)

    def count(event, uow):
        barrier.wait(timeout=10)          # both past the processed check before either stores
        uow.pipe.incr("tests:handled")

    consumers = [consumer_for(s, matching_handlers.event_handlers, "twoshot-matching") for s in services]
    for c in consumers:
        c.handlers = {"match.failed": count}
    event = make_event("match.failed", "r1", {"request_id": "r1", "reason": "none"}, "tests")
    record = Record(event.topic, serialize(event))

    def work(c):
        try:
            c.process(record)
        except threading.BrokenBarrierError:
            pass
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(work, consumers))
    assert redis_client.get("tests:handled") == "1"
    assert sum(c.stats.handled for c in consumers) == 1
    assert sum(c.stats.duplicates for c in consumers) == 1
