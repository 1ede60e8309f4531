"""Critique sessions: their life, finding times for them, and the critique rubrics.
Pure: no Flask, Kafka or Redis.

    invited ──accept──▶ confirmed ──(end time)──▶ completed ──critique / rating
       │  └─propose──▶ slot_proposed ──trainee accepts──▶ confirmed
       │                     └─trainee declines──▶ declined
       ├─decline──▶ declined
       └─(no answer in time)──▶ expired
    confirmed ──either asks to move──▶ confirmed, a move waiting for the other person
        ├─the other accepts──▶ confirmed at the new time (same UID, SEQUENCE + 1)
        └─the other keeps the time, or the new time passes──▶ confirmed as it was
    confirmed ──cancel──▶ cancelled (SEQUENCE + 1)
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

# The slot maths is shared: matching checks a mentor has a free slot before proposing them.
from shared.availability import Interval, Window, find_slot, free_slots, lead_hours, overlaps  # noqa: F401


class SessionError(Exception):
    """A request the session's state does not allow; ``code`` names it for the page."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


SLOT_TAKEN = "slot_taken"   # the SessionError code when another session got the time first
MOVE_PASSED = "move_passed"   # the SessionError code when a new time asked for has begun before the answer

INVITED, SLOT_PROPOSED, CONFIRMED, DECLINED, EXPIRED, CANCELLED, COMPLETED = (
    "invited", "slot_proposed", "confirmed", "declined", "expired", "cancelled", "completed")

RUBRICS: dict[str, list[str]] = {
    "camera": ["composition", "exposure", "movement", "coverage"],
    "sound": ["clarity", "noise floor", "perspective", "continuity"],
    "lighting": ["motivation", "contrast ratio", "continuity", "power and safety"],
    "editing": ["pacing", "story structure", "continuity", "sound edit"],
    "colour": ["balance", "contrast", "skin tones", "shot-to-shot consistency"],
    "vfx": ["integration", "tracking", "compositing", "render quality"],
    "production": ["planning", "budget control", "scheduling", "safety culture"],
    "safety": ["risk assessment", "briefings", "equipment checks", "incident procedure"],
    "delivery": ["specification compliance", "quality control", "metadata", "backups and redundancy"],
}


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
    correlation_id: str = ""    # the trainee's request's, so logs follow it end to end
    focus_skills: list = field(default_factory=list)
    goals: str = ""
    reel_url: str = ""
    proposed_start: str = ""
    proposed_end: str = ""
    cancelled_by: str = ""
    critique: dict | None = None
    rating: dict | None = None
    why: list = field(default_factory=list)     # why the two were matched (no equity data)
    mentorship_id: str = ""     # set when the first session is confirmed, and on every follow-up
    follow_up: bool = False     # booked inside a mentorship, not proposed by matching
    booked_by: str = ""         # a follow-up's booker: "trainee", "mentor" or "cadence"
    cohort: str = ""            # the request's programme cohort, if any: it sets the mentorship's term
    # A confirmed session moves only when the other person agrees: the time asked for, by
    # whom, and their message, until the other answers.
    move_start: str = ""
    move_end: str = ""
    move_by: str = ""
    move_reason: str = ""

    @property
    def start_dt(self) -> datetime:
        return datetime.fromisoformat(self.start)

    @property
    def end_dt(self) -> datetime:
        return datetime.fromisoformat(self.end)

    def _require(self, *states: str) -> None:
        if self.state not in states:
            raise SessionError("already_answered" if self.state != INVITED else "wrong_state",
                               f"This session is {self.state.replace('_', ' ')}: that is no longer possible.")

    def _answerable(self, now: datetime) -> None:
        self._require(INVITED)
        if now > datetime.fromisoformat(self.expires_at):
            raise SessionError("expired", "This invitation has expired.")

    def accept(self, now: datetime) -> None:
        self._answerable(now)
        self.state = CONFIRMED

    def decline(self, now: datetime, reason: str) -> None:
        self._answerable(now)
        self.state = DECLINED
        self.decline_reason = reason

    def expire(self, now: datetime) -> None:
        self._require(INVITED, SLOT_PROPOSED)
        if now < datetime.fromisoformat(self.expires_at):
            raise SessionError("not_yet", "The invitation has not expired yet.")
        self.state = EXPIRED

    def propose_slot(self, now: datetime, slot: Interval) -> None:
        """The mentor cannot make the time and offers another; the trainee answers."""
        self._answerable(now)
        self.state = SLOT_PROPOSED
        self.proposed_start, self.proposed_end = slot[0].isoformat(), slot[1].isoformat()

    def answer_slot(self, accept: bool, reason: str = "") -> None:
        self._require(SLOT_PROPOSED)
        if accept:
            self.start, self.end = self.proposed_start, self.proposed_end
            self.sequence += 1
            self.state = CONFIRMED
        else:
            self.state = DECLINED
            self.decline_reason = reason or "the trainee could not make the proposed time"
        self.proposed_start = self.proposed_end = ""

    def ask_to_move(self, by: str, slot: Interval, reason: str = "") -> None:
        """``by`` asks for another time; the session stays where it is until the other
        person accepts. Asking again replaces the earlier ask."""
        self._require(CONFIRMED)
        self.move_start, self.move_end = slot[0].isoformat(), slot[1].isoformat()
        self.move_by, self.move_reason = by, reason

    def answer_move(self, by: str, accept: bool, now: datetime) -> None:
        """The other person's answer to a move: accepted, the session moves (calendars
        replace the event with the same UID, one SEQUENCE higher)."""
        self._require(CONFIRMED)
        if not self.move_by:
            raise SessionError("already_answered", "No new time is waiting for an answer.")
        if by == self.move_by:
            raise SessionError("wrong_state", "The other person answers a new time.")
        if accept and now >= datetime.fromisoformat(self.move_start):
            raise SessionError(MOVE_PASSED, "The new time has already passed.")
        if accept:
            self.start, self.end = self.move_start, self.move_end
            self.sequence += 1
        self.drop_move()

    def drop_move(self) -> None:
        self.move_start = self.move_end = self.move_by = self.move_reason = ""

    def cancel(self, by: str, reason: str) -> None:
        self._require(CONFIRMED)
        self.drop_move()
        self.state = CANCELLED
        self.cancelled_by = by
        self.decline_reason = reason
        self.sequence += 1

    def complete(self, now: datetime) -> None:
        self._require(CONFIRMED)
        if now < self.end_dt:
            raise SessionError("not_yet", "The session has not ended yet.")
        self.drop_move()      # a new time nobody answered lapses with the session
        self.state = COMPLETED

    def submit_critique(self, critique: dict) -> None:
        self._require(COMPLETED)
        if self.critique is not None:
            raise SessionError("already_answered", "The critique was already submitted.")
        self.critique = critique

    def rate(self, rating: dict) -> None:
        self._require(COMPLETED)
        if self.rating is not None:
            raise SessionError("already_answered", "This session was already rated.")
        self.rating = rating

    def to_dict(self) -> dict:
        """Plain data, to be written out at once: the fields themselves, not copies
        (``dataclasses.asdict`` deep-copied every nested list and dict, 7 % of the
        sessions worker). Every field is JSON data already."""
        return dict(vars(self))


def answer_by(now: datetime, start: datetime, ttl_hours: float, margin_hours: float) -> datetime:
    """When an invite (or a proposed time) must be answered: ``ttl_hours`` from now, but
    never later than ``margin_hours`` before the session, so nobody is asked to say yes
    to a session that has started (or is about to)."""
    return min(now + timedelta(hours=ttl_hours), start - timedelta(hours=margin_hours))


def video_room_url(meeting_base_url: str) -> str:
    """An unguessable room under the meeting provider's base URL."""
    return f"{meeting_base_url.rstrip('/')}/twoshot-{secrets.token_urlsafe(18)}"
