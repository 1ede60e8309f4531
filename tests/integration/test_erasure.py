"""The right to erasure on the whole stack (real broker, Redis, SMTP): a trainee erases
themselves from their status page, staff erase a mentor with a booked session. After
every service reports it forgot them, a scan of every Redis key and of every event
still in the topics (opened with the live key ring) finds neither their email nor
their name, and the other side of the mentor's session was told first."""
from __future__ import annotations

import http.cookiejar
import json
import re
import urllib.parse
import urllib.request
import uuid

import pytest
import redis

from shared.contracts import ALL_TOPICS, dlq_for
from shared.events import deserialize
from shared.privacy import KeyRing, Sealer
from tests.conftest import MailboxClient, poll, unique_email
from tests.contract import check_answer
from tests.integration.test_flow import get_json, post
from tests.integration.test_session_life import click, link
from tests.kafka_tools import read_everything

pytestmark = pytest.mark.integration

ALL_DAY = [{"day": d, "start": "00:00", "end": "24:00"} for d in range(7)]
SERVICES = {"intake", "matching", "sessions", "notifications"}


def person_name(first: str) -> str:
    return f"{first} Q{uuid.uuid4().hex[:8]}"     # a surname no other test writes


def register_mentor(stack, name, email, language):
    status, body = post(stack.url("intake") + "/api/mentors", {
        "name": name, "email": email, "country": "AR", "timezone": "America/Argentina/Buenos_Aires",
        "languages": [language], "disciplines": ["editing"], "skills": [{"name": "story structure", "level": 5}],
        "bio": f"{name} cuts documentaries.", "monthly_capacity": 5, "availability": ALL_DAY,
        "attributes": {"gender": "woman"}}, token=stack.staff_token())
    assert status == 201, body
    return json.loads(body)["id"]


def submit(stack, name, email, language):
    status, body = post(stack.url("intake") + "/api/requests", {
        "name": name, "email": email, "country": "KE", "timezone": "Africa/Nairobi", "languages": [language],
        "discipline": "editing", "focus_skills": ["story structure"], "equity_consent": True,
        "equity": {"background": "first in my family in film"},
        "goals": f"{name} wants tighter documentary cuts", "availability": ALL_DAY})
    assert status == 201, body
    return json.loads(body)["id"]


def erasure(stack, person_id):
    token = stack.staff_token("viewer")
    try:
        record = get_json(f"{stack.url('intake')}/api/admin/erasures/{person_id}", token)
    except urllib.error.HTTPError as exc:
        exc.close()
        return {}
    check_answer(stack.url("intake"), "GET", f"/api/admin/erasures/{person_id}", 200, record)
    return record


def traces(stack, needles: list[str], redis_too: bool = True) -> list[str]:
    """Where any needle still appears: Redis keys and values, and events on every topic,
    both as stored and as a consumer opens them with the live key ring."""
    found = []
    client = redis.Redis.from_url(stack.redis, decode_responses=True)
    try:
        for key in client.scan_iter(count=1000) if redis_too else ():
            text = key + json.dumps(_values(client, key), ensure_ascii=False, default=str)
            found += [f"redis {key}: {n}" for n in needles if n.lower() in text.lower()]
        sealer = Sealer(KeyRing(client))
        topics = [*ALL_TOPICS, *[dlq_for(t) for t in ALL_TOPICS]]
        for record in read_everything(stack.bootstrap_servers, topics):
            raw = (record.value or b"").decode("utf-8", "replace")
            try:
                opened = json.dumps(deserialize(record.value, sealer).data, ensure_ascii=False)
            except Exception:      # not an event (a drill's poison): its raw bytes are checked
                opened = ""
            found += [f"topic {record.topic}@{record.offset}: {n}" for n in needles
                      if n.lower() in raw.lower() or (redis_too and n.lower() in opened.lower())]
    finally:
        client.close()
    return found


def _values(client, key) -> list:
    kind = client.type(key)
    if kind == "string":
        return [client.get(key)]
    if kind == "hash":
        return list(client.hgetall(key).items())
    if kind == "list":
        return client.lrange(key, 0, -1)
    if kind == "set":
        return sorted(client.smembers(key))
    if kind == "zset":
        return client.zrange(key, 0, -1)
    return []


def erase_from_status_page(stack, request_id):
    """What the trainee does: the status page (linked in every email), tick, press."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{stack.url('intake')}/requests/{request_id}", timeout=10).read().decode()
    assert "Erase my data" in page
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrf_token": csrf, "confirm": "yes"}).encode()
    with opener.open(f"{stack.url('intake')}/requests/{request_id}/erase", data=data, timeout=10) as r:
        assert r.status == 200 and "being erased" in r.read().decode()


def test_a_trainee_erases_themselves_and_no_service_or_topic_keeps_them(full_stack):
    stack, mail = full_stack, MailboxClient(full_stack.url("mailbox"))
    mentor_name, mentor_email = person_name("Valeria"), unique_email("valeria")
    trainee_name, trainee_email = person_name("Wanjiru"), unique_email("wanjiru")
    register_mentor(stack, mentor_name, mentor_email, "ps")
    request_id = submit(stack, trainee_name, trainee_email, "ps")
    invite = mail.wait_for(1, to=mentor_email)[0]
    assert click(link(invite, "Accept"))[0] == 200
    mail.wait_for(1, to=trainee_email, about_sessions=True)
    # Never in clear on the bus (as stored), only in each service's own state.
    assert traces(stack, [trainee_email, trainee_name], redis_too=False) == []

    client = redis.Redis.from_url(stack.redis, decode_responses=True)
    trainee_id = json.loads(client.get(f"intake:request:{request_id}"))["trainee"]["id"]
    client.close()
    erase_from_status_page(stack, request_id)
    done = poll(lambda: (e := erasure(stack, trainee_id)).get("completed_at") and e, timeout=60)
    assert set(done["forgotten"]) == SERVICES and done["requested_by"] == "self"

    assert traces(stack, [trainee_email, trainee_name]) == []
    # The mentor's data is untouched, and the erased request's page says what happened.
    assert traces(stack, [mentor_email]) != []
    with pytest.raises(urllib.error.HTTPError) as gone:
        urllib.request.urlopen(f"{stack.url('intake')}/requests/{request_id}", timeout=10)
    assert gone.value.code == 410
    gone.value.close()


def test_staff_erase_a_mentor_whose_trainee_is_told_first(full_stack):
    stack, mail = full_stack, MailboxClient(full_stack.url("mailbox"))
    mentor_name, mentor_email = person_name("Marisol"), unique_email("marisol")
    trainee_name, trainee_email = person_name("Kwame"), unique_email("kwame")
    mentor_id = register_mentor(stack, mentor_name, mentor_email, "ne")
    submit(stack, trainee_name, trainee_email, "ne")
    invite = mail.wait_for(1, to=mentor_email)[0]
    assert click(link(invite, "Accept"))[0] == 200
    mail.wait_for(1, to=trainee_email, about_sessions=True)
    mentor_mail_before = len(mail.messages(to=mentor_email))

    status, body = post(stack.url("intake") + "/api/admin/erasures", {"mentor_email": mentor_email},
                        token=stack.staff_token())
    assert status == 202, body
    check_answer(stack.url("intake"), "POST", "/api/admin/erasures", 202, json.loads(body))
    done = poll(lambda: (e := erasure(stack, mentor_id)).get("completed_at") and e, timeout=60)
    assert set(done["forgotten"]) == SERVICES and done["requested_by"].startswith("Stack editor [")
    audit = get_json(f"{stack.url('intake')}/api/admin/audit", stack.staff_token("viewer"))
    check_answer(stack.url("intake"), "GET", "/api/admin/audit", 200, audit)
    audit = audit["entries"]
    assert {"action": "erasure.request", "person_id": mentor_id, "role": "mentor"}.items() <= audit[-1].items()
    assert audit[-1]["who"] == done["requested_by"]

    # The trainee hears the session is off (from the programme, without the erased name).
    cancelled = poll(lambda: [m for m in mail.messages(to=trainee_email) if "ancel" in m["subject"]], timeout=60)
    assert mentor_name not in cancelled[0]["text"] and mentor_email not in cancelled[0]["text"]
    assert len(mail.messages(to=mentor_email)) == mentor_mail_before      # nothing more to the erased mentor

    assert traces(stack, [mentor_email, mentor_name]) == []
    # Matching can no longer propose her: her row is empty, with no capacity.
    client = redis.Redis.from_url(stack.redis, decode_responses=True)
    try:
        row = json.loads(client.hget("matching:mentors", mentor_id))
    finally:
        client.close()
    assert row["monthly_capacity"] == 0 and row["person"]["name"] == "—"


def test_erasure_needs_an_editor_and_a_valid_target(full_stack):
    url = full_stack.url("intake") + "/api/admin/erasures"
    assert post(url, {"mentor_email": "x@example.org"})[0] == 401
    assert post(url, {"mentor_email": "x@example.org"}, token=full_stack.staff_token("viewer"))[0] == 403
    status, body = post(url, {"request_id": "r", "mentor_email": "x@example.org"}, token=full_stack.staff_token())
    assert status == 422 and "_schema" in json.loads(body)["fields"]


def erase_mentor(stack, email: str):
    return post(stack.url("intake") + "/api/admin/erasures", {"mentor_email": email}, token=stack.staff_token())


def test_a_second_erasure_after_the_address_was_imported_again_runs_and_leaves_nothing(full_stack):
    stack = full_stack
    name, email = person_name("Ilse"), unique_email("ilse")
    mentor_id = register_mentor(stack, name, email, "nl")
    assert erase_mentor(stack, email)[0] == 202
    first = poll(lambda: (e := erasure(stack, mentor_id)).get("completed_at") and e, timeout=60)
    # Staff import her again (the tombstone blanks what can be sealed, but intake stores
    # the profile it was sent), then erase her again: the second erasure must run.
    register_mentor(stack, name, email, "nl")
    client = redis.Redis.from_url(stack.redis, decode_responses=True)
    assert any(email in (v or "") for v in client.hvals("intake:mentors"))
    status, body = erase_mentor(stack, email)
    assert status == 202, body
    second = poll(lambda: (e := erasure(stack, mentor_id)).get("completed_at") != first["completed_at"]
                  and e.get("completed_at") and e, timeout=60)
    assert second["requested_at"] > first["requested_at"] and set(second["forgotten"]) == SERVICES
    assert not any(email in (v or "") or name in (v or "") for v in client.hvals("intake:mentors"))


def test_signing_up_again_within_days_of_an_erasure_says_why_and_keeps_nothing(full_stack):
    stack = full_stack
    name, email = person_name("Rui"), unique_email("rui")
    mentor_id = register_mentor(stack, name, email, "pt")
    assert erase_mentor(stack, email)[0] == 202
    poll(lambda: erasure(stack, mentor_id).get("completed_at"), timeout=60)
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{stack.url('intake')}/mentors/join?lang=pt", timeout=10).read().decode()
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = {"csrf_token": csrf, "lang": "pt", "name": name, "email": email, "country": "PT",
            "timezone": "Europe/Lisbon", "languages": "pt", "disciplines": "editing",
            "skill_0_name": "story structure", "skill_0_level": "4", "monthly_capacity": "2",
            "avail_0_start": "18:00", "avail_0_end": "20:00"}
    try:
        opener.open(f"{stack.url('intake')}/mentors/join", data=urllib.parse.urlencode(form).encode(), timeout=10)
        raise AssertionError("a sign-up after an erasure was taken as if nothing had happened")
    except urllib.error.HTTPError as exc:
        with exc:
            status, text = exc.code, exc.read().decode()
    assert status == 409 and "apagado" in text and 'lang="pt"' in text
    client = redis.Redis.from_url(stack.redis, decode_responses=True)
    assert client.get(f"intake:signup:{mentor_id}") is None and not client.keys(f"intake:signup:*{mentor_id}*")
    assert traces(stack, [email]) == []


MANAGE = re.compile(r"(https?://[^\s\"<>]+/mentors/manage\?token=[^\s\"<>]+)")


def ask_for_link(stack, email: str) -> None:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{stack.url('intake')}/mentors/join", timeout=10).read().decode()
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found
    form = {"csrf_token": found.group(1), "name": "Anyone", "email": email, "country": "FR", "timezone": "Europe/Paris",
            "languages": "fr", "disciplines": "editing", "skill_0_name": "pacing", "skill_0_level": "3",
            "monthly_capacity": "2", "avail_0_start": "18:00", "avail_0_end": "20:00"}
    with opener.open(f"{stack.url('intake')}/mentors/join", data=urllib.parse.urlencode(form).encode(),
                     timeout=10) as r:
        assert r.status == 200


def open_link(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept-Language": "fr"}), timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.read().decode()


def test_a_new_manage_link_retires_the_older_ones_and_a_mentor_can_withdraw_them_all(full_stack):
    stack, mail = full_stack, MailboxClient(full_stack.url("mailbox"))
    email = unique_email("links")
    register_mentor(stack, person_name("Odile"), email, "fr")
    ask_for_link(stack, email)
    first = MANAGE.search(mail.wait_for(1, to=email)[0]["text"]).group(1)
    assert open_link(first)[0] == 200
    ask_for_link(stack, email)
    second = MANAGE.search(mail.wait_for(2, to=email)[-1]["text"]).group(1)
    assert second != first
    status, page = open_link(first)
    assert status == 403 and "remplacé" in page                     # in her language: a newer link exists
    status, page = open_link(second)
    assert status == 200
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("Accept-Language", "fr")]
    page = opener.open(second, timeout=10).read().decode()
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    token = urllib.parse.parse_qs(urllib.parse.urlparse(second).query)["token"][0]
    data = urllib.parse.urlencode({"csrf_token": csrf, "token": token, "action": "revoke_links"}).encode()
    with opener.open(f"{stack.url('intake')}/mentors/manage", data=data, timeout=10) as r:
        assert r.status == 200 and "retirés" in r.read().decode()
    assert open_link(second)[0] == 403
