"""Texts people read, from gettext catalogues: English in the code, every other language in
``shared/locale/<language>/LC_MESSAGES/messages.po`` (compiled to ``.mo`` on install).

Messages are keyed. A module declares its source texts in a ``Messages`` group::

    T = Messages("", {
        "hello": _m("Hello {name},"),
        "why_availability": _p("You share {hours} free hour a week.", "You share {hours} free hours a week."),
    })

and reads them in a reader's language with ``T.text("hello", "fr")`` or
``T.plural("why_availability", 1.5, "fr")``. In the catalogue each message's context
(``msgctxt``) is its key, prefixed with the group's name when it has one
(``rubric:contrast``), so two screens may say "Coverage" differently. ``pybabel
extract`` reads these declarations through ``extract`` below (see ``babel.cfg``);
translators work on the ``.po`` files with any gettext tool.

A language is there when its catalogue is: ``locales()`` lists ``en`` plus every
compiled catalogue, so adding one needs no code (README: adding a language). Tests point
``TWOSHOT_LOCALE_DIR`` at a directory of their own (a pseudo-locale).
"""
from __future__ import annotations

import ast
import os
from collections.abc import Iterator
from functools import lru_cache
from gettext import NullTranslations
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.support import Translations

DOMAIN = "messages"
SOURCE_LOCALE = "en"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
Text = str | tuple[str, str]        # a message, or a (singular, plural) pair


def context(group: str, key: str) -> str:
    """A message's ``msgctxt``: its key, after its group's name when the group has one."""
    return f"{group}:{key}" if group else key


def _m(source: str) -> str:
    """Marks a source text (English) for the catalogues."""
    return source


def _p(singular: str, plural: str) -> tuple[str, str]:
    """Marks a source text with a plural; the catalogue holds each language's forms."""
    return singular, plural


def locale_dir() -> Path:
    return _locale_dir(os.environ.get("TWOSHOT_LOCALE_DIR") or str(LOCALE_DIR))


@lru_cache(maxsize=4)
def _locale_dir(path: str) -> Path:      # asked for every message: a Path costs more than the lookup
    return Path(path)


@lru_cache(maxsize=1)
def _locales(directory: Path) -> tuple[str, ...]:
    found = {p.parent.parent.name for p in directory.glob(f"*/LC_MESSAGES/{DOMAIN}.mo")}
    return (SOURCE_LOCALE, *sorted(found - {SOURCE_LOCALE}))


def locales() -> tuple[str, ...]:
    """The languages people can read Twoshot in: English and every compiled catalogue."""
    return _locales(locale_dir())


def endonyms() -> dict[str, str]:
    """Each language we have, named in itself ("Français"), for a language switcher."""
    return dict(_endonyms(locales()))


@lru_cache(maxsize=4)
def _endonyms(codes: tuple[str, ...]) -> tuple[tuple[str, str], ...]:     # every page asks: parse once
    out = {}
    for code in codes:
        try:
            name = Locale.parse(code).get_display_name(code) or code
        except (ValueError, UnknownLocaleError):
            name = code
        out[code] = name[:1].upper() + name[1:]
    return tuple(out.items())


@lru_cache(maxsize=64)
def direction(locale: str) -> str:
    """"rtl" for a language written right to left (Arabic, Hebrew, Persian, Urdu…), else
    "ltr": CLDR's character order, so a new catalogue needs no code to lay out right."""
    try:
        return "rtl" if Locale.parse(locale).character_order == "right-to-left" else "ltr"
    except (ValueError, UnknownLocaleError):
        return "ltr"


@lru_cache(maxsize=64)
def _translations(directory: Path, locale: str) -> NullTranslations:
    if locale == SOURCE_LOCALE:
        return NullTranslations()
    return Translations.load(str(directory), [locale], DOMAIN)


def translations(locale: str) -> NullTranslations:
    return _translations(locale_dir(), locale)


class Messages(dict[str, Text]):
    """One group of keyed source texts; see the module's docstring."""

    def __init__(self, group: str, texts: dict[str, Text]):
        super().__init__(texts)
        self.group = group

    def context(self, key: str) -> str:
        return context(self.group, key)

    def text_or_key(self, key: str, locale: str) -> str:
        """The message in ``locale``, or ``key`` itself when it is no message of ours (a
        validation message from a library, a rubric line a programme added)."""
        return self.text(key, locale) if key in self else key

    def text(self, key: str, locale: str) -> str:
        source = self[key]
        if isinstance(source, tuple):
            raise TypeError(f"{key} has a plural: use plural()")
        return translations(locale).pgettext(self.context(key), source)

    def plural(self, key: str, n: float, locale: str) -> str:
        source = self[key]
        if not isinstance(source, tuple):
            raise TypeError(f"{key} has no plural: use text()")
        singular, plural = source
        return translations(locale).npgettext(self.context(key), singular, plural, _whole_count(n, locale))


def _whole_count(n: float, locale: str) -> int:
    """gettext chooses a plural form from a whole number. For a fraction, the smallest whole
    number of the same CLDR category stands in: "1.5 hours" in English, "1,5 heure" in
    French (whose "one" covers 0 to 2, exclusive)."""
    if float(n).is_integer():
        return int(n)
    try:
        rule = Locale.parse(locale).plural_form
    except (ValueError, UnknownLocaleError):
        return int(n)
    category = rule(n)
    return next((k for k in range(200) if rule(k) == category), int(n))


# --- extraction (pybabel extract -F babel.cfg) ------------------------------------------
def extract(fileobj, keywords, comment_tags, options) -> Iterator[tuple]:
    """Babel extraction method for modules that declare ``Messages`` groups: yields
    ``(lineno, funcname, messages, comments)`` with the key as the message's context."""
    tree = ast.parse(fileobj.read().decode(options.get("encoding", "utf-8")))
    groups: dict[str, str] = {}
    for stmt in tree.body:
        for name, texts in _declared(stmt, groups):
            for key_node, value in zip(texts.keys, texts.values, strict=True):
                if not (isinstance(key_node, ast.Constant) and isinstance(key_node.value, str)
                        and isinstance(value, ast.Call)):
                    continue
                where = context(groups[name], key_node.value)
                marker = getattr(value.func, "id", "")
                args = [a.value for a in value.args if isinstance(a, ast.Constant)]
                if marker == "_m" and len(args) == 1:
                    yield value.lineno, "pgettext", (where, args[0]), []
                elif marker == "_p" and len(args) == 2:
                    yield value.lineno, "npgettext", (where, args[0], args[1]), []


def _declared(stmt: ast.stmt, groups: dict[str, str]) -> Iterator[tuple[str, ast.Dict]]:
    """``NAME = Messages("group", {...})`` (noting the group) and ``NAME.update({...})``."""
    if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call) \
            and getattr(stmt.value.func, "id", "") == "Messages" and len(stmt.value.args) == 2:
        group, texts = stmt.value.args
        name = getattr(stmt.targets[0], "id", "")
        if isinstance(group, ast.Constant) and isinstance(texts, ast.Dict):
            groups[name] = str(group.value)
            yield name, texts
    elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) \
            and isinstance(stmt.value.func, ast.Attribute) and stmt.value.func.attr == "update":
        name = getattr(stmt.value.func.value, "id", "")
        if name in groups and stmt.value.args and isinstance(stmt.value.args[0], ast.Dict):
            yield name, stmt.value.args[0]
