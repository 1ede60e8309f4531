"""Arabic and Swahili, added as catalogues only: every public page a trainee or a mentor
meets, on a phone, with 0 serious or critical axe violations; Arabic pages and emails set
right to left; and a screenshot of the Arabic form whose ink sits on the right."""
import base64
import re

import pytest

from shared.i18n import ERRORS, error, t
from tests.conftest import MailboxClient, poll, unique_email
from tests.e2e.conftest import serious
from tests.e2e.test_browser_flow import post_json, register_mentor

pytestmark = pytest.mark.e2e

ALL_WEEK = [{"day": d, "start": "06:00", "end": "23:00"} for d in range(7)]


def reads(page, lang: str) -> None:
    html = page.locator("html")
    assert html.get_attribute("lang") == lang
    assert html.get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    assert page.evaluate("getComputedStyle(document.body).direction") == ("rtl" if lang == "ar" else "ltr")


@pytest.mark.parametrize("lang", ["ar", "sw"])
def test_the_trainee_and_mentor_forms_read_in_the_language_and_pass_axe(full_stack, page, lang):
    page.goto(f"{full_stack.url('intake')}/?lang={lang}")
    reads(page, lang)
    assert page.locator("h1").inner_text() == t("form_title", lang)
    assert serious(page) == [], "trainee form"
    page.get_by_role("button", name=t("form_submit", lang)).click()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    wrong = {e.get_attribute("id") for e in page.locator("p.error:not(#error-summary)").all()}   # one id a field
    assert page.locator("#error-summary").inner_text() == t("form_check", lang, n=len(wrong))   # its plural form
    ours = {error(english, lang) for english in ERRORS}       # every message beside a field is translated
    assert set(page.locator("p.error:not(#error-summary)").all_inner_texts()) <= ours
    assert serious(page) == [], "trainee form with errors"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling"

    page.goto(f"{full_stack.url('intake')}/mentors/join?lang={lang}")
    reads(page, lang)
    assert serious(page) == [], "mentor sign-up"
    page.get_by_role("button", name=t("mentor_join_submit", lang)).click()
    assert serious(page) == [], "mentor sign-up with errors"


def _urls(text: str, part: str) -> list[str]:
    return sorted(set(re.findall(rf"(https?://\S+{part}\S+)", text.replace("=\r\n", "").replace("\r\n", "\n"))))


@pytest.mark.parametrize(("trainee", "mentor", "shared_language"), [("ar", "sw", "ff"), ("sw", "ar", "wo")])
def test_every_page_and_email_of_a_session_passes_axe_in_arabic_and_swahili(full_stack, page, trainee, mentor,
                                                                          shared_language):
    """``shared_language``: one no other test's people speak (Fula, Wolof), so these two
    are matched with each other and nobody else."""
    stack, mailbox = full_stack, MailboxClient(full_stack.url("mailbox"))
    mentor_email, trainee_email = unique_email(f"mentor-{mentor}"), unique_email(f"trainee-{trainee}")
    register_mentor(stack, mentor_email, name="Amina Juma", country="TZ", timezone="Africa/Dar_es_Salaam",
                    languages=[mentor, shared_language], disciplines=["sound"],   # writes to them in the first
                    skills=[{"name": "boom operation", "level": 5}], availability=ALL_WEEK, bio="")
    post_json(stack.url("intake") + "/api/requests", {
        "name": "Layla Haddad", "email": trainee_email, "country": "EG", "timezone": "Africa/Cairo",
        "languages": [shared_language], "discipline": "sound", "focus_skills": ["boom operation"],
        "goals": "Clean dialogue in windy exteriors", "availability": ALL_WEEK, "locale": trainee})

    invite = mailbox.wait_for(1, to=mentor_email)[0]
    page.set_content(invite["html"])
    reads(page, mentor)
    assert serious(page) == [], "invite email"
    links = _urls(invite["text"], "/sessions/")
    assert len(links) == 3      # accept, decline, propose another time
    for url in links:
        page.goto(url)
        reads(page, mentor)
        assert serious(page) == [], f"mentor link page {url.split('?')[0]}"
    page.goto(next(u for u in links if "/mentor/accept?" in u))
    page.get_by_role("button", name=t("page_button_accept", mentor)).click()
    assert serious(page) == [], "answered page"

    confirmed = poll(lambda: [m for m in mailbox.messages(to=trainee_email)
                              if m["subject"].startswith(t("confirmed_subject", trainee, other="", when="")[:6])],
                     timeout=60)[0]
    page.set_content(confirmed["html"])
    reads(page, trainee)
    assert serious(page) == [], "confirmation email"
    for url in _urls(confirmed["text"], "/trainee/"):
        page.goto(url)
        reads(page, trainee)
        assert serious(page) == [], f"trainee link page {url.split('?')[0]}"

    page.goto(_urls(confirmed["text"], "/requests/")[0])      # the request's page, in every trainee email
    reads(page, trainee)
    assert serious(page) == [], "status page"

    page.goto(_urls(confirmed["text"], "/mentoring/")[0])
    reads(page, trainee)
    assert serious(page) == [], "mentoring page"
    page.get_by_role("button", name=t("mp_book", trainee)).click()
    page.wait_for_url(re.compile(r".*done=book.*"))
    assert serious(page) == [], "mentoring page, booked"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling"
    follow_up = mailbox.wait_for(2, to=mentor_email)[-1]
    page.goto(_urls(follow_up["text"], "/mentees")[0])
    reads(page, mentor)
    assert serious(page) == [], "the mentor's mentees"


INK = """async (src) => {
  const img = new Image(); img.src = src; await img.decode();
  const c = document.createElement("canvas"); c.width = img.width; c.height = img.height;
  const g = c.getContext("2d"); g.drawImage(img, 0, 0);
  const d = g.getImageData(0, 0, c.width, c.height).data;
  let left = c.width, right = -1;
  for (let y = 0; y < c.height; y++) for (let x = 0; x < c.width; x++) {
    const i = (y * c.width + x) * 4;
    if (d[i] + d[i + 1] + d[i + 2] < 300) { left = Math.min(left, x); right = Math.max(right, x); }
  }
  return {left, right, width: c.width};
}"""


def ink(page, selector: str) -> dict:
    """Where the dark pixels of a screenshot of ``selector`` lie, left to right."""
    png = page.locator(selector).first.screenshot()
    return page.evaluate(INK, "data:image/png;base64," + base64.b64encode(png).decode())


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_screenshot_of_the_arabic_form_has_its_words_on_the_right(full_stack, page, lang):
    """The heading and a field's label, as pixels: in Arabic their ink begins at the right
    edge and leaves the left empty; in English (the control) the other way round."""
    page.goto(f"{full_stack.url('intake')}/?lang={lang}")
    for selector in ("h1", "label[for=name]"):
        box = ink(page, selector)
        assert box["right"] >= 0, f"{selector}: no ink"
        gap_left, gap_right = box["left"], box["width"] - 1 - box["right"]
        if lang == "ar":
            assert gap_right <= 4 < box["width"] / 4 < gap_left, (selector, box)
        else:
            assert gap_left <= 4 < box["width"] / 4 < gap_right, (selector, box)
