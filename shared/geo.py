"""Countries (ISO 3166-1 alpha-2) and the region each belongs to, as matching and
the fairness report group them. The regions follow the UN geoscheme, merged where
film-exchange programmes treat them as one."""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources


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


def _territories(locale: str) -> dict[str, str]:
    data = _cldr(locale)
    return dict(data.territories) if data is not None else {}


def language_name(code: str, locale: str) -> str:
    """A language's name in ``locale`` ("espagnol"), from CLDR."""
    data = _cldr(locale)
    return data.languages.get(code, code) if data is not None else code


def country_choices(locale: str) -> list[tuple[str, str]]:
    """(code, name in ``locale``) for every country we know, in that language's order."""
    return sorted(((code, country_name(code, locale)) for code in countries()), key=lambda c: c[1].casefold())


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
}
