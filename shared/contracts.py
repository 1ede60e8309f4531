"""What each event carries: one marshmallow schema per event type, and its topic.

Events carry the state their consumers need (event-carried state transfer), so a
consumer never calls another service. Topics are one per aggregate; the Kafka key
is the event's subject (the aggregate id), which keeps one aggregate's events in
order.
"""
from __future__ import annotations

import functools
import re

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

TOPIC_PREFIX = "twoshot."


def personal(owner: str) -> dict:
    """A field's metadata: it is personal, and travels sealed with ``owner``'s key.
    ``owner`` names a rule in ``shared.privacy.OWNERS`` (the person in ``trainee``, in
    ``mentor``, the id in ``mentor_id``, the author a ``by`` field names …). This is the
    one list of personal fields: sealing reads it from here."""
    return {"personal": owner}

_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")


def minutes_of(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


class AvailabilityWindowSchema(Schema):
    """A weekly window in the person's own time zone. day: 0 = Monday … 6 = Sunday."""
    day = fields.Integer(required=True, validate=validate.Range(min=0, max=6))
    start = fields.String(required=True, validate=validate.Regexp(_HHMM, error="Use HH:MM, 24-hour."))
    end = fields.String(required=True, validate=validate.Regexp(_HHMM, error="Use HH:MM, 24-hour."))

    @validates_schema
    def _ordered(self, data, **kwargs):
        both = "start" in data and "end" in data and _HHMM.match(data["start"]) and _HHMM.match(data["end"])
        if both and minutes_of(data["end"]) <= minutes_of(data["start"]):
            raise ValidationError("The window must end after it starts.", "end")


class SkillSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=80))
    level = fields.Integer(required=True, validate=validate.Range(min=1, max=5))


class PersonSchema(Schema):
    """Who a person is, as far as another service needs to know."""
    id = fields.String(required=True)
    name = fields.String(required=True)
    email = fields.Email(required=True)
    country = fields.String(required=True)
    region = fields.String(required=True)
    timezone = fields.String(required=True)
    languages = fields.List(fields.String(), required=True)
    availability = fields.List(fields.Nested(AvailabilityWindowSchema), required=True)
    locale = fields.String(load_default="")     # the language emails are written in (en, fr, es, pt)


class MentorRegistered(Schema):
    mentor = fields.Nested(PersonSchema, required=True, metadata=personal("mentor"))
    skills = fields.List(fields.Nested(SkillSchema), required=True)
    disciplines = fields.List(fields.String(), required=True)
    bio = fields.String(load_default="", metadata=personal("mentor"))
    monthly_capacity = fields.Integer(required=True, validate=validate.Range(min=0, max=100))
    attributes = fields.Dict(keys=fields.String(), values=fields.String(), load_default=dict,
                             metadata=personal("mentor"))
    paused = fields.Boolean(load_default=False)     # on holiday: no invites until resumed


class ProfileLinkRequested(Schema):
    """Email a mentor a link: to confirm a sign-up, or to manage their profile."""
    mentor_id = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(["confirm", "manage"]))
    name = fields.String(required=True, metadata=personal("mentor_id"))
    email = fields.Email(required=True, metadata=personal("mentor_id"))
    locale = fields.String(load_default="en")
    url = fields.String(required=True)


class MentorshipRequested(Schema):
    request_id = fields.String(required=True)
    trainee = fields.Nested(PersonSchema, required=True, metadata=personal("trainee"))
    discipline = fields.String(required=True)
    focus_skills = fields.List(fields.String(), required=True, metadata=personal("trainee"))
    goals = fields.String(required=True, metadata=personal("trainee"))
    reel_url = fields.String(load_default="", metadata=personal("trainee"))
    equity = fields.Dict(load_default=None, allow_none=True, metadata=personal("trainee"))
    cohort = fields.String(load_default="")     # a programme's code: held for cohort assignment


class ReasonSchema(Schema):
    """One reason a match was made (services.matching.explain): a code and its facts."""
    code = fields.String(required=True)
    params = fields.Dict(load_default=dict)


class BriefFields(Schema):
    """What the trainee asked for, so a mentor can decide from the invite alone, and why
    the two were matched (never equity)."""
    focus_skills = fields.List(fields.String(), load_default=list, metadata=personal("trainee"))
    goals = fields.String(load_default="", metadata=personal("trainee"))
    reel_url = fields.String(load_default="", metadata=personal("trainee"))
    why = fields.List(fields.Nested(ReasonSchema), load_default=list, metadata=personal("trainee"))


class MatchProposed(BriefFields):
    request_id = fields.String(required=True)
    match_id = fields.String(required=True)
    attempt = fields.Integer(required=True)
    trainee = fields.Nested(PersonSchema, required=True, metadata=personal("trainee"))
    mentor = fields.Nested(PersonSchema, required=True, metadata=personal("mentor"))
    discipline = fields.String(required=True)
    score = fields.Float(required=True)
    breakdown = fields.Dict(keys=fields.String(), values=fields.Float(), required=True)
    weights_version = fields.Integer(required=True)
    next_candidates = fields.List(fields.String(), required=True)
    cohort = fields.String(load_default="")     # the request's programme cohort: its mentorship's term


class MatchFailed(Schema):
    request_id = fields.String(required=True)
    reason = fields.String(required=True)


def _links() -> fields.Dict:
    """role → action → signed URL, e.g. {"mentor": {"cancel": "https://…"}}."""
    return fields.Dict(keys=fields.String(), values=fields.Dict(keys=fields.String(), values=fields.String()),
                       load_default=dict)


class SessionFields(BriefFields):
    session_id = fields.String(required=True)
    request_id = fields.String(required=True)
    match_id = fields.String(required=True)
    mentor = fields.Nested(PersonSchema, required=True, metadata=personal("mentor"))
    trainee = fields.Nested(PersonSchema, required=True, metadata=personal("trainee"))
    discipline = fields.String(required=True)
    start = fields.AwareDateTime(required=True, format="iso")
    end = fields.AwareDateTime(required=True, format="iso")
    video_url = fields.String(required=True)
    sequence = fields.Integer(required=True)
    links = _links()
    mentorship_id = fields.String(load_default="")   # once the pair's first session is confirmed
    follow_up = fields.Boolean(load_default=False)    # booked inside a mentorship, not by matching
    # A follow-up's booker: the trainee (the mentor answers), the mentor (the trainee
    # answers, as a proposed time) or the pair's cadence.
    booked_by = fields.String(load_default="", validate=validate.OneOf(["", "trainee", "mentor", "cadence"]))


class SessionInvited(SessionFields):
    accept_url = fields.String(required=True)
    decline_url = fields.String(required=True)
    expires_at = fields.AwareDateTime(required=True, format="iso")


class SessionConfirmed(SessionFields):
    pass


class SessionSlotProposed(SessionFields):
    reason = fields.String(load_default="", metadata=personal("mentor"))    # the mentor's message to the trainee


class SessionChanged(SessionFields):
    """Rescheduled or cancelled, and by whom."""
    by = fields.String(required=True, validate=validate.OneOf(["mentor", "trainee", "programme"]))
    reason = fields.String(load_default="", metadata=personal("author"))
    rematch = fields.Boolean(load_default=False)   # cancelled with a mentorship whose trainee wants a new mentor


class SessionMoveAsked(SessionFields):
    """A new time for a confirmed session: asked for by ``by`` (``session.move_proposed``),
    or not taken by ``by`` (``session.move_declined``); the session stays at ``start``."""
    by = fields.String(required=True, validate=validate.OneOf(["mentor", "trainee"]))
    proposed_start = fields.AwareDateTime(required=True, format="iso")
    proposed_end = fields.AwareDateTime(required=True, format="iso")
    reason = fields.String(load_default="", metadata=personal("author"))   # ``by``'s message to the other


class SessionReminder(SessionFields):
    kind = fields.String(required=True, validate=validate.OneOf(["invite_expiring", "starts_in_24h", "starts_in_1h"]))
    expires_at = fields.String(load_default="")     # invite_expiring: the answer-by time, restated


class RubricLineSchema(Schema):
    criterion = fields.String(required=True)
    score = fields.Integer(required=True, validate=validate.Range(min=1, max=5))
    comment = fields.String(load_default="")


class TimedNoteSchema(Schema):
    at = fields.String(required=True, validate=validate.Regexp(r"^(\d{1,2}:[0-5]\d:[0-5]\d|\d{1,3}:[0-5]\d)$"))
    note = fields.String(required=True)


class CritiqueSubmitted(Schema):
    session_id = fields.String(required=True)
    request_id = fields.String(required=True)
    mentor = fields.Nested(PersonSchema, required=True, metadata=personal("mentor"))
    trainee = fields.Nested(PersonSchema, required=True, metadata=personal("trainee"))
    discipline = fields.String(required=True)
    rubric = fields.List(fields.Nested(RubricLineSchema), required=True, metadata=personal("trainee"))
    notes = fields.List(fields.Nested(TimedNoteSchema), required=True, metadata=personal("trainee"))
    next_steps = fields.String(required=True, metadata=personal("trainee"))
    reel_url = fields.String(load_default="", metadata=personal("trainee"))
    # Equipment or software, setting, recommended value or practice, link (all optional entries).
    updates = fields.List(fields.Dict(keys=fields.String(), values=fields.String()), load_default=list,
                          metadata=personal("trainee"))
    mentorship_id = fields.String(load_default="")
    follow_up = fields.Boolean(load_default=False)
    links = _links()     # a pair's: each one's mentoring page (the trainee books the next session there)


class SessionRated(Schema):
    session_id = fields.String(required=True)
    request_id = fields.String(required=True)
    mentor_id = fields.String(required=True)
    rating = fields.Integer(required=True, validate=validate.Range(min=1, max=5))
    comment = fields.String(load_default="", metadata=personal("mentor_id"))


class SessionDeclined(Schema):
    session_id = fields.String(required=True)
    request_id = fields.String(required=True)
    mentor_id = fields.String(required=True)
    trainee_id = fields.String(load_default="")   # whose key seals a trainee's words when no trainee is named
    reason = fields.String(load_default="", metadata=personal("decliner"))
    # Who said no or let the time pass: the mentor (an invite) or the trainee (a proposed time).
    by = fields.String(load_default="mentor", validate=validate.OneOf(["mentor", "trainee"]))
    # What ``by`` typed; a follow-up's reaches the other person.
    message = fields.String(load_default="", metadata=personal("decliner"))
    # A follow-up's: the other person is told, and books another time.
    mentorship_id = fields.String(load_default="")
    follow_up = fields.Boolean(load_default=False)
    mentor = fields.Nested(PersonSchema, load_default=None, allow_none=True, metadata=personal("mentor"))
    trainee = fields.Nested(PersonSchema, load_default=None, allow_none=True, metadata=personal("trainee"))
    start = fields.String(load_default="")
    links = _links()


class SessionUnschedulable(Schema):
    request_id = fields.String(required=True)
    match_id = fields.String(required=True)
    mentor_id = fields.String(required=True)
    reason = fields.String(required=True)


class MentorshipFields(Schema):
    """A mentorship (services.sessions.mentorship): the pair and each one's own page."""
    mentorship_id = fields.String(required=True)
    request_id = fields.String(required=True)
    mentor = fields.Nested(PersonSchema, required=True, metadata=personal("mentor"))
    trainee = fields.Nested(PersonSchema, required=True, metadata=personal("trainee"))
    discipline = fields.String(required=True)
    started_at = fields.AwareDateTime(required=True, format="iso")
    term_ends_at = fields.AwareDateTime(required=True, format="iso")
    links = _links()


class MentorshipSurveyed(Schema):
    """One person's closing survey of a mentorship that ended (staff read it)."""
    mentorship_id = fields.String(required=True)
    request_id = fields.String(required=True)
    role = fields.String(required=True, validate=validate.OneOf(["trainee", "mentor"]))
    author_id = fields.String(required=True)
    useful = fields.Integer(required=True, validate=validate.Range(min=1, max=5))
    again = fields.Boolean(required=True)           # would take part again
    comment = fields.String(load_default="", metadata=personal("author_id"))    # staff read it
    answered_at = fields.AwareDateTime(required=True, format="iso")


class MentorshipEnded(MentorshipFields):
    by = fields.String(required=True, validate=validate.OneOf(["trainee", "mentor", "term", "programme"]))
    # sealed with its author's key; staff read it
    reason = fields.String(load_default="", metadata=personal("author"))
    reason_shared = fields.Boolean(load_default=False)   # the other person may read it too
    rematch = fields.Boolean(load_default=False)     # the trainee is offered a new mentor
    ended_at = fields.AwareDateTime(required=True, format="iso")
    sessions_held = fields.Integer(load_default=0)
    # The pair's first session was still to come and is cancelled with it: matching answers
    # that cancellation (release, and the next mentor with ``rematch``), not this end.
    first_session_called_off = fields.Boolean(load_default=False)


class MentorshipNudged(MentorshipFields):
    quiet_weeks = fields.Integer(required=True)


class NotificationSent(Schema):
    notification_id = fields.String(required=True)
    kind = fields.String(required=True)
    recipient_role = fields.String(required=True, validate=validate.OneOf(["mentor", "trainee"]))
    request_id = fields.String(required=True)
    session_id = fields.String(required=True)
    recipient_id = fields.String(load_default="")   # whose key seals the error (shared.privacy)


class NotificationFailed(NotificationSent):
    # the relay's answer, addresses cut out; sealed
    error = fields.String(required=True, metadata=personal("recipient_id"))


SERVICES = ("intake", "matching", "sessions", "notifications")   # each forgets, and reports it


class ErasureRequested(Schema):
    """Forget this person (GDPR art. 17). Ids only: nothing personal on the bus."""
    person_id = fields.String(required=True)
    role = fields.String(required=True, validate=validate.OneOf(["trainee", "mentor"]))
    request_ids = fields.List(fields.String(), load_default=list)
    requested_by = fields.String(required=True)     # "self" or the staff account
    # Empty: every service. Asked again (services/intake/erasures.py): those whose report is missing.
    services = fields.List(fields.String(validate=validate.OneOf(SERVICES)), load_default=list)


class PersonForgotten(Schema):
    person_id = fields.String(required=True)
    service = fields.String(required=True)
    removed = fields.Integer(load_default=0)       # records deleted or scrubbed


EVENT_SCHEMAS: dict[str, Schema] = {
    "profile.mentor_registered": MentorRegistered(),
    "profile.link_requested": ProfileLinkRequested(),
    "mentorship.requested": MentorshipRequested(),
    "mentorship.started": MentorshipFields(),
    "mentorship.ended": MentorshipEnded(),
    "mentorship.nudged": MentorshipNudged(),
    "mentorship.surveyed": MentorshipSurveyed(),
    "match.proposed": MatchProposed(),
    "match.failed": MatchFailed(),
    "session.invited": SessionInvited(),
    "session.confirmed": SessionConfirmed(),
    "session.declined": SessionDeclined(),
    "session.expired": SessionDeclined(),
    "session.slot_proposed": SessionSlotProposed(),
    "session.rescheduled": SessionChanged(),
    "session.move_proposed": SessionMoveAsked(),
    "session.move_declined": SessionMoveAsked(),
    "session.cancelled": SessionChanged(),
    "session.reminder": SessionReminder(),
    "session.completed": SessionFields(),
    "session.rated": SessionRated(),
    "critique.submitted": CritiqueSubmitted(),
    "session.unschedulable": SessionUnschedulable(),
    "notification.sent": NotificationSent(),
    "notification.failed": NotificationFailed(),
    "person.erasure_requested": ErasureRequested(),
    "person.forgotten": PersonForgotten(),
}


def topic_for(event_type: str) -> str:
    """``match.proposed`` → ``twoshot.match``: one topic per aggregate."""
    return TOPIC_PREFIX + event_type.split(".", 1)[0]


ALL_TOPICS = sorted({topic_for(t) for t in EVENT_SCHEMAS})


def dlq_for(topic: str) -> str:
    return topic + ".dlq"


@functools.cache
def fingerprint() -> str:
    """Which contracts an event was checked against: this module's text and marshmallow's
    version. Two processes with the same fingerprint validate alike, so what one checked
    the other need not check again (``shared.events``); any edit here changes it, and
    until every process runs the same text each checks what it reads (a rolling deploy
    is slower, never wrong)."""
    import hashlib
    from importlib.metadata import version
    from pathlib import Path
    try:
        text = Path(__file__).read_bytes()
    except OSError:      # no source to hash: nothing is trusted, everything is checked
        return ""
    return hashlib.sha256(text + version("marshmallow").encode()).hexdigest()[:16]

