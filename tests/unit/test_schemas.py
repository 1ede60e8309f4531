import pytest
from marshmallow import ValidationError

from services.intake.schemas import MentorSchema, MentorshipRequestSchema


def valid(**kw):
    base = {"name": "Ama Owusu", "email": "ama@example.org", "country": "gh", "timezone": "Africa/Accra",
            "languages": ["en"], "discipline": "camera", "focus_skills": ["focus pulling"],
            "goals": "Pull focus on long lenses at night",
            "availability": [{"day": 0, "start": "17:00", "end": "20:00"}]}
    base.update(kw)
    return base


def errors(data, schema=MentorshipRequestSchema):
    with pytest.raises(ValidationError) as err:
        schema().load(data)
    return err.value.messages


def test_a_valid_request_loads_with_the_country_normalised():
    assert MentorshipRequestSchema().load(valid())["country"] == "GH"


@pytest.mark.parametrize("field,value", [
    ("email", "not-an-email"), ("country", "XX"), ("timezone", "Mars/Olympus"), ("languages", []),
    ("languages", ["klingon"]), ("discipline", "catering"), ("goals", "short"), ("reel_url", "ftp://x"),
    ("availability", []), ("name", "Line\nBreak"),
])
def test_each_bad_field_gets_its_own_message(field, value):
    assert field in errors(valid(**{field: value}))


def test_an_availability_window_must_end_after_it_starts():
    msgs = errors(valid(availability=[{"day": 0, "start": "20:00", "end": "18:00"}]))
    assert msgs["availability"][0]["end"]


def test_equity_answers_need_consent_and_are_dropped_when_empty():
    assert "equity_consent" in errors(valid(equity={"gender": "woman"}))
    loaded = MentorshipRequestSchema().load(valid(equity={"gender": "woman"}, equity_consent=True))
    assert loaded["equity"] == {"gender": "woman"}
    assert MentorshipRequestSchema().load(valid(equity={"gender": ""}))["equity"] is None


def test_unknown_fields_are_refused_at_the_edge():
    assert "surprise" in errors(valid(surprise=1))


def test_a_mentor_needs_skills_with_levels_from_1_to_5():
    mentor = valid(disciplines=["camera"], skills=[{"name": "lenses", "level": 9}], monthly_capacity=2)
    for k in ("discipline", "focus_skills", "goals"):
        mentor.pop(k)
    assert "skills" in errors(mentor, MentorSchema)


def test_the_status_timeline_follows_event_time_not_arrival_order():
    from services.intake.domain import MentorshipRequest, Person, StatusEntry
    person = Person("t", "Ama", "a@x.org", "GH", "West Africa", "Africa/Accra", ["en"], [])
    request = MentorshipRequest("r", person, "camera", [], "goals", "", None, "2026-01-01T00:00:00+00:00")
    request.record(StatusEntry("requested", "2026-01-01T00:00:00+00:00", ""))
    request.record(StatusEntry("invited", "2026-01-01T00:00:02+00:00", ""))
    request.record(StatusEntry("matched", "2026-01-01T00:00:01+00:00", ""))
    assert [e.step for e in request.timeline] == ["requested", "matched", "invited"]
    assert request.status == "invited"
