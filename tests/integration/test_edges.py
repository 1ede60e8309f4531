"""Trust at the edges (#22): a person acting twice gets one result, sign-in limits hold
under parallel bursts and many addresses, and input that is not what it claims to be is
refused with a 4xx. Against the running services (gunicorn, real Redis and broker) where
the behaviour is the HTTP side's, else the app on real Redis."""
from __future__ import annotations

import csv
import http.cookiejar
import io
import json
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis

from services.intake.app import create_app as intake_app
from services.intake.bootstrap import bootstrap as intake_bootstrap
from services.matching.app import create_app as matching_app
from services.matching.bootstrap import bootstrap as matching_bootstrap
from shared.staff import StaffAccounts
from tests.conftest import poll, unique_email
from tests.integration.test_matching_admin import call

pytestmark = pytest.mark.integration

FORM = {"name": "Zanele Dube", "country": "ZA", "timezone": "Africa/Johannesburg", "languages": "en",
        "discipline": "sound", "focus_skills": "boom operation", "goals": "Clean dialogue in wind",
        "avail_0_start": "17:00", "avail_0_end": "20:00"}


class Browser:
    """One browser: its cookies, and forms read from the pages it was shown."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                                  NoRedirect())

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=10) as r:
            return r.read().decode()

    def post(self, path: str, fields: dict) -> tuple[int, str]:
        req = urllib.request.Request(self.base + path, data=urllib.parse.urlencode(fields, doseq=True).encode(),
                                     method="POST")
        try:
            with self.opener.open(req, timeout=30) as r:
                return r.status, r.headers.get("Location", "")
        except urllib.error.HTTPError as exc:
            with exc:
                return exc.code, exc.headers.get("Location", "")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found, f"no {name} on the page"
    return found.group(1)


def stored_for(client, email: str) -> int:
    return sum(1 for k in client.scan_iter("intake:request:*") if email in (client.get(k) or ""))


# --- one request per form ----------------------------------------------------------------

def test_the_same_form_sent_twice_in_a_row_and_five_times_at_once_stores_one_request(full_stack):
    client = redis.Redis.from_url(full_stack.redis, decode_responses=True)
    browser = Browser(full_stack.url("intake"))
    page = browser.get("/")
    email = unique_email("twice")
    fields = {**FORM, "email": email, "csrf_token": hidden(page, "csrf_token"), "form_id": hidden(page, "form_id")}
    first = browser.post("/", fields)
    again = browser.post("/", fields)                       # the back button, then Send again
    assert first[0] == again[0] == 303 and first[1] == again[1]
    page = browser.get("/")                                 # a new form: the same person, five clicks at once
    fields = {**FORM, "email": email, "csrf_token": hidden(page, "csrf_token"), "form_id": hidden(page, "form_id")}
    with ThreadPoolExecutor(5) as pool:
        answers = list(pool.map(lambda _: browser.post("/", fields), range(5)))
    assert {a[0] for a in answers} == {303} and len({a[1] for a in answers}) == 1
    assert answers[0][1] != first[1]                        # a second form is a second request
    assert stored_for(client, email) == 2


def post_api(stack, payload: dict, key: str = "") -> tuple[int, dict, dict]:
    headers = {"Content-Type": "application/json", **({"Idempotency-Key": key} if key else {})}
    req = urllib.request.Request(stack.url("intake") + "/api/requests", data=json.dumps(payload).encode(),
                                 method="POST", headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, dict(r.headers), json.load(r)
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, dict(exc.headers), json.loads(exc.read() or b"{}")


def test_the_api_with_an_idempotency_key_stores_one_request_and_refuses_the_key_for_another(full_stack):
    client = redis.Redis.from_url(full_stack.redis, decode_responses=True)
    email = unique_email("api-twice")
    payload = {"name": "Zanele Dube", "email": email, "country": "ZA", "timezone": "Africa/Johannesburg",
               "languages": ["en"], "discipline": "sound", "focus_skills": ["boom operation"],
               "goals": "Clean dialogue in wind", "availability": [{"day": 1, "start": "17:00", "end": "20:00"}]}
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda _: post_api(full_stack, payload, key="order-7f3a"), range(4)))
    assert {a[0] for a in answers} == {201} and len({a[2]["id"] for a in answers}) == 1
    assert sum(1 for a in answers if a[1].get("Idempotent-Replayed") == "true") == 3
    status, _, body = post_api(full_stack, {**payload, "goals": "Something else"}, key="order-7f3a")
    assert status == 422 and "Idempotency-Key" in body["fields"]
    assert stored_for(client, email) == 1
    assert post_api(full_stack, payload)[0] == 201 and stored_for(client, email) == 2   # no key: a new request


# --- sign-in limits -----------------------------------------------------------------------

@pytest.fixture
def limited_intake(infra, redis_client):
    from shared.config import StackSettings
    intake = intake_bootstrap(StackSettings.from_env(infra.env()), redis_client)
    app = intake_app({"rate_limit_staff_failures": "10/minute", "rate_limit_per_address": "100000/minute"},
                     intake=intake)
    yield app
    intake.runtime.close()


def burst(app, count: int, addresses: list[str], headers_for) -> list[int]:
    """``count`` requests at once, spread over ``addresses``, each from its own client."""
    barrier = threading.Barrier(count)

    def one(i: int) -> int:
        client = app.test_client()
        barrier.wait(timeout=10)
        return client.post("/api/mentors", json={}, headers=headers_for(i),
                           environ_base={"REMOTE_ADDR": addresses[i % len(addresses)]}).status_code
    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(one, range(count)))


def test_a_parallel_burst_of_wrong_tokens_from_one_address_gets_only_the_limit_in(limited_intake, redis_client):
    codes = burst(limited_intake, 30, ["203.0.113.5"], lambda i: {"Authorization": f"Bearer guess{i}.wrong"})
    assert codes.count(401) == 10 and codes.count(429) == 20


def test_wrong_tokens_for_one_account_from_ten_addresses_get_only_the_limit_in(limited_intake, redis_client):
    editor = StaffAccounts(redis_client).create("Target", "editor")
    account = editor.split(".")[0]
    addresses = [f"198.51.100.{i}" for i in range(10)]
    codes = burst(limited_intake, 40, addresses, lambda i: {"Authorization": f"Bearer {account}.guess{i}"})
    assert codes.count(401) == 10 and codes.count(429) == 30
    # The account is locked for this window, even with its right token, from a fresh address.
    late = limited_intake.test_client().post("/api/mentors", json={}, headers={"Authorization": f"Bearer {editor}"},
                                             environ_base={"REMOTE_ADDR": "192.0.2.77"})
    assert late.status_code == 429 and late.headers["Retry-After"]


def test_console_sign_in_bursts_from_one_and_from_ten_addresses_get_only_the_limit_in(infra, redis_client):
    from shared.config import StackSettings
    matching = matching_bootstrap(StackSettings.from_env(infra.env()), redis_client)
    try:
        app = matching_app({"rate_limit_staff_failures": "10/minute"}, matching=matching)
        StaffAccounts(redis_client).create("Ana Lima", "editor", login="ana")

        def attempts(count: int, addresses: list[str], login: str) -> list[int]:
            barrier = threading.Barrier(count)

            def one(i: int) -> int:
                client = app.test_client()
                page = client.get("/admin/login").get_data(as_text=True)
                barrier.wait(timeout=10)
                return client.post("/admin/login", data={"csrf_token": hidden(page, "csrf_token"), "login": login,
                                                         "password": f"wrong guess {i}"},
                                   environ_base={"REMOTE_ADDR": addresses[i % len(addresses)]}).status_code
            with ThreadPoolExecutor(count) as pool:
                return list(pool.map(one, range(count)))
        one_address = attempts(25, ["203.0.113.9"], "someone")
        assert one_address.count(401) == 10 and one_address.count(429) == 15
        ten_addresses = attempts(30, [f"198.51.100.{i}" for i in range(10)], "ana")
        assert ten_addresses.count(401) == 10 and ten_addresses.count(429) == 20
    finally:
        matching.runtime.close()


# --- input that is not what it claims -------------------------------------------------------

@pytest.fixture(scope="module")
def editor(full_stack):
    return StaffAccounts(redis.Redis.from_url(full_stack.redis, decode_responses=True)).create("Edge", "editor")


def test_a_fractional_or_quoted_version_is_refused_and_nothing_is_rolled_back(full_stack, editor):
    _, before = call(full_stack, "GET", "/api/admin/policy", token=editor)
    for version in (0.9, "1", 1.0, True):
        status, body = call(full_stack, "POST", "/api/admin/policy/rollback", token=editor,
                            payload={"version": version, "reason": "testing whole numbers only"})
        assert status == 422 and "version" in body["fields"], (version, status, body)
    _, after = call(full_stack, "GET", "/api/admin/policy", token=editor)
    assert after == before


def test_a_csrf_token_with_non_ascii_characters_gets_400_not_500(full_stack):
    browser = Browser(full_stack.url("intake"))
    page = browser.get("/")
    status, _ = browser.post("/", {**FORM, "email": unique_email("csrf"), "csrf_token": "jeton-é-ß-☃",
                                   "form_id": hidden(page, "form_id")})
    assert status == 400


def test_fairness_csv_cells_that_would_run_as_formulas_are_neutralised(full_stack, editor):
    client = redis.Redis.from_url(full_stack.redis, decode_responses=True)
    attribute = f"collective{unique_email('x')[:8]}"
    for i, group in enumerate(["=HYPERLINK(\"http://evil.example\")", "+1+2", "@SUM(A1)", "ordinary"]):
        mentor = {"name": f"Formula {i}", "email": unique_email(f"formula{i}"), "country": "KE",
                  "timezone": "Africa/Nairobi", "languages": ["sw"], "disciplines": ["sound"],
                  "skills": [{"name": "boom operation", "level": 4}], "monthly_capacity": 5,
                  "availability": [{"day": d, "start": "00:00", "end": "24:00"} for d in range(7)],
                  "attributes": {attribute: group}}
        req = urllib.request.Request(full_stack.url("intake") + "/api/mentors", data=json.dumps(mentor).encode(),
                                     method="POST", headers={"Content-Type": "application/json",
                                                             "Authorization": f"Bearer {editor}"})
        with urllib.request.urlopen(req, timeout=10) as r:
            assert r.status == 201
    poll(lambda: sum(1 for raw in client.hvals("matching:mentors") if attribute in raw) == 4, timeout=30)
    _, policy = call(full_stack, "GET", "/api/admin/policy", token=editor)
    try:
        status, _ = call(full_stack, "PATCH", "/api/admin/policy", token=editor,
                         payload={"fairness": {"group_attribute": attribute}, "reason": "report by collective"})
        assert status == 200
        trainee = {"name": "Wanjiru Kamau", "email": unique_email("csv"), "country": "KE",
                   "timezone": "Africa/Nairobi", "languages": ["sw"], "discipline": "sound",
                   "focus_skills": ["boom operation"], "goals": "Clean dialogue",
                   "availability": [{"day": d, "start": "00:00", "end": "24:00"} for d in range(7)]}
        assert post_api(full_stack, trainee)[0] == 201
        poll(lambda: client.hlen(f"matching:exposure:{attribute}") >= 2, timeout=30)
        status, text = call(full_stack, "GET", "/api/admin/fairness-report?format=csv", token=editor, raw=True)
        assert status == 200
        cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
        assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t")], cells
        assert "'=HYPERLINK(\"http://evil.example\")" in cells or "'+1+2" in cells or "'@SUM(A1)" in cells
    finally:
        call(full_stack, "POST", "/api/admin/policy/rollback", token=editor,
             payload={"version": policy["version"], "reason": "back to the policy before the CSV test"})


def test_the_console_cookie_is_secure_behind_https_and_not_on_a_plain_laptop(infra, redis_client):
    from shared.config import StackSettings
    matching = matching_bootstrap(StackSettings.from_env(infra.env()), redis_client)
    try:
        for public, secure in (("https://staff.twoshot.example.org", True), ("http://127.0.0.1:8001", False)):
            client = matching_app({"matching_public_url": public}, matching=matching).test_client()
            response = client.get("/admin/login")
            cookie = response.headers["Set-Cookie"]
            assert ("; Secure" in cookie) is secure, (public, cookie)
            assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    finally:
        matching.runtime.close()
