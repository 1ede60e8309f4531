"""The staff sign-in limit lets attempts through uncounted only when Redis is away; a
mistake in the limit itself is an error, never taken for an outage (that once let two
guesses past the limit in a burst of first sign-ins)."""
import pytest
import redis
from flask import Flask

from shared.config import Settings
from shared.ratelimit import SignInLimit

# Nothing listens here: the client is built, never used, in these tests.
SETTINGS = Settings.from_env({}, redis_url="redis://127.0.0.1:9/0")


class Script:
    def __init__(self, error: Exception):
        self.error = error

    def __call__(self, **_):
        raise self.error


def attempt_with(script_error: Exception) -> str:
    limit = SignInLimit(SETTINGS)
    vars(limit)["_script"] = Script(script_error)
    with Flask(__name__).test_request_context(environ_base={"REMOTE_ADDR": "192.0.2.1"}):
        return limit.attempt("ana")


def test_redis_away_lets_the_attempt_through_uncounted():
    assert attempt_with(redis.ConnectionError("refused")) == ""


def test_a_mistake_in_the_limit_is_raised_not_taken_for_redis_away():
    with pytest.raises(TypeError):
        attempt_with(TypeError("'NoneType' object is not callable"))


def test_the_limit_is_whole_before_its_first_attempt():
    # Request threads share one limit: nothing may be left to fill in on first use.
    limit = SignInLimit(SETTINGS)
    assert limit._script is not None and limit._script.registered_client is limit._redis
