"""JSON for what every event and stored record goes through, in C (orjson).

The standard library's encoder and decoder were 7–19 % of each worker's CPU at 20
requests a second (``bench profile``): every envelope, sealed field, outbox entry and
stored record is written and read as JSON. orjson writes the same JSON, compact and
UTF-8 as the services wrote it, and reads anything the standard library wrote, so
records written before and after the change read the same (docs/decisions/0012, step 29).

Where it differs from ``json``, on purpose:
- NaN and infinities are refused on reading (they are not JSON); a record carrying them is
  dead-lettered as not JSON, like any other.
- Nesting deeper than 1,024 levels is refused on reading (``json`` raised RecursionError).
- Floats are written in their shortest form (``1e-05`` as ``0.00001``): the same number.
- A lone surrogate in a text raises ``TypeError`` on writing (``json`` raised
  ``UnicodeEncodeError`` when the text was encoded).

Logs, error texts and anything a person reads keep the standard library (``default=str``
and pretty output are not needed on the hot path).
"""
from __future__ import annotations

from typing import Any

import orjson

# Keys that are not text (an int, say) are written as text, as ``json.dumps`` does; numpy
# scalars as the numbers they hold.
_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY

JSONDecodeError = orjson.JSONDecodeError    # a subclass of json.JSONDecodeError


def dumpb(value: Any) -> bytes:
    """``value`` as compact UTF-8 JSON bytes (``separators=(",", ":"), ensure_ascii=False``)."""
    return orjson.dumps(value, option=_OPTIONS)


def dumps(value: Any) -> str:
    """``value`` as compact JSON text."""
    return orjson.dumps(value, option=_OPTIONS).decode("utf-8")


def loads(raw: bytes | bytearray | memoryview | str) -> Any:
    """JSON text or UTF-8 bytes → the value. Raises ``JSONDecodeError`` (a ``ValueError``)
    for anything that is not JSON, invalid UTF-8 included."""
    return orjson.loads(raw)
