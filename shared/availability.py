"""Weekly availability windows, in a person's own time zone, turned into concrete
UTC intervals. Pure: used by matching (overlap hours) and sessions (slots).

DST is zoneinfo's: a window "Mon 18:00–20:00 Europe/Lisbon" is 17:00–19:00 UTC in
summer and 18:00–20:00 UTC in winter. A local time that does not exist (the hour
skipped when clocks go forward) resolves with the offset from before the change.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

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
    tz = ZoneInfo(tz_name)
    first = start.astimezone(tz).date() - timedelta(days=1)
    last = end.astimezone(tz).date() + timedelta(days=1)
    out: list[Interval] = []
    day = first
    while day <= last:
        for w in windows:
            if w.day != day.weekday():
                continue
            a = _local(day, w.start, tz).astimezone(UTC)
            b = _local(day, w.end, tz).astimezone(UTC)
            a, b = max(a, start), min(b, end)
            if a < b:
                out.append((a, b))
        day += timedelta(days=1)
    return merge(out)


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
