"""Template helpers in the reader's language and time zone, for every sessions page."""
from __future__ import annotations

from flask import render_template

from shared import i18n
from shared.geo import country_name
from shared.security import InvalidLink
from shared.web import page_locale

_LINK_PROBLEMS = {"expired": "link_expired_session", "invalid": "link_invalid"}


def in_their_words(session, role: str) -> dict:
    """Template helpers in the reader's language and time zone."""
    person = session.mentor if role == "mentor" else session.trainee
    loc = i18n.locale_for(person.get("languages", []), person.get("locale") if role == "trainee" else None)
    tz = person["timezone"]
    return {"lang": loc, "t": lambda key, **kw: i18n.t(key, loc, **kw), "term": lambda c: i18n.term(c, loc),
            "when": lambda iso: i18n.when(iso, tz, loc), "day": lambda iso: i18n.day(iso, tz, loc),
            "country": lambda code: country_name(code, loc)}


def page_words() -> dict:
    """Template helpers when no session names the reader: the browser's language."""
    loc = page_locale()
    return {"lang": loc, "t": lambda key, **kw: i18n.t(key, loc, **kw)}


def problem_page(exc: Exception, words: dict | None = None):
    """Why a link or an action cannot be used, in the reader's language (theirs when the
    link named them, else the browser's), with the status it deserves."""
    words = words or page_words()
    if isinstance(exc, InvalidLink):
        return render_template("problem.html", message=words["t"](_LINK_PROBLEMS[exc.reason]), **words), 403
    code = getattr(exc, "code", "")
    status = {"not_found": 404, "wrong_session": 403}.get(code, 409)
    return render_template("problem.html", message=i18n.problem(str(exc), code, words["lang"]), **words), status
