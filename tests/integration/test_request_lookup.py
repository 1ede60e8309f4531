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
