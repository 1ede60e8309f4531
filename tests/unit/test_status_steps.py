"""The steps at the top of a trainee's status page follow where the request stands now."""
from services.intake.domain import MentorshipRequest, Person, StatusEntry


def request_with(*steps: str) -> MentorshipRequest:
    trainee = Person("t1", "Awa", "awa@example.org", "SN", "West Africa", "Africa/Dakar", ["fr"], [])
    r = MentorshipRequest("r1", trainee, "camera", ["focus"], "goals", "", None, "2027-01-01T00:00:00+00:00")
    for i, step in enumerate(steps):
        r.record(StatusEntry(step, f"2027-01-01T00:{i:02d}:00+00:00", step))
    return r


def test_a_cancelled_session_takes_the_steps_back_to_requested_and_says_why():
    r = request_with("requested", "matched", "invited", "confirmed", "cancelled")
    assert r.progress() == {"requested"}
    assert not r.reached("confirmed") and r.setback.step == "cancelled"


def test_a_new_mentors_invitation_starts_the_steps_again_without_the_old_confirmation():
    r = request_with("requested", "matched", "invited", "confirmed", "cancelled", "matched", "invited")
    assert r.progress() == {"requested", "matched", "invited"}
    assert r.setback is None


def test_a_declined_invite_then_a_confirmation_shows_confirmed():
    r = request_with("requested", "matched", "invited", "declined", "matched", "invited", "confirmed")
    assert r.progress() == {"requested", "matched", "invited", "confirmed"} and r.setback is None


def test_a_request_is_written_as_the_same_plain_data_as_asdict_and_read_back_whole():
    import json
    from dataclasses import asdict
    r = request_with("requested", "matched")
    r.timeline[1].detail, r.timeline[1].params = {"mentor_id": "m1"}, {"name": "Lucía"}
    assert r.to_dict() == asdict(r)
    assert MentorshipRequest.from_dict(json.loads(json.dumps(r.to_dict()))) == r
