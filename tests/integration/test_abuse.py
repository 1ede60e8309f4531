"""What an attacker tries against the public endpoints, replayed against intake on the
real Redis and broker: profile writes without a staff token, bursts of posts, forged
client addresses, guessed staff tokens, and starting with the default secret."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from services.intake.app import create_app
from services.intake.bootstrap import bootstrap
from shared.config import InsecureConfiguration, StackSettings
from shared.staff import StaffAccounts
from tests.integration.test_intake_http import _csrf, form, request_json

pytestmark = pytest.mark.integration

MENTOR = {"name": "Inès Lefèvre", "email": "ines@example.org", "country": "FR", "timezone": "Europe/Paris",
          "languages": ["fr"], "disciplines": ["camera"], "skills": [{"name": "lenses", "level": 5}],
          "monthly_capacity": 3, "availability": [{"day": 1, "start": "18:00", "end": "21:00"}]}


@pytest.fixture
def intake(settings, redis_client):
    intake = bootstrap(settings, redis_client)
    yield intake
    intake.runtime.close()


def app_with(intake, **limits):
    app = create_app({"rate_limit_per_address": "1000/minute", "rate_limit_per_email": "1000/minute",
                      "rate_limit_staff_failures": "1000/minute", **limits}, intake=intake)
    app.config["TESTING"] = True
    return app.test_client()


def test_a_mentor_profile_cannot_be_written_without_an_editor_token(intake, redis_client):
    client = app_with(intake)
    viewer = StaffAccounts(redis_client).create("Viewer", "viewer")
    editor = StaffAccounts(redis_client).create("Editor", "editor")
    assert client.post("/api/mentors", json=MENTOR).status_code == 401
    assert client.post("/api/mentors", json=MENTOR, headers={"Authorization": "Bearer nope.nope"}).status_code == 401
    refused = client.post("/api/mentors", json=MENTOR, headers={"Authorization": f"Bearer {viewer}"})
    assert refused.status_code == 403 and "editor" in refused.json["detail"]
    assert intake.repository.mentor_count() == 0
    assert client.post("/api/mentors", json=MENTOR, headers={"Authorization": f"Bearer {editor}"}).status_code == 201


def test_a_burst_from_one_address_stores_no_more_than_the_limit(intake, redis_client):
    client = app_with(intake, rate_limit_per_address="5/minute")
    answers = [client.post("/api/requests", json=request_json(email=f"t{i}@example.org")) for i in range(40)]
    codes = [a.status_code for a in answers]
    assert codes.count(201) == 5 and codes.count(429) == 35
    refused = answers[-1]
    assert refused.headers["Content-Type"] == "application/problem+json"
    assert int(refused.headers["Retry-After"]) > 0 and refused.json["status"] == 429
    assert refused.headers["Content-Language"] == "en"     # the language its detail is in
    assert len(redis_client.keys("intake:request:*")) == 5


def test_the_attack_replayed_200_form_posts_in_a_burst_store_only_the_default_limit(intake, redis_client):
    # The measurement: 200 form posts from one client. With the shipped default
    # (20 a minute per address) only 20 are stored.
    default = StackSettings().rate_limit_per_address
    client = app_with(intake, rate_limit_per_address=default)
    token = _csrf(client)
    # Each post a different form (its own one-time form id), as a script filling it anew would send.
    codes = [client.post("/", data=form(token, email=f"burst{i}@example.org", form_id=f"f{i}")).status_code
             for i in range(200)]
    assert default.startswith("20/minute")
    assert codes.count(303) == 20 and codes.count(429) == 180
    assert len(redis_client.keys("intake:request:*")) == 20


def test_the_form_past_the_limit_says_so_in_the_trainees_language(intake, redis_client):
    client = app_with(intake, rate_limit_per_address="2/minute")
    token = _csrf(client)
    codes = [client.post("/?lang=fr", data=form(token, email=f"t{i}@example.org", form_id=f"f{i}")).status_code
             for i in range(4)]
    assert codes == [303, 303, 429, 429]
    page = client.post("/?lang=fr", data=form(token, form_id="f9")).get_data(as_text=True)
    assert "Trop de tentatives" in page and 'lang="fr"' in page
    assert len(redis_client.keys("intake:request:*")) == 2


def test_one_email_is_limited_whichever_address_it_comes_from(intake, redis_client):
    client = app_with(intake, rate_limit_per_email="3/hour")
    codes = [client.post("/api/requests", json=request_json(email="Same@Example.org" if i % 2 else "same@example.org"),
                         environ_base={"REMOTE_ADDR": f"10.0.0.{i}"}).status_code for i in range(6)]
    assert codes == [201, 201, 201, 429, 429, 429]
    assert len(redis_client.keys("intake:request:*")) == 3
    # The counter's key in Redis does not hold the address itself.
    assert not [k for k in redis_client.keys("twoshot:limits:*") if "same@example.org" in k.lower()]


def test_forwarded_addresses_count_only_through_the_configured_proxies(intake, redis_client):
    # No proxy configured: X-Forwarded-For is the client's own words and changes nothing.
    client = app_with(intake, rate_limit_per_address="2/minute")
    codes = [client.post("/api/requests", json=request_json(email=f"a{i}@example.org"),
                         headers={"X-Forwarded-For": f"203.0.113.{i}"}).status_code for i in range(3)]
    assert codes == [201, 201, 429]
    # One trusted proxy: the address it reports is the client, counted separately.
    client = app_with(intake, rate_limit_per_address="2/minute", trusted_proxy_hops=1)
    codes = [client.post("/api/requests", json=request_json(email=f"b{i}@example.org"),
                         headers={"X-Forwarded-For": f"198.51.100.{i}"}).status_code for i in range(3)]
    assert codes == [201, 201, 201]


def test_guessing_staff_tokens_is_cut_off_per_address(intake, redis_client):
    client = app_with(intake, rate_limit_staff_failures="3/minute")
    editor = StaffAccounts(redis_client).create("Editor", "editor")
    # Requests that present no credentials are not counted (and cost no Redis round trip):
    # page views, and even 401s for a missing token, leave the guesses' budget alone.
    assert all(client.get("/").status_code == 200 for _ in range(5))
    assert all(client.post("/api/mentors", json=MENTOR).status_code == 401 for _ in range(5))
    assert redis_client.keys("twoshot:limits:*") == []
    bad = [client.post("/api/mentors", json=MENTOR, headers={"Authorization": f"Bearer guess{i}.x"}).status_code
           for i in range(3)]
    assert bad == [401, 401, 401]
    # Past the limit even the right token waits, so guessing gains nothing.
    late = client.post("/api/mentors", json=MENTOR, headers={"Authorization": f"Bearer {editor}"})
    assert late.status_code == 429 and "Retry-After" in late.headers
    other = client.post("/api/mentors", json=MENTOR, headers={"Authorization": f"Bearer {editor}"},
                        environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert other.status_code == 201


def test_revoked_rotated_and_expired_tokens_stop_working(intake, redis_client):
    client = app_with(intake)
    accounts = StaffAccounts(redis_client)

    def status(token):
        return client.post("/api/mentors", json=MENTOR, headers={"Authorization": f"Bearer {token}"}).status_code

    token = accounts.create("Rotating editor", "editor")
    staff_id = token.split(".")[0]
    new = accounts.rotate(staff_id)
    assert (status(token), status(new)) == (401, 201)
    accounts.revoke(staff_id)
    assert status(new) == 401
    expired = accounts.create("Past editor", "editor", expires_days=-1)
    assert status(expired) == 401
    listed = {a["name"]: a for a in accounts.list()}
    assert listed["Rotating editor"]["revoked_at"] and not listed["Rotating editor"]["active"]
    assert not listed["Past editor"]["active"] and all("digest" not in a for a in listed.values())


def test_the_staff_command_line_adds_lists_rotates_and_revokes(infra, redis_client):
    env = {**os.environ, "REDIS_URL": infra.redis}

    def run(*args):
        done = subprocess.run([sys.executable, "-m", "shared.staff", *args], env=env, capture_output=True,
                              text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    added = dict(line.split(":", 1) for line in run("add", "Ana Admin", "viewer", "--expires-days", "30").splitlines())
    staff_id, token = added["id"].strip(), added["token"].split()[0]
    assert token.split(".")[0] == staff_id and StaffAccounts(redis_client).authenticate(token) is not None
    assert staff_id in run("list") and "active" in run("list")
    rotated = run("rotate", staff_id)
    assert rotated != token and StaffAccounts(redis_client).authenticate(rotated) is not None
    run("revoke", staff_id)
    assert StaffAccounts(redis_client).authenticate(rotated) is None
    assert "inactive" in run("list")


@pytest.mark.parametrize("secret", ["", "dev-only-secret-change-me", "short"])
def test_outside_development_a_missing_or_default_secret_stops_the_service(secret, redis_client, infra):
    production = StackSettings.from_env(infra.env(), environment="production", secret_key=secret)
    with pytest.raises(InsecureConfiguration):
        create_app({"environment": "production", "secret_key": secret},
                   intake=bootstrap(production.with_overrides(environment="development"), redis_client))
    with pytest.raises(InsecureConfiguration):
        bootstrap(production, redis_client)
    # A worker process refuses too, with the reason on stderr.
    env = {**infra.env(), "ENVIRONMENT": "production", "SECRET_KEY": secret}
    done = subprocess.run([sys.executable, "-m", "services.intake.worker"], env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode != 0 and "SECRET_KEY" in done.stderr


def test_cookies_are_secure_when_the_public_address_is_https(intake):
    client = app_with(intake, public_base_url="https://twoshot.example.org")
    response = client.get("/")
    assert "Secure" in response.headers["Set-Cookie"] and "HttpOnly" in response.headers["Set-Cookie"]
    assert "Secure" not in app_with(intake).get("/").headers["Set-Cookie"]


def test_console_passwords_sign_in_and_end_every_session_when_changed_or_revoked(redis_client):
    accounts = StaffAccounts(redis_client)
    staff_id = accounts.create("Ana Lima", "editor", login="Ana").split(".")[0]
    with pytest.raises(ValueError):
        accounts.set_password(staff_id, "short")
    accounts.set_password(staff_id, "a long enough password")
    assert "argon2id" in json.loads(redis_client.hget("twoshot:staff", staff_id))["password"]
    member, epoch = accounts.sign_in("ana", "a long enough password")
    assert member.id == staff_id and accounts.session(staff_id, epoch) == member
    assert accounts.sign_in("ana", "wrong password") is None and accounts.sign_in("nobody", "x" * 12) is None
    accounts.set_password(staff_id, "another long password")
    assert accounts.session(staff_id, epoch) is None               # the old browser session ended
    _, epoch = accounts.sign_in("ana", "another long password")
    accounts.revoke(staff_id)
    assert accounts.session(staff_id, epoch) is None and accounts.sign_in("ana", "another long password") is None
    with pytest.raises(ValueError):
        accounts.create("Other Ana", "viewer", login="ana")          # logins are unique
