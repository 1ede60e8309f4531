"""Forgetting one person in a service's Redis: what they own goes, what others own is
redacted (their record becomes a placeholder, their name and address are cut out)."""
import json

import pytest

from shared.erasure import forget

pytestmark = pytest.mark.integration


def person(pid, name):
    return {"id": pid, "name": name, "email": f"{pid}@example.org", "country": "AR"}


def test_a_mentor_is_forgotten_without_losing_the_trainees_records(redis_client):
    mentor, trainee = person("m1", "Marisol Quintero"), person("t1", "Kwame Mensah")
    r = redis_client
    r.hset("svc:mentors", "m1", json.dumps({"person": mentor, "bio": "Cuts docs"}))
    r.hset("svc:mentors", "m2", json.dumps({"person": person("m2", "Other Mentor")}))
    r.set("svc:request:r1", json.dumps({"trainee": trainee, "timeline": ["Matched with Marisol Quintero (Argentina)"]}))
    r.rpush("svc:proposals:r1", json.dumps({"trainee": trainee, "mentor": mentor, "score": 0.8}))
    r.set("svc:processed:e1", "1")
    r.set("other:keep", "Marisol Quintero")      # another namespace is not this service's to touch

    changed = forget(r, "svc", "m1")

    assert changed == 3
    assert not r.hexists("svc:mentors", "m1") and r.hexists("svc:mentors", "m2")
    request = json.loads(r.get("svc:request:r1"))
    assert request["trainee"] == trainee and request["timeline"] == ["Matched with — (Argentina)"]
    [proposal] = [json.loads(p) for p in r.lrange("svc:proposals:r1", 0, -1)]
    assert proposal["score"] == 0.8 and proposal["mentor"]["name"] == "—" and "m1@example.org" not in str(proposal)
    assert r.get("other:keep") == "Marisol Quintero" and r.get("svc:processed:e1") == "1"


def test_a_trainee_takes_their_request_and_its_proposals_with_them(redis_client):
    r = redis_client
    trainee = person("t1", "Kwame Mensah")
    r.set("svc:request:r1", json.dumps({"trainee": trainee}))
    r.rpush("svc:proposals:r1", json.dumps({"trainee": trainee, "mentor": person("m1", "M")}))
    r.set("svc:request:r2", json.dumps({"trainee": person("t2", "Ama")}))
    assert forget(r, "svc", "t1") == 2
    assert r.get("svc:request:r1") is None and r.lrange("svc:proposals:r1", 0, -1) == []
    assert r.get("svc:request:r2") is not None
