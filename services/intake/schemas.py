"""What intake accepts over HTTP, with messages a trainee can act on."""
from __future__ import annotations

from urllib.parse import urlparse
from zoneinfo import available_timezones

from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    post_load,
    pre_load,
    validate,
    validates,
    validates_schema,
)

from shared.catalogue import locales
from shared.contracts import AvailabilityWindowSchema, SkillSchema
from shared.geo import LANGUAGES, countries
from shared.vocabulary import DISCIPLINES

_TIMEZONES = frozenset(available_timezones())


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def our_language(code: str) -> None:
    """One of the languages we write in (English and every catalogue), read when checked,
    so a new catalogue is offered without a code change."""
    if code not in locales():
        raise ValidationError("Choose one of the languages on the list.")


class _PersonFields(Schema):
    class Meta:
        unknown = RAISE

    name = fields.String(required=True, validate=validate.Length(min=1, max=120,
                         error="Enter a name of up to {max} characters."))
    email = fields.Email(required=True, error_messages={"invalid": "Enter an email address like name@example.org."})
    # The codes are listed in /openapi.json (ISO 3166-1 alpha-2 countries, IANA zones, the
    # BCP 47 language tags we serve), so clients and the contract fuzzing send real ones;
    # the checks below give the messages a person reads.
    country = fields.String(required=True, metadata={"enum": sorted(countries()),
                                                     "description": "ISO 3166-1 alpha-2 code"})
    timezone = fields.String(required=True, metadata={"enum": sorted(_TIMEZONES),
                                                      "description": "IANA time zone"})
    languages = fields.List(fields.String(metadata={"enum": sorted(LANGUAGES), "description": "BCP 47 tag"}),
                            required=True,
                            validate=validate.Length(min=1, error="Choose at least one language."))
    availability = fields.List(fields.Nested(AvailabilityWindowSchema), required=True,
                               validate=validate.Length(min=1, max=42,
                               error="Give at least one weekly time when you are free."))

    @pre_load
    def _clean(self, data, **kwargs):
        if isinstance(data, dict):
            data = {k: _strip(v) for k, v in data.items()}
            if isinstance(data.get("country"), str):
                data["country"] = data["country"].upper()
        return data

    @validates("name")
    def _no_control_chars(self, value, **kwargs):
        if any(ord(c) < 32 for c in value):
            raise ValidationError("A name cannot contain line breaks or control characters.")

    @validates("country")
    def _country(self, value, **kwargs):
        if value not in countries():
            raise ValidationError("Choose a country from the list.")

    @validates("timezone")
    def _timezone(self, value, **kwargs):
        if value not in _TIMEZONES:
            raise ValidationError("Choose a time zone such as Africa/Lagos or America/Bogota.")

    @validates("languages")
    def _languages(self, value, **kwargs):
        if any(v not in LANGUAGES for v in value):
            raise ValidationError("Choose one of the languages on the list.")


class MentorshipRequestSchema(_PersonFields):
    discipline = fields.String(required=True, validate=validate.OneOf(
        list(DISCIPLINES), error="Choose your discipline from the list."))
    focus_skills = fields.List(fields.String(validate=validate.Length(min=1, max=80)), required=True,
                               validate=validate.Length(min=1, max=12,
                               error="Name between 1 and 12 skills you want to work on."))
    goals = fields.String(required=True, validate=validate.Length(min=10, max=2000,
                          error="Tell the mentor what you want to get better at (10 to 2000 characters)."))
    reel_url = fields.String(load_default="", validate=validate.Length(max=500))
    locale = fields.String(load_default="en", validate=our_language,
                           metadata={"description": "A language we write in: en, or one with a catalogue"})
    cohort = fields.String(
        load_default="",
        validate=validate.Regexp(
            r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$|^$",
            error="Use the code your programme gave you (letters, digits, - and _).",
        ),
    )
    equity_consent = fields.Boolean(load_default=False)
    equity = fields.Dict(keys=fields.String(validate=validate.OneOf(
        ["gender", "underrepresented", "background"])), values=fields.String(validate=validate.Length(max=200)),
        load_default=None, allow_none=True)

    @validates("reel_url")
    def _reel(self, value, **kwargs):
        if value:
            parsed = urlparse(value)
            if parsed.scheme not in ("http", "https") or not parsed.netloc:
                raise ValidationError("Enter a full link starting with https://, or leave it empty.")

    @validates_schema(skip_on_field_errors=False)  # report it beside other fields' errors
    def _consent(self, data, **kwargs):
        given = {k: v for k, v in (data.get("equity") or {}).items() if v}
        if given and not data.get("equity_consent"):
            raise ValidationError("Tick the consent box to share this, or leave these answers empty.",
                                  "equity_consent")

    @post_load
    def _equity_only_with_consent(self, data, **kwargs):
        given = {k: v for k, v in (data.get("equity") or {}).items() if v}
        data["equity"] = given if (given and data.get("equity_consent")) else None
        data.pop("equity_consent", None)
        return data


# Loaded on every trainee request (form and API): one instance, since building a schema
# deep-copies its declared fields (6 % of a POST). Schemas hold no per-load state.
REQUEST_SCHEMA = MentorshipRequestSchema()


class MentorSchema(_PersonFields):
    disciplines = fields.List(fields.String(validate=validate.OneOf(list(DISCIPLINES))), required=True,
                              validate=validate.Length(min=1))
    skills = fields.List(fields.Nested(SkillSchema), required=True, validate=validate.Length(min=1, max=40))
    bio = fields.String(load_default="", validate=validate.Length(max=4000))
    monthly_capacity = fields.Integer(required=True, validate=validate.Range(min=0, max=40))
    # Self-described, optional (e.g. {"gender": "woman"}): staff may measure fairness over them.
    attributes = fields.Dict(keys=fields.String(validate=validate.Length(min=1, max=40)),
                             values=fields.String(validate=validate.Length(max=80)), load_default=dict,
                             validate=validate.Length(max=10))


class MentorSignupSchema(MentorSchema):
    """A mentor's own sign-up or edit (the page): equity data only with consent."""
    locale = fields.String(load_default="en", validate=our_language,
                           metadata={"description": "A language we write in: en, or one with a catalogue"})
    monthly_capacity = fields.Integer(required=True, validate=validate.Range(
        min=0, max=40, error="Give a number of sessions from 0 to 40."),
        error_messages={"invalid": "Give a number of sessions from 0 to 40."})
    disciplines = fields.List(fields.String(validate=validate.OneOf(list(DISCIPLINES))), required=True,
                              validate=validate.Length(min=1, error="Choose at least one discipline."))
    skills = fields.List(fields.Nested(SkillSchema), required=True, validate=validate.Length(
        min=1, max=40, error="Name at least one skill you can mentor, with its level."))
    equity_consent = fields.Boolean(load_default=False)

    @validates_schema(skip_on_field_errors=False)
    def _consent(self, data, **kwargs):
        given = {k: v for k, v in (data.get("attributes") or {}).items() if v}
        if given and not data.get("equity_consent"):
            raise ValidationError("Tick the consent box to share this, or leave these answers empty.",
                                  "equity_consent")

    @post_load
    def _equity_only_with_consent(self, data, **kwargs):
        given = {k: v for k, v in (data.get("attributes") or {}).items() if v}
        data["attributes"] = given if data.pop("equity_consent", False) else {}
        return data


class ErasureSchema(Schema):
    """Whom to erase: a trainee by their request, or a mentor by their email."""
    class Meta:
        unknown = RAISE

    request_id = fields.String(validate=validate.Length(min=1, max=64))
    mentor_email = fields.Email()

    @validates_schema
    def _one(self, data, **kwargs):
        if bool(data.get("request_id")) == bool(data.get("mentor_email")):
            raise ValidationError("Give either request_id (a trainee) or mentor_email (a mentor).", "_schema")


# What the JSON API answers (described in /openapi.json).
class RequestCreatedSchema(Schema):
    id = fields.String(required=True)
    status = fields.String(required=True)
    status_url = fields.String(required=True, metadata={"description": "The trainee's status page"})


class StatusEntrySchema(Schema):
    step = fields.String(required=True)
    at = fields.String(required=True, metadata={"description": "ISO 8601, UTC"})
    message = fields.String(required=True)
    detail = fields.Dict(required=True)
    key = fields.String(required=True)
    params = fields.Dict(required=True)


class RequestStatusSchema(Schema):
    id = fields.String(required=True)
    status = fields.String(required=True)
    timeline = fields.List(fields.Nested(StatusEntrySchema), required=True)


class MentorSavedSchema(Schema):
    id = fields.String(required=True)
    created = fields.Boolean(required=True)


class ErasureRecordSchema(Schema):
    """How far an erasure has got: each service's time of forgetting, and when all had."""
    person_id = fields.String(required=True)
    role = fields.String(required=True, metadata={"description": "trainee or mentor"})
    requested_at = fields.String(required=True)
    requested_by = fields.String(required=True, metadata={"description": "self, or the staff account"})
    forgotten = fields.Dict(keys=fields.String(), values=fields.String(), required=True,
                            metadata={"description": "service → when it forgot the person"})
    completed_at = fields.String(metadata={"description": "When the last service had forgotten"})
