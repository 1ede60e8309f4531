"""Every message a form can send back is one the catalogues can say.

A form is answered in the reader's language only if each validation message is ours
(``shared.i18n.ERRORS``) or one of marshmallow's defaults that ``LIBRARY_ERRORS`` knows by
its shape. Each schema a page loads is fed values no form foresees (wrong types, nothing,
text far over its limits, numbers out of range, a field it does not have), and every
message that comes back must be one ``i18n.error`` can translate.
"""
from __future__ import annotations

import inspect
import re

import pytest
from marshmallow import Schema, ValidationError, fields, validate

from services.intake import schemas as intake_schemas
from services.intake.forms import flatten_messages
from services.matching import schemas as matching_schemas
from services.sessions import schemas as sessions_schemas
from shared import i18n

HOSTILE = [None, 12345, -1, 10 ** 30, 0.5, "", " ", "x" * 5000, "nan", "not a url", "25:99", [], {}, ["x" * 5000],
           [None], [{"name": None, "level": "nine"}], {"x" * 300: "y" * 300}, True]


def schemas() -> list[type[Schema]]:
    found = []
    for module in (intake_schemas, matching_schemas, sessions_schemas):
        found += [c for _, c in inspect.getmembers(module, inspect.isclass)
                  if issubclass(c, Schema) and c is not Schema and c.__module__ == module.__name__]
    return found


@pytest.mark.parametrize("schema", schemas(), ids=lambda c: f"{c.__module__.split('.')[1]}.{c.__name__}")
def test_every_message_a_schema_sends_back_can_be_said_in_every_language(schema):
    said: set[str] = set()
    names = list(schema().fields)
    for value in HOSTILE:
        for data in (dict.fromkeys(names, value) | {"not_a_field": value},
                     *({name: value} for name in names)):
            try:
                schema().load(data)
            except ValidationError as exc:
                said |= set(flatten_messages(exc.normalized_messages()))
    assert said, "the hostile values were all accepted"
    unknown = sorted(m for m in said if not i18n.known_error(m))
    assert unknown == [], unknown


def defaults() -> set[str]:
    """Marshmallow's own message templates, as the installed version writes them."""
    texts: set[str] = {str(Schema._default_error_messages[k]) for k in ("type", "unknown")}
    for field in (fields.Field, fields.String, fields.Integer, fields.Number, fields.Float, fields.List, fields.Dict,
                  fields.Boolean, fields.Email, fields.Url, fields.Nested):
        texts |= {str(m) for m in field.default_error_messages.values()} - set(i18n.ERRORS)   # those are ours already
    texts |= {validate.Length.message_min, validate.Length.message_max, validate.Length.message_all,
              validate.Length.message_equal, validate.OneOf.default_message, validate.URL.default_message,
              validate.Email.default_message, validate.Regexp.default_message}
    inclusive = {"min_op": validate.Range.message_gte, "max_op": validate.Range.message_lte}
    for template in (validate.Range.message_min, validate.Range.message_max, validate.Range.message_all):
        texts.add(template.format(**inclusive))
    return texts


def test_the_library_messages_we_translate_are_the_ones_marshmallow_writes():
    assert set(i18n.LIBRARY_ERRORS) == defaults()


@pytest.mark.parametrize(("message", "locale", "expected"), [
    ("Longer than maximum length 2000.", "en", "Too long: at most 2,000 characters or entries."),
    ("Longer than maximum length 2000.", "fr", "2\u202f000"),
    ("Must be greater than or equal to 0.0 and less than or equal to 2.0.", "en", "Give a number from 0 to 2."),
    ("Must be greater than or equal to 0 and less than or equal to 0.5.", "pt", "0,5"),
])
def test_a_library_message_keeps_its_numbers_written_as_the_reader_writes_them(message, locale, expected):
    said = i18n.error(message, locale)
    assert expected in said
    if locale != "en":
        assert "maximum" not in said and not re.search(r"\bMust\b", said)


def test_a_message_nobody_knows_comes_back_as_it_was_and_is_not_called_known():
    assert i18n.error("Something a new library says.", "fr") == "Something a new library says."
    assert not i18n.known_error("Something a new library says.")


@pytest.mark.parametrize(("value", "places", "locale", "expected"), [
    (0.853, None, "en", "0.853"), (0.853, None, "fr", "0,853"), (0.5, 2, "pt", "0,50"), (2000.5, 2, "en", "2,000.50"),
    (84.6, 0, "es", "85"), (None, 2, "fr", "—"), ("n/a", 2, "fr", "n/a"),
])
def test_a_number_on_a_page_is_written_as_its_reader_writes_numbers(value, places, locale, expected):
    assert i18n.number(value, places, locale) == expected


def test_a_fraction_in_a_message_is_written_as_its_reader_writes_numbers():
    assert "0,85" in i18n.t("why_availability", "fr", n=0.85, hours=0.85)
    assert "0.85" in i18n.t("why_availability", "en", n=0.85, hours=0.85)


def test_no_console_template_writes_a_number_with_a_printf_format():
    """``"%.2f"|format(x)`` writes "0.85" in French; the console's ``num`` writes "0,85"."""
    from pathlib import Path
    templates = Path(__file__).resolve().parents[2] / "services" / "matching" / "templates"
    found = [p.name for p in templates.glob("*.html") if re.search(r'"%\.\d+f"\s*\|\s*format', p.read_text())]
    assert found == []
