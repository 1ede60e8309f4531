"""Why two people were matched: the strongest criteria, in facts both may see, in each
person's language; equity never appears."""
from datetime import UTC, datetime

from services.matching.domain import MentorProfile, TraineeRequest
from services.matching.explain import explain
from shared import i18n

EVENINGS = [{"day": d, "start": "18:00", "end": "21:00"} for d in range(5)]
NOW = datetime(2027, 3, 3, 9, 30, tzinfo=UTC)


def person(pid, languages, country, region, tz):
    return {"id": pid, "name": pid, "email": f"{pid}@example.org", "country": country, "region": region,
            "timezone": tz, "languages": languages, "availability": EVENINGS}


def pair():
    trainee = person("Kofi", ["es", "en"], "GH", "West Africa", "UTC")
    mentor = MentorProfile(id="m1", person=person("Lucía", ["es"], "ES", "Southern Europe", "UTC"),
                           skills=[{"name": "Boom operation", "level": 5}], disciplines=["sound"], bio="",
                           monthly_capacity=3, attributes={"gender": "woman"})
    request = TraineeRequest(request_id="r1", trainee=trainee, discipline="sound",
                             focus_skills=["boom operation", "foley"], goals="", equity={"background": "rural"})
    return request, mentor


def test_the_strongest_criteria_come_first_and_equity_and_load_never():
    request, mentor = pair()
    breakdown = {"skill": 0.3, "language": 0.2, "availability": 0.1, "equity": 0.5, "load": 0.4, "region": 0.01}
    why = explain(request, mentor, breakdown, NOW)
    assert [r["code"] for r in why] == ["skill", "language", "availability"]
    assert why[0]["params"] == {"skills": ["Boom operation"]}
    assert why[1]["params"] == {"language": "es", "first": True}
    assert why[2]["params"] == {"hours": 15}            # five evenings of three hours in common
    assert "gender" not in str(why) and "rural" not in str(why) and "equity" not in str(why)


def test_each_person_reads_them_in_their_language():
    request, mentor = pair()
    why = explain(request, mentor, {"skill": 0.3, "language": 0.2, "region": 0.1}, NOW)
    trainee_side = i18n.reasons(why, "trainee", "es", "Lucía")
    assert trainee_side[0] == "Lucía enseña Boom operation, lo que quieres trabajar."
    assert trainee_side[1] == "Lucía enseña en español, tu primer idioma."
    assert trainee_side[2] == "Lucía trabaja en España: un intercambio entre países."
    mentor_side = i18n.reasons(why, "mentor", "fr", "Kofi")
    assert mentor_side[1] == "Vous parlez tous deux espagnol."


def test_nothing_is_claimed_that_did_not_count():
    request, mentor = pair()
    assert explain(request, mentor, {"skill": 0.0, "language": 0.0, "equity": 0.9}, NOW) == []
