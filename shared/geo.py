"""Countries (ISO 3166-1 alpha-2) and the region each belongs to, as matching and
the fairness report group them. The regions follow the UN geoscheme, merged where
film-exchange programmes treat them as one. Also: the time zones of each country, named
in the reader's language, and the order people expect names in (``collation_key``)."""
from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from types import MappingProxyType


@lru_cache(maxsize=1)
def countries() -> dict[str, dict[str, str]]:
    """{"GH": {"name": "Ghana", "region": "West Africa"}, ...}"""
    return json.loads(resources.files(__package__).joinpath("countries.json").read_text("utf-8"))


def country_name(country_code: str, locale: str = "en") -> str:
    """The country's name in ``locale`` (CLDR, through Babel), e.g. "Estados Unidos"."""
    code = country_code.upper()
    name = _territories(locale).get(code)
    if name:
        return name
    entry = countries().get(code)
    return entry["name"] if entry else country_code


@lru_cache(maxsize=8)
def _cldr(locale: str):
    """Babel's CLDR data for ``locale`` (None for a locale it does not know)."""
    from babel import Locale, UnknownLocaleError
    try:
        return Locale.parse(locale)
    except (UnknownLocaleError, ValueError):
        return None


@lru_cache(maxsize=16)
def _territories(locale: str) -> Mapping[str, str]:
    """Every country's name in ``locale``, read out of CLDR once (every email asks)."""
    data = _cldr(locale)
    return MappingProxyType(dict(data.territories) if data is not None else {})


def language_name(code: str, locale: str) -> str:
    """A language's name in ``locale`` ("espagnol"), from CLDR."""
    data = _cldr(locale)
    return data.languages.get(code, code) if data is not None else code


@lru_cache(maxsize=1)
def _collator():
    import pyuca  # type: ignore[import-untyped]  # the Unicode Collation Algorithm (DUCET), pure Python
    return pyuca.Collator()


def collation_key(text: str) -> tuple:
    """Sort names as people read them: "Égypte" with the E's, not after "Zimbabwe" as code
    points would. The default Unicode order, which is right for the catalogues' languages;
    a language with its own tailoring (Swedish å after z, say) would need ICU."""
    return _collator().sort_key(text)


@lru_cache(maxsize=16)
def country_choices(locale: str) -> list[tuple[str, str]]:
    """(code, name in ``locale``) for every country we know, in that language's order."""
    return sorted(((code, country_name(code, locale)) for code in countries()), key=lambda c: collation_key(c[1]))


@lru_cache(maxsize=1)
def _zones_by_country() -> dict[str, list[str]]:
    """Each country's IANA zones, its main one first (CLDR's territory zones)."""
    from zoneinfo import available_timezones

    from babel.core import get_global
    known = available_timezones()
    return {country: [z for z in zones if z in known] for country, zones in get_global("territory_zones").items()}


def zones_of(country_code: str) -> list[str]:
    return _zones_by_country().get(country_code.upper(), [])


@lru_cache(maxsize=16)
def zone_choices(locale: str) -> list[tuple[str, str, str]]:
    """(zone, its name in ``locale``, the countries it is used in, space-separated) for
    every zone in use, in that language's order, plus UTC. CLDR names a zone by place:
    "heure : Brésil (São Paulo)"; legacy aliases (US/Eastern) are left out."""
    used: dict[str, list[str]] = {}
    for country, zones in _zones_by_country().items():
        for zone in zones:
            used.setdefault(zone, []).append(country)
    named = [(zone, zone_name(zone, locale), " ".join(sorted(cs))) for zone, cs in used.items()]
    named.sort(key=lambda z: collation_key(z[1]))
    return [*named, ("UTC", "UTC", "")]


def zone_name(zone: str, locale: str) -> str:
    """A zone's name in ``locale``, by place (CLDR); the IANA id for one it does not know."""
    from babel.dates import get_timezone_location
    try:
        return get_timezone_location(zone, locale=locale)
    except LookupError:
        return zone


def region_of(country_code: str) -> str:
    entry = countries().get(country_code.upper())
    return entry["region"] if entry else "Unknown"


LANGUAGES: dict[str, str] = {
    "en": "English", "fr": "Français", "es": "Español", "pt": "Português", "ar": "العربية",
    "sw": "Kiswahili", "hi": "हिन्दी", "bn": "বাংলা", "ur": "اردو", "zh": "中文", "ja": "日本語",
    "ko": "한국어", "id": "Bahasa Indonesia", "vi": "Tiếng Việt", "th": "ไทย", "tl": "Filipino",
    "tr": "Türkçe", "fa": "فارسی", "ru": "Русский", "uk": "Українська", "pl": "Polski",
    "de": "Deutsch", "it": "Italiano", "nl": "Nederlands", "yo": "Yorùbá", "ha": "Hausa",
    "ig": "Igbo", "am": "አማርኛ", "zu": "isiZulu", "ta": "தமிழ்", "te": "తెలుగు", "ml": "മലയാളം",
    "ne": "नेपाली", "ps": "پښتو", "so": "Soomaali", "km": "ខ្មែរ", "mn": "Монгол", "my": "မြန်မာ",
    "wo": "Wolof", "ff": "Pulaar", "ln": "Lingála", "rw": "Kinyarwanda", "cs": "Čeština",
}
