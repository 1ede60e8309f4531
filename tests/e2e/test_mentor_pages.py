"""A mentor signs up in the browser, by labels only, confirms from the email, and manages
the profile through the emailed link: edit, pause (no invite while paused), resume. A
second sign-up with the same address changes nothing."""
import json
import re
import urllib.request

import pytest
import redis
from playwright.sync_api import expect

from tests.conftest import MailboxClient, poll, unique_email
from tests.e2e.conftest import serious

pytestmark = pytest.mark.e2e

ALL_DAY = [{"day": d, "start": "06:00", "end": "23:00"} for d in range(7)]


WORDS = {
    "pt": {"name": "O seu nome", "email": "O seu endereço de e-mail", "country": "País onde trabalha",
           "zone": "O seu fuso horário", "locale": "Língua dos nossos e-mails", "sound": "Som",
           "skill": "Competência 1", "capacity": "Sessões por mês que pode dar", "from": "das", "to": "às",
           "submit": "Inscrever-me", "days": ["Segunda-feira", "Terça-feira", "Quarta-feira", "Quinta-feira",
                                              "Sexta-feira", "Sábado", "Domingo"]},
    "fr": {"name": "Votre nom", "email": "Votre adresse e-mail", "country": "Pays où vous travaillez",
           "zone": "Votre fuseau horaire", "locale": "Langue de nos e-mails", "sound": "Son",
           "skill": "Compétence 1", "capacity": "Séances par mois que vous pouvez donner", "from": "de", "to": "à",
           "submit": "M'inscrire", "days": ["Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi",
                                            "Dimanche"]},
}


def sign_up(page, base_url, email, name="Mariana Duarte", lang="pt"):
    """The sign-up page, on a phone, filled only through labels and roles."""
    w = WORDS[lang]
    page.goto(f"{base_url}/mentors/join?lang={lang}")
    page.get_by_label(w["name"]).fill(name)
    page.get_by_label(w["email"]).fill(email)
    page.get_by_label(w["country"]).select_option("AR")
    page.get_by_label(w["zone"]).select_option("America/Argentina/Buenos_Aires")
    # She mentors in Somali, which no other test's trainee speaks, so she meets only this test's trainees.
    page.get_by_label("Soomaali", exact=True).check()
    page.get_by_label(w["locale"]).select_option(lang)
    page.get_by_label(w["sound"], exact=True).check()
    page.get_by_label(w["skill"], exact=True).fill("boom operation")
    page.get_by_label(w["capacity"]).fill("3")
    for day in w["days"]:
        page.get_by_label(f"{day} {w['from']}", exact=True).fill("06:00")
        page.get_by_label(f"{day} {w['to']}", exact=True).fill("23:00")
    page.get_by_role("button", name=w["submit"]).click()


def matching_capacity(stack, mentor_id):
    client = redis.Redis.from_url(stack.redis, decode_responses=True)
    try:
        raw = client.hget("matching:mentors", mentor_id)
        return json.loads(raw)["monthly_capacity"] if raw else None
    finally:
        client.close()


def mentor_id_of(stack, email):
    from services.intake.domain import mentor_id_for
    return mentor_id_for(email)


def submit_request(stack, language="so"):
    body = {"name": "Bruno Costa", "email": unique_email("bruno"), "country": "BR", "timezone": "America/Sao_Paulo",
            "languages": [language], "discipline": "sound", "focus_skills": ["boom operation"],
            "goals": "Cleaner dialogue on windy exteriors", "availability": ALL_DAY}
    req = urllib.request.Request(stack.url("intake") + "/api/requests", data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.load(r)["id"]


def request_status(stack, request_id):
    with urllib.request.urlopen(f"{stack.url('intake')}/api/requests/{request_id}", timeout=10) as r:
        return json.load(r)["status"]


def link_in(message, label):
    return re.search(rf"{re.escape(label)}: (\S+)", message["text"]).group(1)


def test_a_mentor_signs_up_confirms_manages_pauses_and_resumes(full_stack, page):
    stack, mailbox = full_stack, MailboxClient(full_stack.url("mailbox"))
    email = unique_email("mariana")
    mentor_id = mentor_id_of(stack, email)

    sign_up(page, stack.url("intake"), email)
    assert page.locator("h1").inner_text() == "Consulte o seu e-mail"
    confirm_mail = mailbox.wait_for(1, to=email)[0]
    assert confirm_mail["subject"] == "Confirme a sua inscrição como mentor da Twoshot"
    # Not live before the address is confirmed: matching has never heard of her.
    assert matching_capacity(stack, mentor_id) is None
    waiting = submit_request(stack)
    poll(lambda: request_status(stack, waiting) == "unmatched", timeout=60)

    page.goto(link_in(confirm_mail, "Confirmar a minha inscrição"))
    assert matching_capacity(stack, mentor_id) is None          # opening the link is not confirming
    assert serious(page) == [], "confirmation page"
    page.get_by_role("button", name="Confirmar").click()
    assert page.locator("h1").inner_text() == "O seu perfil está ativo"
    poll(lambda: matching_capacity(stack, mentor_id) == 3, timeout=30)
    # Now live, she is matched with the trainee who was waiting; her invite links to her profile.
    invite = mailbox.wait_for(2, to=email)[-1]
    manage_url = re.search(r"(http\S+/mentors/manage\?token=\S+)", invite["text"]).group(1)

    # A second sign-up with her address changes nothing and mails her a manage link.
    sign_up(page, stack.url("intake"), email, name="Someone Else", lang="fr")
    assert page.locator("h1").inner_text() == "Consultez votre boîte mail"    # the page says the same
    again = mailbox.wait_for(3, to=email)[-1]
    assert again["subject"] == "O seu perfil de mentor da Twoshot" and "/mentors/manage?token=" in again["text"]

    # The new link retires the one in the invite: a forwarded old email opens nothing.
    page.goto(manage_url)
    assert page.locator("h1").inner_text() != "" and page.get_by_label("O seu nome").count() == 0
    manage_url = re.search(r"(http\S+/mentors/manage\?token=\S+)", again["text"]).group(1)
    page.goto(manage_url)
    assert page.get_by_label("O seu nome").input_value() == "Mariana Duarte"
    assert serious(page) == [], "manage page"
    page.get_by_label("Sessões por mês que pode dar").fill("5")
    page.get_by_role("button", name="Guardar alterações").click()
    assert page.get_by_role("status").inner_text() == "Guardado."
    page.reload()                                 # the address after Save is a GET: nothing is sent again
    assert page.get_by_role("status").inner_text() == "Guardado."
    assert page.get_by_label("Sessões por mês que pode dar").input_value() == "5"
    poll(lambda: matching_capacity(stack, mentor_id) == 5, timeout=30)

    page.get_by_role("button", name="Pausar convites (férias)").click()
    assert "Em pausa" in page.get_by_role("status").inner_text()
    poll(lambda: matching_capacity(stack, mentor_id) == 0, timeout=30)
    paused_request = submit_request(stack)
    poll(lambda: request_status(stack, paused_request) == "unmatched", timeout=60)
    assert len(mailbox.messages(to=email)) == 3                      # no invite while paused

    page.get_by_role("button", name="Retomar convites").click()
    poll(lambda: matching_capacity(stack, mentor_id) == 5, timeout=30)
    # Resumed, she is offered to the trainee who asked while she was away.
    poll(lambda: request_status(stack, paused_request) in ("matched", "invited"), timeout=60)


def test_a_tampered_or_foreign_link_changes_nothing(full_stack, page):
    page.goto(full_stack.url("intake") + "/mentors/manage?token=not-a-real-token")
    assert page.locator("h1").inner_text() == "This link cannot be used"
    page.goto(full_stack.url("intake") + "/mentors/confirm?token=x.y.z")
    assert page.locator("h1").inner_text() == "This link cannot be used"


def test_the_sign_up_form_comes_back_with_messages_beside_the_fields(full_stack, page):
    page.goto(full_stack.url("intake") + "/mentors/join?lang=fr")
    page.get_by_label("Votre nom").fill("Aïcha")
    page.get_by_role("button", name="M'inscrire").click()
    # Playwright's expect waits for the answer's page (a plain count() could read the
    # page before the form came back, as on a slow CI machine).
    expect(page.locator("#disciplines-error")).to_have_count(1)
    expect(page.locator("#email-error")).to_have_count(1)
    assert page.locator("#error-summary").is_visible()
    assert page.get_by_label("Votre nom").input_value() == "Aïcha"
