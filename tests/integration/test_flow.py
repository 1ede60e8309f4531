"""The whole system, every service a real process, through the real broker,
Redis and SMTP server."""
import json
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest
import redis

from services.matching.repository import MatchingRepository
from tests.conftest import MailboxClient, poll, unique_email

pytestmark = pytest.mark.integration

EVENINGS = [{"day": d, "start": "00:00", "end": "24:00"} for d in range(7)]


def post(url, payload=None, form=None, token=None):
    if form is not None:
        data, ctype = urllib.parse.urlencode(form).encode(), "application/x-www-form-urlencoded"
    else:
        data, ctype = json.dumps(payload).encode(), "application/json"
    headers = {"Content-Type": ctype, **({"Authorization": f"Bearer {token}"} if token else {})}
    return _answer(urllib.request.Request(url, data=data, method="POST", headers=headers))


def get(url):
    """GET a page: (status, body), also for 4xx answers."""
    return _answer(urllib.request.Request(url))


def _answer(req) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.read().decode()


def get_json(url, token=None):
    req = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.load(r)


def register_mentor(stack, language, name):
    email = unique_email(name.lower())
    status, body = post(stack.url("intake") + "/api/mentors", {
        "name": name, "email": email, "country": "FR", "timezone": "Europe/Paris", "languages": [language],
        "disciplines": ["sound"], "skills": [{"name": "boom operation", "level": 5}], "monthly_capacity": 3,
        "availability": EVENINGS}, token=stack.staff_token())
    assert status == 201, body
    mentor_id = json.loads(body)["id"]
    poll(lambda: known_to_matching(stack, mentor_id), timeout=30)
    return email


def known_to_matching(stack, mentor_id):
    try:
        url = f"{stack.url('matching')}/api/mentors/{mentor_id}"
        return get_json(url, stack.staff_token("viewer"))["id"] == mentor_id
    except urllib.error.HTTPError as exc:
        exc.close()
        return False


def submit_request(stack, language):
    status, body = post(stack.url("intake") + "/api/requests", {
        "name": "Wanjiru Kamau", "email": unique_email("trainee"), "country": "KE", "timezone": "Africa/Nairobi",
        "languages": [language], "discipline": "sound", "focus_skills": ["boom operation"],
        "goals": "Clean dialogue on noisy exterior locations", "availability": EVENINGS})
    assert status == 201, body
    return json.loads(body)["id"]


def link(message, action):
    return re.search(rf"{action.capitalize()}: (\S+)", message["text"]).group(1)


def answer(url, **form):
    token = urllib.parse.parse_qs(urllib.parse.urlparse(url).query)["token"][0]
    return post(url.split("?")[0], form={"token": token, **form})


def test_a_declined_invite_goes_to_the_next_mentor_never_the_same_one_twice(full_stack):
    mailbox = MailboxClient(full_stack.url("mailbox"))
    # Amharic: no other test's mentor speaks it, so these two are the only candidates.
    mentors = {register_mentor(full_stack, "am", "Abebe"), register_mentor(full_stack, "am", "Selam")}
    request_id = submit_request(full_stack, "am")

    invited = []
    for _ in mentors:
        invite = poll(lambda: [m for to in mentors - set(invited) for m in mailbox.messages(to)], timeout=60)[0]
        invited.append(invite["recipients"][0])
        status, page = answer(link(invite, "decline"), reason="travelling that week")
        assert status == 200 and "Session declined" in page
    assert set(invited) == mentors  # each asked once, the second only after the first declined

    status = poll(lambda: (s := get_json(f"{full_stack.url('intake')}/api/requests/{request_id}"))["status"]
                  == "unmatched" and s, timeout=60)
    assert "all 2 suitable mentors were asked" in status["timeline"][-1]["message"]
    assert "try again as new mentors join" in status["timeline"][-1]["message"]
    steps = [e["step"] for e in status["timeline"]]
    assert steps == ["requested", "matched", "invited", "declined", "matched", "invited", "declined", "unmatched"]
    assert all(len(mailbox.messages(to)) == 1 for to in mentors)


def test_a_link_that_was_tampered_with_is_refused_and_changes_nothing(full_stack):
    mailbox = MailboxClient(full_stack.url("mailbox"))
    mentor = register_mentor(full_stack, "ha", "Musa")
    request_id = submit_request(full_stack, "ha")
    invite = mailbox.wait_for(1, to=mentor)[0]
    status_url = f"{full_stack.url('intake')}/api/requests/{request_id}"
    poll(lambda: get_json(status_url)["status"] == "invited", timeout=30)
    accept = link(invite, "accept")
    decline_token = urllib.parse.parse_qs(urllib.parse.urlparse(link(invite, "decline")).query)["token"][0]
    # The decline link's token used to accept: signed for another action.
    status, page = post(accept.split("?")[0], form={"token": decline_token})
    assert status == 403 and "not valid" in page
    status, _ = post(accept.split("?")[0], form={"token": "x" + decline_token})
    assert status == 403
    assert get_json(status_url)["status"] == "invited"


def test_a_request_that_arrived_before_any_fitting_mentor_is_matched_when_one_joins(full_stack):
    mailbox = MailboxClient(full_stack.url("mailbox"))
    request_id = submit_request(full_stack, "yo")   # nobody speaks Yorùbá yet
    poll(lambda: get_json(f"{full_stack.url('intake')}/api/requests/{request_id}")["status"] == "unmatched",
         timeout=60)
    mentor = register_mentor(full_stack, "yo", "Tunde")
    invite = mailbox.wait_for(1, to=mentor)[0]
    assert "Wanjiru Kamau" in invite["subject"]
    steps = [e["step"] for e in get_json(f"{full_stack.url('intake')}/api/requests/{request_id}")["timeline"]]
    assert steps[:3] == ["requested", "unmatched", "matched"]


def test_a_new_mentor_takes_waiting_trainees_only_up_to_their_capacity(full_stack):
    mailbox = MailboxClient(full_stack.url("mailbox"))
    waiting = [submit_request(full_stack, "de") for _ in range(3)]   # nobody mentors in German yet
    for request_id in waiting:
        poll(lambda r=request_id: get_json(f"{full_stack.url('intake')}/api/requests/{r}")["status"] == "unmatched",
             timeout=60)
    email = unique_email("jonas")
    status, body = post(full_stack.url("intake") + "/api/mentors", {
        "name": "Jonas Wagner", "email": email, "country": "DE", "timezone": "Europe/Berlin", "languages": ["de"],
        "disciplines": ["sound"], "skills": [{"name": "boom operation", "level": 4}], "monthly_capacity": 2,
        "availability": EVENINGS}, token=full_stack.staff_token())
    assert status == 201, body
    mailbox.wait_for(2, to=email, timeout=60)
    # Matching makes every proposal a new mentor triggers in the transaction that stores
    # the mentor: once it knows Jonas, what it proposed is final, and the third request
    # has no mentor.
    mentor_id = json.loads(body)["id"]
    poll(lambda: known_to_matching(full_stack, mentor_id), timeout=30)
    matching = MatchingRepository(redis.Redis.from_url(full_stack.redis, decode_responses=True))
    proposed = [r for r in waiting if matching.get_request(r).current_mentor == mentor_id]
    assert len(proposed) == 2
    assert len(mailbox.messages(email)) == 2
    statuses = [get_json(f"{full_stack.url('intake')}/api/requests/{r}")["status"] for r in waiting]
    assert sorted(statuses) == ["invited", "invited", "unmatched"]


def test_the_trainee_gets_their_requests_page_by_email_at_once_in_their_language(full_stack):
    """Before any mentor is found: a lost tab or another phone is never the end of it."""
    mailbox = MailboxClient(full_stack.url("mailbox"))
    email = unique_email("ines")
    status, body = post(full_stack.url("intake") + "/api/requests", {
        "name": "Inês Tavares", "email": email, "country": "PT", "timezone": "Europe/Lisbon", "languages": ["pt"],
        "locale": "pt", "discipline": "editing", "focus_skills": ["pacing"], "cohort": "lisboa-2026",
        "goals": "Cortar documentário com ritmo", "availability": EVENINGS})
    assert status == 201, body
    request_id = json.loads(body)["id"]
    [received] = mailbox.wait_for(1, to=email)
    assert received["headers"]["X-Twoshot-Kind"] == "request_received"
    assert received["subject"] == "Recebemos seu pedido de mentor"
    assert "pedido de mentor em montagem" in received["text"] and "LISBOA-2026" in received["text"].upper()
    page = re.search(r"Acompanhar seu pedido: (\S+)", received["text"]).group(1)
    assert page.endswith(f"/requests/{request_id}") and page.count(f"/requests/{request_id}") == 1
    assert received["text"].count(page) == 1, "the page's link once, as the button, not again as a footer"
    status, html = get(page)
    assert status == 200 and 'lang="pt"' in html
