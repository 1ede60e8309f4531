"""A new time asked for a confirmed session is held in both calendars beside the
session's own, on real Redis: others cannot book it, the session itself can, and it
goes when the ask is answered or when the session ends unanswered."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.sessions.bootstrap import bootstrap as sessions_bootstrap
from services.sessions.domain import CONFIRMED, Session
from services.sessions.handlers import run_due_timers
from services.sessions.outgoing import schedule_confirmed
from shared.config import StackSettings
from tests.integration.test_races import person, replicas

pytestmark = pytest.mark.integration

START = datetime(2031, 3, 4, 10, tzinfo=UTC)      # a fixed instant: no test reads today's date
ASKED = (START + timedelta(days=2), START + timedelta(days=2, hours=1))


@pytest.fixture
def sessions(infra, redis_client):
    [service] = replicas(sessions_bootstrap, StackSettings.from_env(infra.env(), handler_backoff_s=0.01), 1)
    return service


def _confirmed(sessions) -> Session:
    session = Session(id="s1", request_id="r1", match_id="m1", mentor=person("m1"), trainee=person("t1"),
                      discipline="camera", start=START.isoformat(), end=(START + timedelta(hours=1)).isoformat(),
                      video_url="v", state=CONFIRMED, sequence=0, invited_at=START.isoformat(),
                      expires_at=START.isoformat())
    uow = sessions.runtime.unit_of_work()
    sessions.repository.save(uow.pipe, session)
    sessions.repository.book(uow.pipe, session)
    schedule_confirmed(sessions, uow, session)
    uow.commit()
    return session


def _held(sessions, session, except_session=None) -> set[datetime]:
    return {a for a, _ in sessions.repository.busy(session.mentor["id"], session.trainee["id"], except_session)}


def _asked(sessions, by: str) -> Session:
    """A confirmed session whose ``by`` asked for ASKED, held as the service holds it."""
    session = _confirmed(sessions)
    session.ask_to_move(by, ASKED)
    uow = sessions.runtime.unit_of_work()
    sessions.repository.save(uow.pipe, session)
    sessions.repository.hold_move(uow.pipe, session)
    uow.commit()
    return session


def test_a_time_asked_for_is_held_for_others_and_released_when_answered(sessions):
    session = _asked(sessions, "trainee")
    assert _held(sessions, session) == {START, ASKED[0]}          # nobody else can book either
    assert _held(sessions, session, except_session="s1") == set()  # the session itself may take it
    uow = sessions.runtime.unit_of_work()
    sessions.repository.release_move(uow.pipe, session)
    uow.commit()
    assert _held(sessions, session) == {START}


def test_an_ask_nobody_answered_lets_its_time_go_when_the_session_ends(sessions):
    session = _asked(sessions, "mentor")
    run_due_timers(sessions, now=START + timedelta(hours=2))
    done = sessions.repository.get("s1")
    assert done.state == "completed" and done.move_by == ""
    assert ASKED[0] not in _held(sessions, session)
