"""Staff find a trainee's request by id, email or name (matching's look-up index, in a
real Redis): by prefix, case-insensitive, every word of the query; erased requests are
gone from it; requests stored before the index existed are indexed on the first search."""
import json
from dataclasses import asdict

import pytest

from services.matching.domain import TraineeRequest
from services.matching.repository import MatchingRepository

pytestmark = pytest.mark.integration


def request(request_id, name, email):
    trainee = {"id": f"t-{request_id}", "name": name, "email": email, "country": "KH", "region": "South-eastern Asia",
               "timezone": "Asia/Phnom_Penh", "languages": ["km"], "availability": []}
    return TraineeRequest(request_id=request_id, trainee=trainee, discipline="colour", focus_skills=["grading"],
                          goals="consistent interviews")


def store(repo, redis_client, *requests, index=True):
    pipe = redis_client.pipeline(transaction=True)
    for r in requests:
        repo.save_request(pipe, r)
        if index:
            repo.index_request(pipe, r)
    pipe.execute()


def found(repo, text):
    return sorted(r.request_id for r in repo.find_requests(text))


def test_a_request_is_found_by_id_email_or_name_words_in_any_case(redis_client):
    repo = MatchingRepository(redis_client)
    store(repo, redis_client, request("a1b2c3", "Dara Pich", "dara.pich@example.org"),
          request("d4e5f6", "Sokha Dara Chan", "sokha@example.org"), request("0a0b0c", "Ánh Nguyễn", "anh@example.vn"))
    assert found(repo, "a1b2c3") == ["a1b2c3"]              # the whole id
    assert found(repo, "D4E5") == ["d4e5f6"]                # the start of an id
    assert found(repo, "DARA.PICH@EXAMPLE.ORG") == ["a1b2c3"]
    assert found(repo, "dara") == ["a1b2c3", "d4e5f6"]      # a word of either name
    assert found(repo, "dara ch") == ["d4e5f6"]             # every word must match
    assert found(repo, "ánh") == ["0a0b0c"]                 # beyond ASCII
    assert found(repo, "nobody") == [] and found(repo, "  ") == []


def test_an_erased_request_is_no_longer_found(redis_client):
    repo = MatchingRepository(redis_client)
    store(repo, redis_client, request("a1b2c3", "Dara Pich", "dara.pich@example.org"))
    # The erasure's scrub may blank the stored request first: its entries still go.
    redis_client.set("matching:request:a1b2c3", json.dumps(asdict(request("a1b2c3", "—", "erased@erased.invalid"))))
    pipe = redis_client.pipeline(transaction=True)
    repo.forget_request(pipe, "a1b2c3")
    pipe.execute()
    assert found(repo, "dara") == [] and found(repo, "dara.pich@example.org") == []
    assert not any("dara" in member for member in redis_client.zrange("matching:index:requests", 0, -1))


def test_requests_stored_before_the_index_are_indexed_on_the_first_search(redis_client):
    repo = MatchingRepository(redis_client)
    redis_client.set("matching:request:old1", json.dumps(asdict(request("old1", "Bat Erdene", "bat@example.mn"))))
    assert found(repo, "erdene") == ["old1"]
    assert redis_client.exists("matching:index:requests:built")


def mentor(mentor_id, name):
    from services.matching.domain import MentorProfile
    return MentorProfile(id=mentor_id, person={"id": mentor_id, "name": name, "country": "GH"}, skills=[],
                         disciplines=["colour"], bio="", monthly_capacity=2)


def test_a_request_is_found_by_the_name_of_a_mentor_proposed_to_it_until_the_mentor_is_erased(redis_client):
    repo = MatchingRepository(redis_client)
    store(repo, redis_client, request("a1b2c3", "Dara Pich", "dara.pich@example.org"),
          request("d4e5f6", "Sokha Chan", "sokha@example.org"))
    pipe = redis_client.pipeline(transaction=True)
    repo.index_mentor_of(pipe, "a1b2c3", mentor("m-ama", "Ama Mensah"))
    repo.index_mentor_of(pipe, "d4e5f6", mentor("m-kofi", "Kofi Mensah"))
    pipe.execute()
    assert found(repo, "mensah") == ["a1b2c3", "d4e5f6"]      # either mentor's surname
    assert found(repo, "AMA mens") == ["a1b2c3"]
    assert found(repo, "dara ama") == ["a1b2c3"]              # trainee and mentor words together
    pipe = redis_client.pipeline(transaction=True)
    repo.unindex_mentor(pipe, "m-ama")
    pipe.execute()
    assert found(repo, "ama") == [] and found(repo, "mensah") == ["d4e5f6"]
    assert found(repo, "dara") == ["a1b2c3"]                  # the trainee's own entries stay


def test_what_people_wrote_is_kept_once_per_event_in_order_and_goes_with_its_author(redis_client):
    from shared.erasure import forget

    repo = MatchingRepository(redis_client)

    def keep(event_id, at, by, author, text):
        pipe = redis_client.pipeline(transaction=True)
        repo.record_message(pipe, "a1b2c3", {"id": event_id, "at": at, "event": "session.declined", "by": by,
                                             "person": {"id": author}, "follow_up": False, "shared": False,
                                             "text": text})
        pipe.execute()
    keep("e2", "2026-03-02T10:00:00+00:00", "trainee", "t-1", "the proposed time clashes with a shoot")
    keep("e1", "2026-03-01T10:00:00+00:00", "mentor", "m-1", "I am on set that week")
    keep("e1", "2026-03-01T10:00:00+00:00", "mentor", "m-1", "I am on set that week")   # redelivered
    assert [m["text"] for m in repo.messages("a1b2c3")] == ["I am on set that week",
                                                            "the proposed time clashes with a shoot"]
    forget(redis_client, "matching", "m-1")           # erasing the mentor takes their words
    assert [m["by"] for m in repo.messages("a1b2c3")] == ["trainee"]
    pipe = redis_client.pipeline(transaction=True)
    repo.forget_request(pipe, "a1b2c3")               # erasing the trainee takes the request's
    pipe.execute()
    assert repo.messages("a1b2c3") == []
