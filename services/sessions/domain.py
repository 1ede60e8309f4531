"""Critique sessions and finding a time for them. Pure: no Flask, Kafka or Redis."""
from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone

from shared.availability import Interval, Window, intersect, intervals_utc, subtract


class SessionError(Exception):
    """A request the session's state does not allow; ``code`` names it for the page."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


INVITED, CONFIRMED, DECLINED = "invited", "confirmed", "declined"


@dataclass
class Session:
    id: str
    request_id: str
    match_id: str
    mentor: dict
    trainee: dict
    discipline: str
    start: str          # ISO, UTC
    end: str
    video_url: str
    state: str
    sequence: int
    invited_at: str
    expires_at: str
    decline_reason: str = ""
    focus_skills: list = field(default_factory=list)
    goals: str = ""
    reel_url: str = ""
    correlation_id: str = ""    # the trainee's request's, so logs follow it end to end

    @property
    def start_dt(self) -> datetime:
        return datetime.fromisoformat(self.start)

    @property
    def end_dt(self) -> datetime:
        return datetime.fromisoformat(self.end)

    def _answerable(self, now: datetime) -> None:
        if self.state != INVITED:
            raise SessionError("already_answered", f"This invitation was already {self.state}.")
        if now > datetime.fromisoformat(self.expires_at):
            raise SessionError("expired", "This invitation has expired.")

    def accept(self, now: datetime) -> None:
        self._answerable(now)
        self.state = CONFIRMED

    def decline(self, now: datetime, reason: str) -> None:
        self._answerable(now)
        self.state = DECLINED
        self.decline_reason = reason

    def to_dict(self) -> dict:
        return asdict(self)


def _ceil(dt: datetime, step_minutes: int) -> datetime:
    step = step_minutes * 60
    ts = dt.timestamp()
    return datetime.fromtimestamp(-(-ts // step) * step, timezone.utc)


def find_slot(trainee_windows: list[Window], trainee_tz: str, mentor_windows: list[Window], mentor_tz: str,
              busy: list[Interval], now: datetime, minutes: int = 60, lead_hours: int = 24,
              horizon_days: int = 14, step_minutes: int = 15) -> Interval | None:
    """The earliest ``minutes``-long slot inside both people's weekly availability,
    at least ``lead_hours`` ahead, ending within ``horizon_days``, clear of ``busy``."""
    earliest = now + timedelta(hours=lead_hours)
    latest = now + timedelta(days=horizon_days)
    both = intersect(intervals_utc(trainee_windows, trainee_tz, earliest, latest),
                     intervals_utc(mentor_windows, mentor_tz, earliest, latest))
    length = timedelta(minutes=minutes)
    for a, b in subtract(both, sorted(busy)):
        start = _ceil(a, step_minutes)
        if start + length <= b:
            return start, start + length
    return None


def video_room_url(meeting_base_url: str) -> str:
    """An unguessable room under the meeting provider's base URL."""
    return f"{meeting_base_url.rstrip('/')}/twoshot-{secrets.token_urlsafe(18)}"
