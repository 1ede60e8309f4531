"""A language added as a catalogue alone reaches every page and every email.

The test writes a pseudo-locale catalogue (code ``eo``: every English text turned into
look-alike letters between ⟦ ⟧, placeholders kept), compiles it beside the real ones in
a directory of its own, and points ``TWOSHOT_LOCALE_DIR`` there: no code changes. Then
every email of a request's life, every status line, the intake pages (with a form sent
back with errors) and every page of the staff console must come out in it: once the pseudo
text, links, names, dates and codes are taken away, no English word of ours is left.
"""
from __future__ import annotations

import html
import re
import shutil
import urllib.parse
import uuid
from datetime import timedelta

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from services.intake.app import create_app
from services.intake.bootstrap import bootstrap
from services.intake.handlers import _status, say
from services.matching.app import create_app as matching_app
from services.matching.bootstrap import bootstrap as matching_bootstrap
from services.notifications import messages
from services.sessions import outgoing
from services.sessions.app import create_app as sessions_app
from services.sessions.bootstrap import bootstrap as sessions_bootstrap
from services.sessions.domain import COMPLETED, INVITED, Session
from services.sessions.handlers import run_due_timers
from shared import i18n
from shared.catalogue import LOCALE_DIR, locales
from shared.events import utcnow
from shared.staff import StaffAccounts
from tests.unit.test_no_english_left import LIFE, STAMP, _Fake, session_data

pytestmark = pytest.mark.integration
PSEUDO = "eo"
LOOKALIKE = str.maketrans("aceinosuyACEINOSUY", "àçéîñøšûýÀÇÉÎÑØŠÛÝ")
PLACEHOLDER = re.compile(r"({[^{}]*})")


def pseudo(text: str) -> str:
    return "⟦" + "".join(part if part.startswith("{") else part.translate(LOOKALIKE)
                         for part in PLACEHOLDER.split(text)) + "⟧"


@pytest.fixture
def pseudo_locale(tmp_path, monkeypatch):
    for po in LOCALE_DIR.glob("*/LC_MESSAGES/messages.mo"):
        target = tmp_path / po.relative_to(LOCALE_DIR)
        target.parent.mkdir(parents=True)
        shutil.copy(po, target)
    with open(LOCALE_DIR / "messages.pot", "rb") as f:
        template = read_po(f)
    catalogue = Catalog(locale=PSEUDO)
    for m in template:
        if not m.id:
            continue
        if m.context == "when_format":
            catalogue.add(m.id, m.id, context=m.context)          # the pattern stays a pattern
        elif isinstance(m.id, str):
            catalogue.add(m.id, pseudo(m.id), context=m.context)
        else:
            catalogue.add(m.id, (pseudo(m.id[0]), pseudo(m.id[1])), context=m.context)
    out = tmp_path / PSEUDO / "LC_MESSAGES" / "messages.mo"
    out.parent.mkdir(parents=True)
    with open(out, "wb") as f:
        write_mo(f, catalogue)
    monkeypatch.setenv("TWOSHOT_LOCALE_DIR", str(tmp_path))
    assert PSEUDO in locales()
    return template


def english_words(template) -> set[str]:
    words = set()
    for m in template:
        for text in ([m.id] if isinstance(m.id, str) else list(m.id or [])):
            words |= {w.lower() for w in re.findall(r"[A-Za-z]{4,}", PLACEHOLDER.sub(" ", text))}
    return words


def leftovers(texts: list[str], ours: set[str]) -> list[str]:
    """Words of our English left once the pseudo text, links and markup are gone."""
    found = set()
    for text in texts:
        text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
        # Data, not words of ours: links, addresses, time zone ids (Africa/Lagos), the brand.
        text = re.sub(r"https?://\S+|\S+@\S+|\b[A-Za-z_]+(?:/[A-Za-z0-9_+-]+)+|Twoshot", " ", text)
        while True:
            stripped = re.sub(r"⟦[^⟦⟧]*⟧", " ", text)
            if stripped == text:
                break
            text = stripped
        found |= {w for w in re.findall(r"[A-Za-z]{4,}", text) if w.lower() in ours}
    return sorted(found)


def test_every_email_and_status_line_comes_out_in_a_language_added_as_a_catalogue(pseudo_locale):
    ours = english_words(pseudo_locale)
    seen = []
    for event_type in LIFE:
        d = session_data(PSEUDO, "editing")
        for email in messages.compose(event_type, d, ("Twoshot", "o@t.test"), STAMP, "https://i.test/r1",
                                      "https://i.test/manage"):
            assert email.locale == PSEUDO
            seen += [email.subject, email.text, email.html]
    d = session_data(PSEUDO, "editing")
    for event_type in ["match.proposed", *LIFE, "session.declined", "session.expired", "match.failed"]:
        status = _status(_Fake(event_type, {**d, "score": 0.5, "reason": "r", "rating": 5}))
        if status:
            _, key, params, _ = status
            seen.append(say(key, params, PSEUDO, "UTC"))
    assert sum("⟦" in text for text in seen) == len(seen)
    assert leftovers(seen, ours) == []


def test_every_intake_page_and_its_errors_come_out_in_a_language_added_as_a_catalogue(
        pseudo_locale, settings, redis_client):
    ours = english_words(pseudo_locale)
    intake = bootstrap(settings, redis_client)
    try:
        client = create_app(intake=intake).test_client()
        pages = [client.get(f"/?lang={PSEUDO}"), client.get(f"/mentors/join?lang={PSEUDO}")]
        form = pages[0].get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', form)
        form_id = re.search(r'name="form_id" value="([^"]+)"', form)
        sent = {"lang": PSEUDO, "locale": PSEUDO, "name": "Ada", "email": "not an address", "goals": "xx"}
        if token:
            sent["csrf_token"] = token.group(1)
        if form_id:
            sent["form_id"] = form_id.group(1)
        pages.append(client.post("/", data=sent))
        assert [p.status_code for p in pages] == [200, 200, 422]
        texts = [p.get_data(as_text=True) for p in pages]
        assert all(f'lang="{PSEUDO}"' in text for text in texts)
        # Place names come from CLDR in the page's language, not from our catalogues; some
        # are English words ("Swift Current", "Tell City").
        texts = [re.sub(r'<select id="(timezone|country)".*?</select>', "", text, flags=re.S) for text in texts]
        left = leftovers(texts, ours)
        assert left == [], " ".join(left)
    finally:
        intake.runtime.close()


def test_a_language_without_a_catalogue_is_not_offered_and_reads_english(pseudo_locale, monkeypatch):
    """The other side: the same code without the catalogue does not know the language."""
    monkeypatch.setenv("TWOSHOT_LOCALE_DIR", str(LOCALE_DIR))
    assert PSEUDO not in locales()
    assert i18n.best_locale(f"{PSEUDO}, en;q=0.5") == "en"


def test_every_console_page_comes_out_in_a_language_added_as_a_catalogue(pseudo_locale, settings, redis_client):
    """The staff console: sign-in (with a failed attempt), then every page of the menu."""
    ours = english_words(pseudo_locale)
    matching = matching_bootstrap(settings, redis_client)
    try:
        accounts = StaffAccounts(redis_client)
        staff_id = accounts.create("Edith Editor", "editor", login="edith").split(".")[0]
        accounts.set_password(staff_id, "a long enough password")
        client = matching_app(matching=matching).test_client()
        login = client.get(f"/admin/login?lang={PSEUDO}")
        token = re.search(r'name="csrf_token" value="([^"]+)"', login.get_data(as_text=True)).group(1)
        failed = client.post("/admin/login", data={"csrf_token": token, "login": "edith", "password": "wrong"})
        signed_in = client.post("/admin/login", data={"csrf_token": token, "login": "edith",
                                                      "password": "a long enough password"})
        assert (login.status_code, failed.status_code, signed_in.status_code) == (200, 401, 303)
        pages = [login, failed] + [client.get(f"/admin/{path}") for path in
                                   ("", "report", "mentorships", "requests", "requests?q=nobody", "cohorts",
                                    "dead-letters", "audit")]
        assert [p.status_code for p in pages] == [200, 401] + [200] * 8
        texts = [p.get_data(as_text=True) for p in pages]
        assert all(f'lang="{PSEUDO}"' in text and "⟦" in text for text in texts)
        # Staff's own data is not ours to translate: the staff member's name, the code's command line.
        texts = [re.sub(r"<code>.*?</code>|Edith Editor", "", text, flags=re.S) for text in texts]
        left = leftovers(texts, ours)
        assert left == [], " ".join(left)
    finally:
        matching.runtime.close()


def _person(pid: str, name: str) -> dict:
    return {"id": pid, "name": name, "email": f"{pid}@example.org", "country": "SN", "region": "West Africa",
            "timezone": "Africa/Dakar", "languages": [PSEUDO], "locale": PSEUDO,
            "availability": [{"day": d, "start": "00:00", "end": "24:00"} for d in range(7)]}


def _path(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.path}?{parts.query}"


def _token(url: str) -> str:
    return urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["token"][0]


def test_every_sessions_page_and_its_errors_come_out_in_a_language_added_as_a_catalogue(
        pseudo_locale, settings, redis_client):
    """The pages behind a session's links and a mentorship's, for both people, through a
    session's life: the invite's three answers (a proposal sent back with its error), the
    answered and used pages, cancel and reschedule, the critique and the rating sent back
    with errors, the mentoring pages, the mentees page, the closing survey and a bad link."""
    ours = english_words(pseudo_locale)
    sessions = sessions_bootstrap(settings, redis_client)
    try:
        client = sessions_app(sessions=sessions).test_client()
        now = utcnow().replace(minute=0, second=0, microsecond=0)
        start = now + timedelta(days=3)
        session = Session(id=uuid.uuid4().hex, request_id=uuid.uuid4().hex, match_id="m1",
                          mentor=_person("mentor-eo", "Mariama Bâ"), trainee=_person("trainee-eo", "Ousmane Sow"),
                          discipline="editing", start=start.isoformat(), end=(start + timedelta(hours=1)).isoformat(),
                          video_url="https://meet.example.org/x", state=INVITED, sequence=0,
                          invited_at=now.isoformat(), expires_at=(now + timedelta(days=2)).isoformat(),
                          focus_skills=["Ndar"], goals="Ndar Ndar", why=[{"code": "discipline",
                                                                          "params": {"discipline": "editing"}}])
        pipe = redis_client.pipeline()
        sessions.repository.save(pipe, session)
        sessions.repository.book(pipe, session)
        pipe.execute()
        pages = []

        def page(response, status):
            assert response.status_code == status, (response.status_code, response.request.path)
            pages.append(response)

        def form(role, action, status=200, **data):
            url = outgoing.link(sessions, sessions.repository.get(session.id), role, action)
            page(client.get(_path(url)), 200)
            page(client.post(url.split("?")[0].replace(settings.sessions_public_url, ""),
                             data={"token": _token(url), **data}), status)

        accept = outgoing.link(sessions, session, "mentor", "accept")
        for action in ("accept", "decline", "propose"):
            page(client.get(_path(outgoing.link(sessions, session, "mentor", action))), 200)
        form("mentor", "propose", 422)                       # no time chosen
        form("mentor", "accept")                             # the answered page
        page(client.get(_path(accept)), 409)                 # the used link says what happened
        for role in ("mentor", "trainee"):
            for action in ("cancel", "reschedule"):
                page(client.get(_path(outgoing.link(sessions, sessions.repository.get(session.id), role, action))),
                     200)
        mentorship_id = sessions.repository.get(session.id).mentorship_id
        assert mentorship_id
        for url in (outgoing.trainee_page_link(sessions, session.request_id),
                    outgoing.mentor_page_link(sessions, mentorship_id),
                    outgoing.mentees_page_link(sessions, "mentor-eo")):
            page(client.get(_path(url)), 200)
        run_due_timers(sessions, start + timedelta(hours=2))
        assert sessions.repository.get(session.id).state == COMPLETED
        form("mentor", "critique", 422, notes="zzz", next_steps="Ndar", update_equipment_0="Ndar",
             update_link_0="ftp://x")
        form("trainee", "rate", 422, rating="9")
        mentor_page = outgoing.mentor_page_link(sessions, mentorship_id)
        assert client.post(mentor_page.split("?")[0].replace(settings.sessions_public_url, ""),
                           data={"token": _token(mentor_page), "action": "end", "reason": ""}).status_code == 303
        for role in ("trainee", "mentor"):
            form_url = outgoing.survey_link(sessions, mentorship_id, role)
            page(client.get(_path(form_url)), 200)
            page(client.post(form_url.split("?")[0].replace(settings.sessions_public_url, ""),
                             data={"token": _token(form_url)}), 422)
        page(client.get(f"/sessions/{session.id}/mentor/critique?token=forged&lang={PSEUDO}"), 403)

        texts = [p.get_data(as_text=True) for p in pages]
        assert all(f'lang="{PSEUDO}"' in text and "⟦" in text for text in texts)
        sent_back = [t for p, t in zip(pages, texts, strict=True) if p.status_code == 422]
        assert len(sent_back) == 5 and all('class="error"' in t for t in sent_back)
        # The critique quotes the note line it could not read, inside the reader's words.
        assert any(re.search(r'id="unread-error">⟦[^⟧]*“zzz”', t) for t in sent_back)
        left = leftovers(texts, ours)
        assert left == [], " ".join(left)
    finally:
        sessions.runtime.close()
