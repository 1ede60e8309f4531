"""Intake's form and API against the real Redis and broker: good input is stored and
announced; bad input gets field-level messages and changes nothing."""
import json
import re

import pytest

from services.intake.app import create_app
from services.intake.bootstrap import bootstrap
from shared.events import make_event
from shared.staff import StaffAccounts
from tests.conftest import poll
from tests.kafka_tools import read_topic

pytestmark = pytest.mark.integration


@pytest.fixture
def intake(settings, redis_client):
    intake = bootstrap(settings, redis_client)
    yield intake
    intake.runtime.close()


@pytest.fixture
def client(intake):
    app = create_app(intake=intake)
    app.config["TESTING"] = True
    return app.test_client()


def request_json(**kw):
    base = {"name": "Ama Owusu", "email": "ama@example.org", "country": "GH", "timezone": "Africa/Accra",
            "languages": ["en", "fr"], "discipline": "camera", "focus_skills": ["focus pulling"],
            "goals": "Pull focus on long lenses at night", "reel_url": "https://vimeo.com/1",
            "availability": [{"day": 0, "start": "17:00", "end": "20:00"}]}
    base.update(kw)
    return base


def test_a_valid_request_is_stored_and_announced_on_the_mentorship_topic(client, settings):
    r = client.post("/api/requests", json=request_json())
    assert r.status_code == 201
    request_id = r.json["id"]
    assert client.get(f"/api/requests/{request_id}").json["status"] == "requested"
    records = read_topic(settings.kafka_bootstrap_servers, "twoshot.mentorship", expect=1, timeout=15)
    assert [rec.key.decode() for rec in records] == [request_id]


def test_bad_json_gets_422_with_field_errors_and_nothing_is_stored_or_emitted(client, redis_client, settings):
    r = client.post("/api/requests", json=request_json(email="nope", timezone="Nowhere/City", availability=[]))
    assert r.status_code == 422
    assert set(r.json["fields"]) == {"email", "timezone", "availability"}
    assert redis_client.keys("intake:request:*") == [] and redis_client.zcard("intake:outbox:due") == 0
    assert read_topic(settings.kafka_bootstrap_servers, "twoshot.mentorship") == []


def test_an_api_clients_422_speaks_its_accept_language_nested_fields_included(client, redis_client):
    bad = request_json(email="nope", availability=[{"day": 9, "start": "17:00", "end": "20:00"}])

    english = client.post("/api/requests", json=bad)
    portuguese = client.post("/api/requests", json=bad, headers={"Accept-Language": "pt-BR,pt;q=0.9,en;q=0.5"})

    assert english.status_code == portuguese.status_code == 422
    assert english.headers["Content-Language"] == "en" and portuguese.headers["Content-Language"] == "pt"
    assert english.json["detail"] == "Some fields are not valid; see fields."
    assert portuguese.json["detail"] == "Alguns campos não são válidos; veja fields."
    assert portuguese.json["fields"]["email"] == ["Introduza um e-mail como nome@exemplo.org."]
    # An item of a list, its own field; marshmallow's own words said as the form says them.
    assert english.json["fields"]["availability"]["0"]["day"] == ["Give a number from 0 to 6."]
    assert portuguese.json["fields"]["availability"]["0"]["day"] == ["Indique um número de 0 a 6."]
    assert redis_client.keys("intake:request:*") == []


def test_a_body_that_is_not_json_gets_400(client):
    r = client.post("/api/requests", data="name=x", content_type="application/x-www-form-urlencoded")
    assert r.status_code == 400 and "JSON" in r.json["detail"] and r.mimetype == "application/problem+json"


def test_an_unpaired_surrogate_in_the_json_gets_400_and_nothing_is_stored(client, redis_client, settings):
    # "\ud800" is legal JSON escape syntax but half a character: it cannot be stored or
    # mailed as UTF-8. Flask's reader accepted it and the request failed with a 500 later.
    body = json.dumps(request_json(goals="Pull focus \ud800 at night")).encode()
    assert b"\\ud800" in body
    r = client.post("/api/requests", data=body, content_type="application/json")
    assert r.status_code == 400 and "surrogate" in r.json["detail"] and r.mimetype == "application/problem+json"
    broken = client.post("/api/requests", data=b'{"name": "Ama', content_type="application/json")
    assert broken.status_code == 400 and "not valid JSON" in broken.json["detail"]
    assert redis_client.keys("intake:request:*") == [] and redis_client.zcard("intake:outbox:due") == 0
    assert client.post("/api/requests", json=request_json(goals="Pull focus \U0001F3AC at night")).status_code == 201


def _csrf(client) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").get_data(as_text=True))
    assert found, "the form carries its CSRF token"
    return found.group(1)


def form(token, **kw):
    data = {"csrf_token": token, "name": "Ama", "email": "ama@example.org", "country": "GH",
            "timezone": "Africa/Accra", "languages": ["en"], "discipline": "camera",
            "focus_skills": "focus pulling, lenses", "goals": "Pull focus on long lenses at night",
            "avail_0_start": "17:00", "avail_0_end": "20:00"}
    data.update(kw)
    return data


def test_the_form_comes_back_with_each_message_next_to_its_field(client, redis_client):
    r = client.post("/", data=form(_csrf(client), email="ama-at-example", avail_2_start="18:00",
                                   equity_gender="woman"))
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert 'id="email-error"' in html and 'id="avail_2-error"' in html and 'id="equity_consent-error"' in html
    assert 'value="Ama"' in html  # what was typed is kept
    assert redis_client.keys("intake:request:*") == []


def test_a_form_without_its_csrf_token_is_refused(client, redis_client):
    assert client.post("/", data=form("forged")).status_code == 400
    assert redis_client.keys("intake:request:*") == []


def test_a_valid_form_leads_to_the_status_page(client):
    r = client.post("/", data=form(_csrf(client)))
    assert r.status_code == 303 and r.headers["Location"].startswith("/requests/")
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "We have your request" in page


def test_a_country_with_one_zone_needs_no_zone_choice(client, intake):
    """Without the page's script (or before it ran), Ghana's only zone is taken as chosen."""
    r = client.post("/", data=form(_csrf(client), timezone=""))
    assert r.status_code == 303
    request_id = r.headers["Location"].rsplit("/", 1)[-1]
    assert intake.repository.get_request(request_id).trainee.timezone == "Africa/Accra"


def test_a_form_sent_back_lists_the_countrys_zones_first_named_in_its_language(client, redis_client):
    r = client.post("/", data=form(_csrf(client), country="BR", timezone="", lang="pt"))
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and 'id="timezone-error"' in html     # Brazil has several zones: one must be chosen
    here = html[html.index("data-here"):html.index("data-all")]
    assert '<option value="America/Sao_Paulo" >Horário Brasil (São Paulo)</option>' in here
    assert "Africa/Accra" not in here
    # A zone stored before (an alias the list leaves out) stays chosen on a form sent back.
    kept = client.post("/", data=form(_csrf(client), timezone="US/Eastern", email="x")).get_data(as_text=True)
    assert '<option value="US/Eastern" selected>' in kept


def test_registering_a_mentor_twice_with_the_same_email_updates_one_profile(client, intake):
    mentor = {"name": "Inès Lefèvre", "email": "Ines@Example.org", "country": "FR", "timezone": "Europe/Paris",
              "languages": ["fr", "en"], "disciplines": ["camera"], "skills": [{"name": "lenses", "level": 5}],
              "monthly_capacity": 3, "availability": [{"day": 1, "start": "18:00", "end": "21:00"}]}
    auth = {"Authorization": f"Bearer {StaffAccounts(intake.runtime.redis).create('Importer', 'editor')}"}
    first = client.post("/api/mentors", json=mentor, headers=auth)
    second = client.post("/api/mentors", json={**mentor, "email": "ines@example.org", "monthly_capacity": 4},
                         headers=auth)
    assert (first.status_code, second.status_code) == (201, 200) and first.json["id"] == second.json["id"]
    assert intake.repository.mentor_count() == 1
    assert intake.repository.get_mentor(first.json["id"]).monthly_capacity == 4


def test_health_and_readiness(client, redis_client):
    assert client.get("/healthz").status_code == 200
    assert poll(lambda: client.get("/readyz").json["checks"]["redis"]) is True


def test_the_form_speaks_the_browsers_language_or_the_one_chosen(client):
    assert 'lang="es"' in client.get("/", headers={"Accept-Language": "es-CO,es;q=0.9,en;q=0.5"}).get_data(as_text=True)
    page = client.get("/?lang=fr").get_data(as_text=True)
    assert 'lang="fr"' in page and "Votre nom" in page and "Lundi" in page
    assert "Your name" in client.get("/", headers={"Accept-Language": "de-DE"}).get_data(as_text=True)   # fallback


def test_errors_come_back_in_the_forms_language(client):
    html = client.post("/", data=form(_csrf(client), email="ama-at-example", lang="pt")).get_data(as_text=True)
    assert "Introduza um e-mail como nome@exemplo.org." in html and 'lang="pt"' in html


def test_the_requests_correlation_id_travels_on_its_event_and_an_unsafe_one_is_replaced(client, settings):
    r = client.post("/api/requests", json=request_json(), headers={"X-Correlation-ID": "support-ticket-4711"})
    assert r.status_code == 201 and r.headers["X-Correlation-ID"] == "support-ticket-4711"
    unsafe = client.post("/api/requests", json=request_json(email="kojo@example.org"),
                         headers={"X-Correlation-ID": 'ends-in-a-backslash\\"'})
    replaced = unsafe.headers["X-Correlation-ID"]
    assert unsafe.status_code == 201 and re.fullmatch(r"[0-9a-f-]{36}", replaced)
    records = read_topic(settings.kafka_bootstrap_servers, "twoshot.mentorship", expect=2, timeout=15)
    by_id = {rec.key.decode(): json.loads(rec.value)["correlation_id"] for rec in records}
    assert by_id == {r.json["id"]: "support-ticket-4711", unsafe.json["id"]: replaced}
    # The id ends with its request: work done afterwards on this thread starts its own.
    later = make_event("match.failed", "r9", {"request_id": "r9", "reason": "x"}, "tests")
    assert later.correlation_id == later.id
