"""While Redis is away, intake's HTTP side says so plainly (503 + Retry-After), keeps
what the trainee typed, stores nothing, and works again as soon as Redis is back."""
import re
import signal

import pytest
import redis

from devstack.stack import Stack, free_port
from services.intake.app import create_app
from services.intake.bootstrap import bootstrap
from shared.i18n import t

pytestmark = pytest.mark.faults


@pytest.fixture
def own_redis(tmp_path, infra):
    stack = Stack(tmp_path, {**infra.ports, "redis": free_port()})
    stack.start_redis()
    yield stack
    stack.stop()


@pytest.fixture
def client(settings, own_redis):
    intake = bootstrap(settings.with_overrides(redis_url=own_redis.redis, redis_timeout_s=1.0))
    app = create_app(intake=intake)
    app.config["TESTING"] = True
    yield app.test_client()
    intake.runtime.close()


def form(token: str, **kw) -> dict:
    return {"csrf_token": token, "name": "Amélie Diallo", "email": "amelie@example.org", "country": "SN",
            "timezone": "Africa/Dakar", "languages": ["fr"], "discipline": "sound", "focus_skills": "boom operation",
            "goals": "Des dialogues propres en extérieur", "avail_0_start": "17:00", "avail_0_end": "20:00",
            "lang": "fr", **kw}


def stored(own_redis) -> list[str]:
    client = redis.Redis.from_url(own_redis.redis, decode_responses=True)
    try:
        return list(client.scan_iter("intake:request:*"))
    finally:
        client.close()


def test_redis_away_gives_503_with_the_form_kept_in_french_and_nothing_stored_then_works_again(client, own_redis):
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/?lang=fr").get_data(as_text=True)).group(1)
    own_redis.stop_process("redis", signal.SIGKILL)

    r = client.post("/", data=form(token))
    html = r.get_data(as_text=True)
    assert r.status_code == 503 and int(r.headers["Retry-After"]) > 0
    assert t("unavailable_body", "fr").split(":")[0].replace("'", "&#39;") in html
    assert 'value="Amélie Diallo"' in html and 'value="amelie@example.org"' in html   # nothing to type again

    api = client.post("/api/requests", json={"name": "x"}, headers={"Accept-Language": "es"})
    assert api.status_code == 422   # bad input is still refused first: validation needs no Redis
    api = client.post("/api/requests", headers={"Accept-Language": "es"}, json={
        "name": "Ama", "email": "ama@example.org", "country": "GH", "timezone": "Africa/Accra",
        "languages": ["en"], "discipline": "camera", "focus_skills": ["lenses"], "goals": "Night work",
        "availability": [{"day": 0, "start": "17:00", "end": "20:00"}]})
    assert api.status_code == 503 and api.mimetype == "application/problem+json"
    assert api.json["status"] == 503 and api.json["detail"] == t("unavailable_body", "es")
    assert api.headers["Content-Language"] == "es"
    assert int(api.headers["Retry-After"]) > 0
    assert client.get("/readyz").status_code == 503

    own_redis.start_redis()
    assert stored(own_redis) == []           # the AOF came back: nothing was half-written
    r = client.post("/", data=form(token))
    assert r.status_code == 303
    assert client.get("/readyz").status_code == 200
    assert len(stored(own_redis)) == 1
