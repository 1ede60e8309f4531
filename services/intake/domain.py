"""Trainees, mentors and mentorship requests as intake knows them. No I/O here."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field

# The steps a trainee sees on the status page, in order.
STEPS = ("requested", "matched", "invited", "confirmed", "completed", "critiqued")
# What sends the request back to finding a mentor: the steps start over after it.
SETBACKS = ("declined", "cancelled", "unmatched", "rematching")


@dataclass
class Person:
    id: str
    name: str
    email: str
    country: str
    region: str
    timezone: str
    languages: list[str]
    availability: list[dict]
    locale: str = ""     # the language emails are written in


@dataclass
class Mentor:
    person: Person
    skills: list[dict]
    disciplines: list[str]
    bio: str
    monthly_capacity: int
    attributes: dict = field(default_factory=dict)
    paused: bool = False      # on holiday: matching sends no invites until resumed

    @property
    def id(self) -> str:
        return self.person.id


@dataclass
class StatusEntry:
    step: str            # one of STEPS, or a setback, or "rated" / "mentoring" / "ended"
    at: str              # ISO time, UTC
    message: str         # in English, for the API
    detail: dict = field(default_factory=dict)
    key: str = ""        # the message in the catalogue (shared.i18n), shown in the trainee's language
    params: dict = field(default_factory=dict)


@dataclass
class MentorshipRequest:
    id: str
    trainee: Person
    discipline: str
    focus_skills: list[str]
    goals: str
    reel_url: str
    equity: dict | None
    created_at: str
    timeline: list[StatusEntry] = field(default_factory=list)
    cohort: str = ""

    @property
    def status(self) -> str:
        return self.timeline[-1].step if self.timeline else "requested"

    def record(self, entry: StatusEntry) -> None:
        """Events from different topics arrive in any order; the timeline is kept in
        the order things happened (event time, UTC ISO strings sort as times)."""
        at = len(self.timeline)
        while at > 0 and self.timeline[at - 1].at > entry.at:
            at -= 1
        self.timeline.insert(at, entry)

    def reached(self, step: str) -> bool:
        """Whether ``step`` holds *now*: a cancellation or a declined invite undoes the
        steps after "requested", and a new mentor's invitation starts them again."""
        return step in self.progress()

    def progress(self) -> set[str]:
        reached = {"requested"}
        for entry in self.timeline:
            if entry.step in SETBACKS:
                reached = {"requested"}
            elif entry.step in STEPS:
                reached.add(entry.step)
        return reached

    @property
    def setback(self) -> StatusEntry | None:
        """The cancellation or refusal the request is recovering from, if that is where it stands."""
        for entry in reversed(self.timeline):
            if entry.step in SETBACKS:
                return entry
            if entry.step in STEPS and entry.step != "requested":
                return None
        return None

    @property
    def current_match(self) -> StatusEntry | None:
        """The "matched" step in force (none after a cancellation or a refusal)."""
        if "matched" not in self.progress():
            return None
        return next((e for e in reversed(self.timeline) if e.step == "matched"), None)

    @property
    def critique(self) -> dict | None:
        return next((e.detail for e in reversed(self.timeline) if e.step == "critiqued"), None)

    def to_dict(self) -> dict:
        """Plain data, to be written out at once (its lists are the request's own, not
        copies: ``dataclasses.asdict`` copied every nested value, 6 % of intake's worker)."""
        return {**vars(self), "trainee": vars(self.trainee), "timeline": [vars(e) for e in self.timeline]}

    @classmethod
    def from_dict(cls, d: dict) -> MentorshipRequest:
        d = dict(d)
        d["trainee"] = Person(**d["trainee"])
        d["timeline"] = [StatusEntry(**e) for e in d.get("timeline", [])]
        return cls(**d)


def new_id() -> str:
    return uuid.uuid4().hex


def mentor_id_for(email: str) -> str:
    """A mentor is known by their email: registering twice updates one profile."""
    return uuid.uuid5(uuid.NAMESPACE_URL, "mailto:" + email.strip().lower()).hex


def person_payload(p: Person) -> dict:
    """A person as plain data (lists copied one level deep, without ``asdict``'s deep copy)."""
    return {**vars(p), "languages": list(p.languages), "availability": [dict(a) for a in p.availability]}
