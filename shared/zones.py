"""Time zones by name, loaded once per process.

``zoneinfo`` keeps only the eight zones used last; a ninth evicts one, and the next use
of that one reads and parses its file again. Mentors and trainees come from dozens of
zones, so every invite, slot search and date in an email did that (``load_data`` was a
quarter of formatting a time). ``zone`` keeps every zone it has loaded: there are a few
hundred IANA names, and a name that is not one raises as ``ZoneInfo`` does, uncached.
"""
from __future__ import annotations

from functools import lru_cache
from zoneinfo import ZoneInfo


@lru_cache(maxsize=1024)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)
