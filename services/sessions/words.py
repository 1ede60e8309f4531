"""Template helpers in the reader's language and time zone, for every sessions page."""
from __future__ import annotations

from shared import i18n
from shared.geo import country_name


def in_their_words(session, role: str) -> dict:
    """Template helpers in the reader's language and time zone."""
    person = session.mentor if role == "mentor" else session.trainee
    loc = i18n.locale_for(person.get("languages", []), person.get("locale") if role == "trainee" else None)
    tz = person["timezone"]
    return {"lang": loc, "t": lambda key, **kw: i18n.t(key, loc, **kw), "term": lambda c: i18n.term(c, loc),
            "when": lambda iso: i18n.when(iso, tz, loc), "day": lambda iso: i18n.day(iso, tz, loc),
            "country": lambda code: country_name(code, loc)}
