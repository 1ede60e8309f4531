"""A Mentorship: the pair a first confirmed session forms, and the sessions it holds over
its term. Pure: no Flask, Kafka or Redis.

    (first session confirmed) ──▶ active ──pause──▶ paused ──resume──▶ active
                                    │                 │
                                    └───── end ───────┴──▶ ended (by trainee, mentor,
                                                              the term, or the programme)

An active mentorship is never re-matched on its own: the trainee decides (``rematch``
on their end). Staff read every end reason; the other person reads it only when its
author chose to share it.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import datetime, timedelta

ACTIVE, PAUSED, ENDED = "active", "paused", "ended"
ENDED_BY = ("trainee", "mentor", "term", "programme")
CADENCES = (0, 2, 4, 6)     # weeks between sessions the pair may choose; 0: book each one by hand


class MentorshipError(Exception):
    """What the mentorship's state does not allow; ``code`` names it for the page."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def add_months(start: datetime, months: int) -> datetime:
    """The same day ``months`` later (the month's last day where it has fewer days)."""
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    return start.replace(year=year, month=month, day=min(start.day, calendar.monthrange(year, month)[1]))


@dataclass
class Mentorship:
    id: str
    request_id: str
    mentor: dict
    trainee: dict
    discipline: str
    started_at: str             # ISO, UTC: when the first session was confirmed
    term_ends_at: str
    state: str = ACTIVE
    session_ids: list = field(default_factory=list)     # every session of the pair, oldest first
    cadence_weeks: int = 0
    last_session_at: str = ""   # the start of the latest booked session: the nudge counts from it
    ended_at: str = ""
    ended_by: str = ""
    end_reason: str = ""
    reason_shared: bool = False
    rematch: bool = False
    addressed: list = field(default_factory=list)   # "<session id>:<note index>" the mentor marked addressed
    correlation_id: str = ""
    survey: dict = field(default_factory=dict)      # role → the closing survey's answers, once ended

    @classmethod
    def begin(cls, mentorship_id: str, request_id: str, mentor: dict, trainee: dict, discipline: str,
              first_session_id: str, first_start: str, now: datetime, term_months: int,
              correlation_id: str = "") -> Mentorship:
        return cls(id=mentorship_id, request_id=request_id, mentor=mentor, trainee=trainee, discipline=discipline,
                   started_at=now.isoformat(), term_ends_at=add_months(now, term_months).isoformat(),
                   session_ids=[first_session_id], last_session_at=first_start, correlation_id=correlation_id)

    @property
    def term_ends(self) -> datetime:
        return datetime.fromisoformat(self.term_ends_at)

    def _require(self, *states: str) -> None:
        if self.state not in states:
            raise MentorshipError("wrong_state", f"This mentorship is {self.state}.")

    def can_book(self, now: datetime) -> None:
        self._require(ACTIVE)
        if now >= self.term_ends:
            raise MentorshipError("term_over", "This mentorship's term is over.")

    def add_session(self, session_id: str, start: str) -> None:
        if session_id not in self.session_ids:
            self.session_ids.append(session_id)
        self.last_session_at = max(self.last_session_at, start)

    def nudge_due(self, quiet_weeks: int) -> datetime:
        """When both people are reminded, if nothing else is booked by then."""
        return datetime.fromisoformat(self.last_session_at or self.started_at) + timedelta(weeks=quiet_weeks)

    def set_cadence(self, weeks: int) -> None:
        self._require(ACTIVE, PAUSED)
        if weeks not in CADENCES:
            raise MentorshipError("bad_cadence", f"Choose one of {', '.join(map(str, CADENCES))} weeks.")
        self.cadence_weeks = weeks

    def pause(self) -> None:
        self._require(ACTIVE)
        self.state = PAUSED

    def resume(self) -> None:
        self._require(PAUSED)
        self.state = ACTIVE

    def end(self, by: str, reason: str, now: datetime, shared: bool = False, rematch: bool = False) -> None:
        self._require(ACTIVE, PAUSED)
        if by not in ENDED_BY:
            raise MentorshipError("wrong_state", f"Unknown ender {by!r}.")
        self.state, self.ended_by, self.end_reason = ENDED, by, reason
        self.ended_at, self.reason_shared = now.isoformat(), shared
        self.rematch = rematch      # the trainee is offered a new mentor (never the same one)

    def toggle_addressed(self, note_ref: str) -> None:
        if note_ref in self.addressed:
            self.addressed.remove(note_ref)
        else:
            self.addressed.append(note_ref)

    def answer_survey(self, role: str, useful: int, again: bool, comment: str, now: datetime) -> dict:
        """The closing survey, once per person, after the end: how useful it was (1–5),
        whether they would take part again, and a comment only staff read."""
        if self.state != ENDED:
            raise MentorshipError("wrong_state", "The closing survey opens when the mentorship ends.")
        if role in self.survey:
            raise MentorshipError("already_answered", "You have already answered the closing survey.")
        if useful not in range(1, 6):
            raise MentorshipError("bad_answer", "Choose from 1 to 5.")
        self.survey[role] = {"useful": useful, "again": again, "comment": comment, "at": now.isoformat()}
        return self.survey[role]

    def to_dict(self) -> dict:
        """Plain data, to be written out at once: the fields themselves, not copies
        (``dataclasses.asdict`` deep-copied every nested list and dict, 7 % of the
        sessions worker). Every field is JSON data already."""
        return dict(vars(self))
