"""The trainee form and the mentor sign-up/manage form: fields → the JSON API's shape,
marshmallow's messages → one list per field, and what the templates need."""
from __future__ import annotations

import re

from shared import i18n
from shared.catalogue import endonyms
from shared.geo import LANGUAGES, country_choices, zone_choices, zone_name, zones_of
from shared.vocabulary import SKILLS

SKILL_ROWS = 6          # skill lines on the mentor form
EQUITY_KEYS = ("gender", "underrepresented", "background")
_SPLIT = re.compile(r"[,\n;]+")


def _availability(form, errors: dict) -> list[dict]:
    windows = []
    for day in range(7):
        start, end = form.get(f"avail_{day}_start", "").strip(), form.get(f"avail_{day}_end", "").strip()
        if start and end:
            windows.append({"day": day, "start": start, "end": end})
        elif start or end:
            errors[f"avail_{day}"] = ["Give both a start and an end time, or neither."]
    return windows


def _zone(form) -> str:
    """The zone chosen; a country with one zone needs no choice (the form without script)."""
    zone = form.get("timezone", "")
    only = zones_of(form.get("country", ""))
    return only[0] if not zone and len(only) == 1 else zone


def _person(form, errors: dict) -> dict:
    return {"name": form.get("name", ""), "email": form.get("email", ""), "country": form.get("country", ""),
            "timezone": _zone(form), "languages": form.getlist("languages"),
            "locale": form.get("locale", "en"), "availability": _availability(form, errors),
            "equity_consent": form.get("equity_consent") == "yes"}


def parse_request_form(form) -> tuple[dict, dict]:
    """Trainee form fields → the same shape the JSON API takes, plus errors only a form can have."""
    errors: dict[str, list[str]] = {}
    data = {
        **_person(form, errors),
        "discipline": form.get("discipline", ""),
        "focus_skills": [s.strip() for s in _SPLIT.split(form.get("focus_skills", "")) if s.strip()],
        "goals": form.get("goals", ""),
        "reel_url": form.get("reel_url", "").strip(),
        "cohort": form.get("cohort", "").strip(),
        "equity": {k: form.get(f"equity_{k}", "").strip() for k in EQUITY_KEYS},
    }
    return data, errors


def parse_mentor_form(form) -> tuple[dict, dict]:
    """Mentor sign-up (or manage) fields → what ``MentorSignupSchema`` loads."""
    errors: dict[str, list[str]] = {}
    skills = []
    for i in range(SKILL_ROWS):
        name, level = form.get(f"skill_{i}_name", "").strip(), form.get(f"skill_{i}_level", "").strip()
        if name:
            skills.append({"name": name, "level": level or "3"})
    data = {
        **_person(form, errors),
        "disciplines": form.getlist("disciplines"),
        "skills": skills,
        "bio": form.get("bio", "").strip(),
        "monthly_capacity": form.get("monthly_capacity", "").strip(),
        "attributes": {k: form.get(f"equity_{k}", "").strip() for k in EQUITY_KEYS},
    }
    return data, errors


def flatten_messages(messages) -> list[str]:
    """marshmallow's nested messages (dicts and lists of them) as one flat list."""
    if isinstance(messages, dict):
        return [m for v in messages.values() for m in flatten_messages(v)]
    if isinstance(messages, list):
        return [m for v in messages for m in flatten_messages(v)]
    return [str(messages)]


def form_errors(messages: dict, data: dict) -> dict[str, list[str]]:
    """marshmallow's nested messages → one list per form field."""
    out: dict[str, list[str]] = {}
    for field, msgs in messages.items():
        if field == "availability" and isinstance(msgs, dict):
            for index, sub in msgs.items():
                day = data["availability"][int(index)]["day"]
                out.setdefault(f"avail_{day}", []).extend(flatten_messages(sub))
        elif field in ("equity", "attributes"):
            out.setdefault("equity_consent", []).extend(flatten_messages(msgs))
        else:
            out.setdefault(field, []).extend(flatten_messages(msgs))
    return out


def form_context(values, errors, loc: str) -> dict:
    chosen = values.getlist("languages") if hasattr(values, "getlist") else values.get("languages", [])
    picked = values.getlist("disciplines") if hasattr(values, "getlist") else values.get("disciplines", [])
    return {"values": values, "errors": i18n.errors_in(errors, loc), "days": [i18n.day_name(i, loc) for i in range(7)],
            "chosen_languages": chosen, "chosen_disciplines": picked, "lang": loc,
            "t": lambda key, **kw: i18n.t(key, loc, **kw), "locales": list(endonyms().items()),
            **zone_context(values, loc), "countries": country_choices(loc), "languages": LANGUAGES,
            "disciplines": i18n.disciplines(loc),
            "skills": SKILLS, "skill_rows": SKILL_ROWS}


def zone_context(values, loc: str) -> dict:
    """The zone list in the reader's language; the chosen country's zones first, the one
    chosen (or the country's only zone) selected, and a stored zone the list leaves out
    (an old alias) kept."""
    chosen, zones = _zone(values), zone_choices(loc)
    names = {z: name for z, name, _ in zones}
    kept = chosen if chosen and chosen not in names else ""
    return {"zones": zones, "zones_here": [(z, names[z]) for z in zones_of(values.get("country", "")) if z in names],
            "zone_chosen": chosen, "zone_kept": kept, "zone_kept_name": zone_name(kept, loc) if kept else ""}


def mentor_values(mentor) -> dict:
    """A stored profile as the manage form's values."""
    p = mentor.person
    values: dict = {"name": p.name, "email": p.email, "country": p.country, "timezone": p.timezone,
                    "languages": list(p.languages), "locale": p.locale or "en", "disciplines": list(mentor.disciplines),
                    "bio": mentor.bio, "monthly_capacity": str(mentor.monthly_capacity)}
    for w in p.availability:
        values[f"avail_{w['day']}_start"], values[f"avail_{w['day']}_end"] = w["start"], w["end"]
    for i, skill in enumerate(mentor.skills[:SKILL_ROWS]):
        values[f"skill_{i}_name"], values[f"skill_{i}_level"] = skill["name"], str(skill["level"])
    for k, v in mentor.attributes.items():
        values[f"equity_{k}"] = v
    if mentor.attributes:
        values["equity_consent"] = "yes"
    return values
