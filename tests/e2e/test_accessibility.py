"""axe-core (axe-playwright-python) on every page a trainee or mentor meets, on a phone:
0 serious or critical violations on the trainee form (empty and with errors), the status
page before and after confirmation, every link page, the trainee's mentoring page, the
mentor's sign-up and manage pages, and the HTML of an invite email."""
import re

import pytest

from tests.conftest import MailboxClient, poll, unique_email
from tests.e2e.conftest import serious
from tests.e2e.test_browser_flow import register_mentor

pytestmark = pytest.mark.e2e

def fill_by_labels(page, email, lang="en"):
    """The trainee form, filled only through labels and roles."""
    words = {"en": ("Your name", "Your email address", "Country you work in", "Your time zone", "Português",
                    "Language for our emails", "Discipline", "Skills you want to work on",
                    "What do you want to get better at?", "from", "to", "Ask for a mentor"),
             "fr": ("Votre nom", "Votre adresse e-mail", "Pays où vous travaillez", "Votre fuseau horaire",
                    "Português", "Langue de nos e-mails", "Discipline", "Compétences à travailler",
                    "Qu'aimeriez-vous améliorer ?", "de", "à", "Demander un mentor")}[lang]
    days = {"en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
            "fr": ["Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche"]}[lang]
    page.get_by_label(words[0]).fill("Thiago Oliveira")
    page.get_by_label(words[1]).fill(email)
    page.get_by_label(words[2]).select_option("BR")
    page.get_by_label(words[3]).select_option("America/Sao_Paulo")
    page.get_by_label(words[4], exact=True).check()
    page.get_by_label(words[5]).select_option("pt")
    page.get_by_label(words[6], exact=True).select_option("colour")
    page.get_by_label(words[7]).fill("colour grading, HDR workflows")
    page.get_by_label(words[8]).fill("Grading night exteriors shot on limited power without crushing the blacks.")
    for day in days:
        page.get_by_label(f"{day} {words[9]}", exact=True).fill("09:00")
        page.get_by_label(f"{day} {words[10]}", exact=True).fill("18:00")
    return words[11]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_trainee_form_filled_by_labels_on_a_phone_has_no_serious_violations(full_stack, page, lang):
    page.goto(f"{full_stack.url('intake')}/?lang={lang}")
    assert serious(page) == []
    submit = fill_by_labels(page, "not-an-email", lang)
    page.get_by_role("button", name=submit).click()
    # After a failed submit, focus is on the summary of what to fix, and the page still passes.
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert serious(page) == []


def test_status_link_pages_and_the_invite_email_have_no_serious_violations(full_stack, page):
    stack, mailbox = full_stack, MailboxClient(full_stack.url("mailbox"))
    mentor_email, trainee_email = unique_email("lucia-a11y"), unique_email("thiago-a11y")
    register_mentor(stack, mentor_email)
    page.goto(stack.url("intake") + "/")
    page.get_by_role("button", name=fill_by_labels(page, trainee_email)).click()
    page.wait_for_url(re.compile(r".*/requests/[0-9a-f]+$"))
    status_url = page.url
    assert serious(page) == [], "status page, just requested"

    invite = mailbox.wait_for(1, to=mentor_email)[0]
    page.set_content(invite["html"])
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("meta[name=viewport]").count() == 1 and page.title() == invite["subject"]
    assert page.get_by_role("link", name=re.compile(r"meet\.jit\.si")).count() == 1   # the room is a link
    assert serious(page) == [], "invite email HTML"

    text = invite["text"].replace("\r\n", "\n")
    links = dict(re.findall(r"^(Aceptar|Rechazar|Proponer otra hora): (\S+)$", text, re.M))
    assert len(links) == 3
    for label, url in links.items():
        page.goto(url)
        assert serious(page) == [], f"link page {label}"
    page.goto(links["Aceptar"])
    page.get_by_role("button", name="Aceptar la sesión").click()
    assert serious(page) == [], "answered page"

    confirmed = poll(lambda: [m for m in mailbox.messages(to=trainee_email) if "Confirmada" in m["subject"]],
                     timeout=60)[0]
    for label in ("Escolher outro horário", "Cancelar"):     # Thiago reads Portuguese
        page.goto(re.search(rf"^{label}: (\S+)$", confirmed["text"].replace("\r\n", "\n"), re.M).group(1))
        assert serious(page) == [], f"trainee link page {label}"
    page.goto(status_url)
    poll(lambda: page.reload() or page.locator("li[data-step=confirmed].done").count() == 1, timeout=30)
    assert serious(page) == [], "status page, confirmed"

    # The mentoring page the confirmation leads to, and after booking the next session there.
    mentoring = re.search(r"(http\S+/mentoring/\S+)", confirmed["text"].replace("=\r\n", "")).group(1)
    page.goto(mentoring)
    assert page.locator("html").get_attribute("lang") == "pt"
    assert serious(page) == [], "mentoring page"
    page.get_by_role("button", name="Marcar a próxima sessão").click()
    page.wait_for_url(re.compile(r".*done=book.*"))
    assert page.locator("#outcome").count() == 1 and serious(page) == [], "mentoring page, booked"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling"
    follow_up = mailbox.wait_for(2, to=mentor_email)[-1]
    mentees = re.search(r"(http\S+/mentors/\w+/mentees\S+)", follow_up["text"].replace("=\r\n", "")).group(1)
    page.goto(mentees)
    assert page.locator("html").get_attribute("lang") == "es" and serious(page) == [], "the mentor's mentees"


def test_the_mentor_pages_have_no_serious_violations(full_stack, page):
    page.goto(full_stack.url("intake") + "/mentors/join?lang=es")
    assert serious(page) == []
    page.get_by_role("button", name="Registrarme").click()
    assert serious(page) == [], "sign-up with errors"


def test_the_check_itself_finds_serious_problems(page):
    """Guard: on a page built to fail, the same check reports the failures."""
    page.set_content('<html><body><img src="x.png"><input type="text"><a href="/x"></a></body></html>')
    found = " ".join(serious(page))
    assert "image-alt" in found and "label" in found and "html-has-lang" in found
