"""Weekly availability windows, in a person's own time zone, turned into concrete
UTC intervals, and free slots in two people's weeks. Pure: used by matching (overlap
hours, whether a mentor has any free slot) and sessions (the slot itself).

DST is zoneinfo's: a window "Mon 18:00–20:00 Europe/Lisbon" is 17:00–19:00 UTC in
summer and 18:00–20:00 UTC in winter. A local time that does not exist (the hour
skipped when clocks go forward) resolves with the offset from before the change.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from shared.zones import zone

Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class Window:
    day: int      # 0 = Monday … 6 = Sunday
    start: str    # "HH:MM"
    end: str      # "HH:MM" ("24:00" = midnight at the end of the day)

    @classmethod
    def from_dict(cls, d: dict) -> Window:
        return cls(int(d["day"]), d["start"], d["end"])


def _local(day: date, hhmm: str, tz: ZoneInfo) -> datetime:
    if hhmm == "24:00":
        return datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=tz)
    h, m = hhmm.split(":")
    return datetime.combine(day, time(int(h), int(m)), tzinfo=tz)


def intervals_utc(windows: list[Window], tz_name: str, start: datetime, end: datetime) -> list[Interval]:
    """The windows' occurrences between ``start`` and ``end`` (aware), in UTC, sorted, merged."""
    tz = zone(tz_name)
    first = start.astimezone(tz).date() - timedelta(days=1)
    last = end.astimezone(tz).date() + timedelta(days=1)
    out: list[Interval] = []
    for a, b in _occurrences(tuple(windows), tz_name, first, last):
        a, b = max(a, start), min(b, end)
        if a < b:
            out.append((a, b))
    return merge(out)


@lru_cache(maxsize=2048)      # an entry is a few KB: a few MB at most
def _occurrences(windows: tuple[Window, ...], tz_name: str, first: date, last: date) -> tuple[Interval, ...]:
    """Every window's occurrence on the local days ``first``…``last``, in UTC, unclipped.
    Cached: matching and sessions ask for the same few weeks of the same patterns many
    times a second, and only the clipping to ``start``/``end`` differs between asks."""
    tz = zone(tz_name)
    out: list[Interval] = []
    day = first
    while day <= last:
        for w in windows:
            if w.day == day.weekday():
                out.append((_local(day, w.start, tz).astimezone(UTC), _local(day, w.end, tz).astimezone(UTC)))
        day += timedelta(days=1)
    return tuple(out)


def merge(intervals: list[Interval]) -> list[Interval]:
    out: list[Interval] = []
    for a, b in sorted(intervals):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def intersect(xs: list[Interval], ys: list[Interval]) -> list[Interval]:
    """Both sorted and merged → their intersection, sorted."""
    out: list[Interval] = []
    i = j = 0
    while i < len(xs) and j < len(ys):
        a = max(xs[i][0], ys[j][0])
        b = min(xs[i][1], ys[j][1])
        if a < b:
            out.append((a, b))
        if xs[i][1] < ys[j][1]:
            i += 1
        else:
            j += 1
    return out


def subtract(xs: list[Interval], busy: list[Interval]) -> list[Interval]:
    """``xs`` with the ``busy`` intervals cut out."""
    out: list[Interval] = []
    for a, b in xs:
        pieces = [(a, b)]
        for c, d in busy:
            nxt = []
            for p, q in pieces:
                if d <= p or c >= q:
                    nxt.append((p, q))
                    continue
                if p < c:
                    nxt.append((p, c))
                if d < q:
                    nxt.append((d, q))
            pieces = nxt
        out.extend(pieces)
    return out


def hours(intervals: list[Interval]) -> float:
    return sum((b - a).total_seconds() for a, b in intervals) / 3600.0


def overlaps(slot: Interval, busy: list[Interval]) -> bool:
    """True when ``slot`` shares any time with one of ``busy`` (touching ends do not)."""
    return any(start < slot[1] and slot[0] < end for start, end in busy)


def _ceil(dt: datetime, step_minutes: int) -> datetime:
    step = step_minutes * 60
    ts = dt.timestamp()
    return datetime.fromtimestamp(-(-ts // step) * step, UTC)


def free_slots(trainee_windows: list[Window], trainee_tz: str, mentor_windows: list[Window], mentor_tz: str,
               busy: list[Interval], now: datetime, minutes: int = 60, lead_hours: float = 24, horizon_days: int = 14,
               step_minutes: int = 15, limit: int = 1, spacing_minutes: int = 0) -> list[Interval]:
    """The earliest ``minutes``-long slots inside both people's weekly availability, at
    least ``lead_hours`` ahead, ending within ``horizon_days``, clear of ``busy``; each
    next slot starts at least ``spacing_minutes`` after the previous one (0: back to back)."""
    earliest = now + timedelta(hours=lead_hours)
    latest = now + timedelta(days=horizon_days)
    both = intersect(intervals_utc(trainee_windows, trainee_tz, earliest, latest),
                     intervals_utc(mentor_windows, mentor_tz, earliest, latest))
    length = timedelta(minutes=minutes)
    gap = timedelta(minutes=max(spacing_minutes, minutes))
    out: list[Interval] = []
    for a, b in subtract(both, sorted(busy)):
        start = _ceil(a, step_minutes)
        while start + length <= b and len(out) < limit:
            out.append((start, start + length))
            start = _ceil(start + gap, step_minutes)
        if len(out) >= limit:
            break
    return out


def find_slot(trainee_windows: list[Window], trainee_tz: str, mentor_windows: list[Window], mentor_tz: str,
              busy: list[Interval], now: datetime, minutes: int = 60, lead_hours: float = 24,
              horizon_days: int = 14, step_minutes: int = 15) -> Interval | None:
    """The earliest slot both can make (see ``free_slots``), or None."""
    found = free_slots(trainee_windows, trainee_tz, mentor_windows, mentor_tz, busy, now, minutes, lead_hours,
                       horizon_days, step_minutes)
    return found[0] if found else None


def windows_of(person: dict) -> list[Window]:
    """A person record's weekly availability (the ``availability`` field every event carries)."""
    return [Window.from_dict(w) for w in person.get("availability", [])]


def lead_hours(min_lead_hours: float, margin_hours: float, min_answer_hours: float) -> float:
    """How far ahead the first slot may be: far enough that the answer-by time leaves at
    least ``min_answer_hours`` to answer."""
    return max(min_lead_hours, margin_hours + min_answer_hours)
