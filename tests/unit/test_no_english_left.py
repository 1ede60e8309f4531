"""Every user-visible string of a request's whole life, in every language but English,
names disciplines and countries in that language: each email of every event (to both
people) and every line of the trainee's status page."""
import re
from datetime import UTC, datetime

import pytest

from services.intake.handlers import _status, say
from services.notifications import messages
from shared.catalogue import locales
from shared.geo import country_name
from shared.i18n import DISCIPLINE_NAMES, discipline

STAMP = datetime(2027, 3, 3, 9, 0, tzinfo=UTC)


def english(locale: str) -> re.Pattern:
    """Our English names of things: the disciplines, and Brazil and Spain unless CLDR writes
    them the same in ``locale`` (Swahili: "Brazil")."""
    countries = [n for code, n in (("BR", "Brazil"), ("ES", "Spain")) if country_name(code, locale) != n]
    return re.compile(r"\b(" + "|".join([*countries, *map(str, DISCIPLINE_NAMES.values())]) + r")\b",
                      re.IGNORECASE)


def person(pid, name, country, locale):
    return {"id": pid, "name": name, "email": f"{pid}@example.org", "country": country, "region": "x",
            "timezone": "UTC", "languages": [locale], "availability": [], "locale": locale}


def session_data(locale, discipline):
    links = {"mentor": {a: f"https://s.test/{a}" for a in ("accept", "decline", "propose", "cancel", "reschedule",
                                                         "critique", "accept-move", "decline-move")},
             "trainee": {a: f"https://s.test/t{a}" for a in ("cancel", "reschedule", "accept-slot", "decline-slot",
                                                            "rate")}}
    return {"session_id": "s1", "request_id": "r1", "match_id": "m1", "discipline": discipline, "sequence": 1,
            "mentor": person("m", "Lucía García", "ES", locale), "trainee": person("t", "Thiago Lima", "BR", locale),
            "start": "2027-03-10T18:00:00+00:00", "end": "2027-03-10T19:00:00+00:00",
            "video_url": "https://meet.test/x", "accept_url": "https://s.test/accept",
            "decline_url": "https://s.test/decline", "expires_at": "2027-03-09T18:00:00+00:00",
            "focus_skills": ["x"], "goals": "g", "reel_url": "", "links": links,
            "why": [{"code": "discipline", "params": {"discipline": discipline}},
                    {"code": "region_cross", "params": {"country": "ES"}}],
            "by": "mentor", "reason": "", "kind": "starts_in_24h",
            "proposed_start": "2027-03-12T18:00:00+00:00", "proposed_end": "2027-03-12T19:00:00+00:00",
            "rubric": [{"criterion": "pacing", "score": 4, "comment": ""}], "notes": [], "next_steps": "n"}


LIFE = ["session.invited", "session.confirmed", "session.rescheduled", "session.cancelled", "session.slot_proposed",
        "session.move_proposed", "session.move_declined", "session.reminder", "session.completed",
        "critique.submitted"]


# Every discipline in every language, except where the word is the same in English
# ("production" in French): there the check could not tell the two apart.
CASES = [(loc, d) for loc in locales() if loc != "en" for d in sorted(DISCIPLINE_NAMES)
         if not any(discipline(d, loc).lower() == str(n).lower() for n in DISCIPLINE_NAMES.values())]


@pytest.mark.parametrize(("locale", "discipline"), CASES)
def test_every_email_and_status_line_names_things_in_the_readers_language(locale, discipline):
    seen = []
    for event_type in LIFE:
        d = session_data(locale, discipline)
        for email in messages.compose(event_type, d, ("Twoshot", "o@t.test"), STAMP, "https://i.test/r1",
                                      "https://i.test/manage"):
            seen += [email.subject, email.text, email.html]
    d = session_data(locale, discipline)
    for event_type in ["match.proposed", *LIFE, "session.declined", "session.expired", "match.failed"]:
        data = {**d, "score": 0.5, "reason": "r", "rating": 5}
        status = _status(_Fake(event_type, data))
        if status:
            _, key, params, _ = status
            seen.append(say(key, params, locale, "UTC"))
    leftovers = sorted({m.group(0) for text in seen for m in english(locale).finditer(text)})
    assert leftovers == [], f"English left in {locale}: {leftovers}"


class _Fake:
    def __init__(self, type_, data):
        self.type, self.data = type_, data
