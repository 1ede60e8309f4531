"""The staff console's words: every key the templates and views use exists (a missing one
would fail at render time). Every language having every message, with the same
placeholders, is tests/unit/test_catalogues.py's check."""
import re
from pathlib import Path

from services.matching.console_text import TEXT, say
from services.matching.domain import CRITERIA, REGION_PREFERENCES

ROOT = Path(__file__).resolve().parents[2] / "services" / "matching"
STATIC = re.compile(r"""\bt\(\s*["']([a-z0-9_]+)["']\s*[,)]""")
SAID = re.compile(r"""\bsay\(\s*["']([a-z0-9_]+)["']\s*[,)]""")
# Keys built from a prefix in templates and views (t("w_" ~ c), say(f"role_{role}") …).
DYNAMIC = ({f"w_{c}" for c in CRITERIA} | {f"c_{c}" for c in CRITERIA} | {f"help_{c}" for c in CRITERIA}
           | {f"pref_{p}" for p in REGION_PREFERENCES} | {"role_viewer", "role_editor"}
           | {"status_draft", "status_confirmed"}
           | {f"f_{f}" for f in ("language", "capacity", "time", "excluded", "tried")}
           | {f"help_{k}" for k in ("region_preference", "min_overlap_hours", "exposure_boost", "group_attribute",
                                    "min_share", "access_boost", "excluded_mentors")}
           | {"min_overlap_hours", "exposure_boost"})


def used_keys() -> set[str]:
    keys = set(DYNAMIC)
    for template in (ROOT / "templates").glob("console_*.html"):
        keys |= set(STATIC.findall(template.read_text()))
    keys |= set(SAID.findall((ROOT / "console.py").read_text()))
    return keys


def test_every_key_the_console_uses_is_in_the_catalogue():
    missing = sorted(used_keys() - set(TEXT))
    assert missing == []


def test_a_language_the_console_does_not_have_reads_english():
    assert say("preview", "de") == "Preview" and say("preview", "fr") == "Aperçu"


def test_an_unknown_exclusion_is_named_beside_the_field_in_the_readers_language():
    from services.matching.console import _flat
    errors = {"fairness": {"excluded_mentors": {"Alice Hughes": ["Not a mentor's id."]}}}
    assert _flat(errors, "fr") == {"excluded_mentors": ["Alice Hughes: Ce n'est pas l'identifiant d'un mentor."]}
