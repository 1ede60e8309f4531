"""Sessions' state in Redis: sessions, each mentor's booked times, and timers."""
from __future__ import annotations

from datetime import datetime

from services.sessions.domain import Session
from services.sessions.mentorship import Mentorship
from shared import fastjson

NS = "sessions"
TIMER_KINDS = ("expire", "invite_reminder", "remind_24h", "remind_1h", "complete")
# A mentorship's timers share the schedule; their member is "<mentorship id>|<kind>".
MENTORSHIP_TIMER_KINDS = ("term_end", "nudge")


def session_key(session_id: str) -> str:
    return f"{NS}:session:{session_id}"


def mentorship_key(mentorship_id: str) -> str:
    return f"{NS}:mentorship:{mentorship_id}"


def mentorships_of_key(request_id: str) -> str:
    """The request's mentorships, oldest first: the trainee's history carries over to a new mentor."""
    return f"{NS}:request:{request_id}:mentorships"


def mentees_key(mentor_id: str) -> str:
    """A mentor's mentorships (ids), for their mentees page."""
    return f"{NS}:mentor:{mentor_id}:mentorships"


def calendar_key(role: str, person_id: str) -> str:
    """The times a person is held for, ``session id → "start|end"`` (an invite holds its
    time until it is answered, expires or is declined)."""
    return f"{NS}:{role}:{person_id}:booked"


def _times(calendars: list[dict], except_session: str | None = None) -> list[tuple[datetime, datetime]]:
    """The held times in ``calendars`` (``calendar_key`` hashes), but ``except_session``'s."""
    out = []
    for booked in calendars:
        for held, value in booked.items():
            if except_session and held.split(":", 1)[0] == except_session:
                continue   # the session's own time, and a new time it asked for
            start, end = value.split("|")
            out.append((datetime.fromisoformat(start), datetime.fromisoformat(end)))
    return out


class SessionRepository:
    def __init__(self, redis_client):
        self._redis = redis_client

    def get(self, session_id: str) -> Session | None:
        raw = self._redis.get(session_key(session_id))
        return Session(**fastjson.loads(raw)) if raw else None

    def save(self, pipe, session: Session) -> None:
        pipe.set(session_key(session.id), fastjson.dumps(session.to_dict()))

    def get_many(self, session_ids: list[str]) -> list[Session]:
        if not session_ids:
            return []
        raws = self._redis.mget([session_key(i) for i in session_ids])
        return [Session(**fastjson.loads(raw)) for raw in raws if raw]

    # mentorships ---------------------------------------------------------------------
    def get_mentorship(self, mentorship_id: str) -> Mentorship | None:
        raw = self._redis.get(mentorship_key(mentorship_id))
        return Mentorship(**fastjson.loads(raw)) if raw else None

    def save_mentorship(self, pipe, mentorship: Mentorship, new: bool = False) -> None:
        pipe.set(mentorship_key(mentorship.id), fastjson.dumps(mentorship.to_dict()))
        if new:
            pipe.rpush(mentorships_of_key(mentorship.request_id), mentorship.id)
            pipe.sadd(mentees_key(mentorship.mentor["id"]), mentorship.id)

    def mentorships_of_mentor(self, mentor_id: str) -> list[Mentorship]:
        ids = sorted(self._redis.smembers(mentees_key(mentor_id)))
        raws = self._redis.mget([mentorship_key(i) for i in ids]) if ids else []
        return [Mentorship(**fastjson.loads(raw)) for raw in raws if raw]

    def mentorships_of(self, request_id: str) -> list[Mentorship]:
        ids = self._redis.lrange(mentorships_of_key(request_id), 0, -1)
        raws = self._redis.mget([mentorship_key(i) for i in ids]) if ids else []
        return [Mentorship(**fastjson.loads(raw)) for raw in raws if raw]

    def mentorships_involving(self, person_id: str) -> list[Mentorship]:
        """Every mentorship with this person on either side."""
        return self._involving("mentorship", Mentorship, person_id)

    def involving(self, person_id: str) -> list[Session]:
        """Every session with this person on either side."""
        return self._involving("session", Session, person_id)

    def _involving(self, kind: str, record, person_id: str) -> list:
        """Every ``kind`` record with this person as mentor or trainee (a scan: erasures are rare)."""
        out = []
        for key in self._redis.scan_iter(match=f"{NS}:{kind}:*", count=500):
            raw = self._redis.get(key)
            if raw and person_id in raw:
                found = record(**fastjson.loads(raw))
                if person_id in (found.mentor.get("id"), found.trainee.get("id")):
                    out.append(found)
        return out

    def watch_calendars(self, uow, mentor_id: str, trainee_id: str) -> None:
        """Guard the reads of both people's booked times that follow (``UnitOfWork.watch``):
        of two workers booking the same person at once, exactly one commits."""
        uow.watch(calendar_key("mentor", mentor_id), calendar_key("trainee", trainee_id))

    def busy(self, mentor_id: str, trainee_id: str | None = None,
             except_session: str | None = None) -> list[tuple[datetime, datetime]]:
        """The times the mentor (and the trainee, if given) are booked, in any session."""
        pipe = self._redis.pipeline(transaction=False)
        pipe.hgetall(calendar_key("mentor", mentor_id))
        if trainee_id:
            pipe.hgetall(calendar_key("trainee", trainee_id))
        return _times(pipe.execute(), except_session)

    def busy_for_update(self, uow, mentor_id: str, trainee_id: str) -> list[tuple[datetime, datetime]]:
        """``watch_calendars`` and ``busy`` for both people, in one round trip."""
        keys = [calendar_key("mentor", mentor_id), calendar_key("trainee", trainee_id)]
        return _times(uow.read_for_update(keys, *(("HGETALL", key) for key in keys)))

    def book(self, pipe, session: Session, start: str = "", end: str = "") -> None:
        """Hold ``start``–``end`` (default: the session's time) in both people's calendars."""
        for calendar in _calendars(session):
            pipe.hset(calendar, session.id, f"{start or session.start}|{end or session.end}")

    def release(self, pipe, session: Session) -> None:
        """Let go of the session's time, and of a new time asked for it."""
        for calendar in _calendars(session):
            pipe.hdel(calendar, session.id, _move_hold(session))

    def hold_move(self, pipe, session: Session) -> None:
        """Hold the new time asked for, beside the session's own, until the other answers
        (asking again replaces it)."""
        for calendar in _calendars(session):
            pipe.hset(calendar, _move_hold(session), f"{session.move_start}|{session.move_end}")

    def release_move(self, pipe, session: Session) -> None:
        for calendar in _calendars(session):
            pipe.hdel(calendar, _move_hold(session))

    # timers: one per (session, kind); scheduling again moves it ---------------------
    def schedule(self, pipe, session_id: str, kind: str, due: datetime) -> None:
        pipe.zadd(f"{NS}:timers", {f"{session_id}|{kind}": due.timestamp()})

    def unschedule(self, pipe, session_id: str, *kinds: str) -> None:
        """Drop a session's timers (all of them unless ``kinds``); a mentorship's: name the kinds."""
        pipe.zrem(f"{NS}:timers", *[f"{session_id}|{k}" for k in (kinds or TIMER_KINDS)])

    def due_timers(self, now: datetime, limit: int = 200) -> list[tuple[str, str, float]]:
        """(session id, kind, when it was due) of timers due at ``now``, oldest first."""
        members = self._redis.zrangebyscore(f"{NS}:timers", "-inf", now.timestamp(), start=0, num=limit,
                                            withscores=True)
        return [(*m.split("|", 1), due) for m, due in members]

    def timers(self, session_id: str) -> dict[str, float]:
        return {k: s for k in (*TIMER_KINDS, *MENTORSHIP_TIMER_KINDS)
                if (s := self._redis.zscore(f"{NS}:timers", f"{session_id}|{k}")) is not None}


def _calendars(session: Session) -> tuple[str, str]:
    """Both people's calendars: the times each is held, by session."""
    return calendar_key("mentor", session.mentor["id"]), calendar_key("trainee", session.trainee["id"])


def _move_hold(session: Session) -> str:
    """A calendar's field for the new time a session asked for (its own is the session id)."""
    return f"{session.id}:move"
