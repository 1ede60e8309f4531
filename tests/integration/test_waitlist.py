"""Waiting requests ranked again on a timer (services/matching/waitlist.py), on real Redis
through matching's own handlers: a new month frees places with no event to say so."""
from __future__ import annotations

import pytest
import time_machine

from services.matching import handlers as matching_handlers
from services.matching.bootstrap import bootstrap as matching_bootstrap
from services.matching.waitlist import retry_round
from shared.config import StackSettings
from shared.events import make_event
from tests.conftest import poll
from tests.integration.test_races import current_mentor, handle, mentor_registered, person, replicas, requested

pytestmark = pytest.mark.integration


@pytest.fixture
def settings(infra, redis_client) -> StackSettings:
    """Redis only; a round every 0.2 s."""
    return StackSettings.from_env(infra.env(), handler_backoff_s=0.01, waitlist_retry_s=0.2)


def requested_in(request_id: str, language: str):
    trainee = {**person(f"t-{request_id}"), "languages": [language]}
    return make_event("mentorship.requested", request_id, {
        "request_id": request_id, "trainee": trainee, "discipline": "sound",
        "focus_skills": ["boom operation"], "goals": "Clean dialogue outdoors"}, "tests")


def next_round(service, size: int = 50):
    """The next interval's round (its claim expires: evidence, not a sleep)."""
    return poll(lambda: (n := retry_round(service, size)) is not None and (n,), timeout=10)[0]


def test_a_new_month_gives_the_waiting_trainee_the_place_its_start_freed(settings, redis_client):
    (service,) = replicas(matching_bootstrap, settings, 1)
    with time_machine.travel("2031-01-20 10:00:00+00:00", tick=False):
        handle(service, matching_handlers.event_handlers, mentor_registered("m1", capacity=1))
        handle(service, matching_handlers.event_handlers, requested("r1"))
        handle(service, matching_handlers.event_handlers, requested("r2"))
        assert service.repository.waiting(10) == ["r2"]
        assert next_round(service) == 0, "January's place is taken"
    with time_machine.travel("2031-02-01 00:00:05+00:00", tick=False):
        assert next_round(service) == 1
        assert current_mentor(service, "r2") == "m1" and service.repository.waiting(10) == []
        assert service.repository.active_load("2031-02")["m1"] == 1


def test_one_worker_runs_each_interval_round(settings, redis_client):
    a, b = replicas(matching_bootstrap, settings, 2)
    handle(a, matching_handlers.event_handlers, requested("r1"))      # nobody to propose: it waits
    assert next_round(a) == 0
    assert retry_round(b) is None, "this interval's round is taken"


def test_the_rounds_go_round_the_list_past_requests_nobody_can_serve(settings, redis_client):
    (service,) = replicas(matching_bootstrap, settings, 1)
    with time_machine.travel("2031-01-20 10:00:00+00:00", tick=False):
        handle(service, matching_handlers.event_handlers, mentor_registered("m1", capacity=1))
        handle(service, matching_handlers.event_handlers, requested("r1"))      # takes January's place
        for request_id in ("de1", "de2"):                                      # no mentor speaks German
            handle(service, matching_handlers.event_handlers, requested_in(request_id, "de"))
        handle(service, matching_handlers.event_handlers, requested("r2"))
        assert service.repository.waiting(10) == ["de1", "de2", "r2"]
    with time_machine.travel("2031-02-01 00:00:05+00:00", tick=False):
        assert next_round(service, size=2) == 0            # the two nobody can serve
        assert next_round(service, size=2) == 1            # then the next one, who gets m1
        assert current_mentor(service, "r2") == "m1"
        assert service.repository.waiting(10) == ["de1", "de2"]
        assert next_round(service, size=2) == 0            # round again from the head
