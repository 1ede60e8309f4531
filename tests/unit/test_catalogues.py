"""The language catalogues are complete and agree with the code:

- the template (``messages.pot``) is what ``pybabel extract`` reads from the code now;
- every catalogue translates every message, none fuzzy, with every plural form;
- each translation has the same ``{placeholders}`` as its English source, and each
  ``when_format`` is a date pattern Babel can use;
- no page template writes visible words of its own: every word comes from a catalogue.
"""
from __future__ import annotations

import re
import string
from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.dates import format_datetime
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from shared.catalogue import LOCALE_DIR, locales

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/messages.po"))
FIELDS = string.Formatter()


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in FIELDS.parse(text) if name is not None}


def extracted() -> set[tuple[str | None, object]]:
    with open(ROOT / "babel.cfg") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    out: set[tuple[str | None, object]] = set()
    for _, _, message, _, context in extract_from_dir(str(ROOT), method_map, options_map):
        out.add((context, message))
    return out


def read(path: Path):
    with open(path, "rb") as f:
        return read_po(f)


def test_the_template_is_what_the_code_declares():
    """After changing an English text, `make messages` brings the template and catalogues along."""
    template = read(LOCALE_DIR / "messages.pot")
    in_template = {(m.context, m.id if isinstance(m.id, str) else tuple(m.id)) for m in template if m.id}
    assert in_template == extracted()


def test_there_is_a_catalogue_per_language_and_each_is_compiled():
    assert {p.parent.parent.name for p in CATALOGUES} >= {"fr", "es", "pt"}
    assert set(locales()) == {"en"} | {p.parent.parent.name for p in CATALOGUES}


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parent.parent.name)
def test_every_message_is_translated_with_the_same_placeholders(path):
    template, catalogue = read(LOCALE_DIR / "messages.pot"), read(path)
    problems = []
    for source in template:
        if not source.id:
            continue
        found = catalogue.get(source.id, context=source.context)
        if found is None or "fuzzy" in found.flags:
            problems.append(f"{source.context}: {'fuzzy' if found else 'missing'}")
            continue
        plural = not isinstance(source.id, str)
        ids = tuple(source.id) if plural else (source.id,)
        strings = tuple(found.string) if plural else (found.string,)
        if plural and len(strings) != catalogue.num_plurals:
            problems.append(f"{source.context}: {len(strings)} plural forms, the language has {catalogue.num_plurals}")
        wanted = set().union(*map(placeholders, ids))
        for text in strings:
            # A plural form may leave the count out ("un champ"); anything else names them all.
            if not text.strip():
                problems.append(f"{source.context}: empty")
            elif not (placeholders(text) <= wanted if plural else placeholders(text) == wanted):
                problems.append(f"{source.context}: {sorted(placeholders(text))} vs {sorted(wanted)}")
        if source.context == "when_format":
            format_datetime(datetime(2027, 3, 2, 19, 5, tzinfo=UTC), strings[0], locale=path.parent.parent.name)
    assert problems == []


def test_a_translation_that_names_a_placeholder_the_source_lacks_is_caught():
    """The check above can fail: a French text naming {nom} for {name}."""
    assert placeholders("Bonjour {nom},") - placeholders("Hello {name},") == {"nom"}


# Visible text in a template: words between tags or in attributes people read, outside
# any {{ ... }} or {% ... %}. Brand names and symbols are allowed.
TAG_TEXT = re.compile(r">([^<>]+)<")
READ_ATTRS = re.compile(r'\b(?:aria-label|title|placeholder|alt)="([^"]*)"')
# Brand names, time standards and symbols are allowed; commands in <code> are not prose.
ALLOWED = {"Twoshot", "UTC", "https://", "·", "—", "–", "/", ":", "×", "✓", "%", "→", "←", "(", ")", "|"}


def literal_words(template: str) -> list[str]:
    code = re.sub(r"{{.*?}}|{%.*?%}|{#.*?#}", " ", template, flags=re.S)
    code = re.sub(r"<(script|style|code)\b.*?</\1>", " ", code, flags=re.S)
    found = []
    for text in TAG_TEXT.findall(code) + READ_ATTRS.findall(code):
        for word in text.split():
            if word not in ALLOWED and re.search(r"[A-Za-z]{2,}", word):
                found.append(word)
    return found


TEMPLATES = sorted(ROOT.glob("services/*/templates/*.html")) + sorted(ROOT.glob("shared/templates/*.html"))


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_no_page_template_writes_words_of_its_own(path):
    assert literal_words(path.read_text()) == []


def test_the_template_check_finds_a_literal_word():
    found = literal_words('<p>{{ t("x") }}</p><button aria-label="Close">×</button><h2>Welcome back</h2>')
    assert sorted(found) == ["Close", "Welcome", "back"]


def test_every_region_countries_are_grouped_in_has_a_name_in_the_catalogues():
    """A region added to shared/countries.json must be added to REGION_NAMES too, or staff
    read it in English on every console page."""
    from shared.geo import countries
    from shared.i18n import REGION_NAMES, region
    assert set(REGION_NAMES) == {entry["region"] for entry in countries().values()}
    assert region("West Africa", "fr") == "Afrique de l'Ouest" and region("woman", "fr") == "woman"
