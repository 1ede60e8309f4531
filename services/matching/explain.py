"""Why two people were matched, in facts both may see: the strongest of the criteria
that made the score (skills, level, language, shared free time, region), never the
equity criterion or anyone's equity answers, never the mentor's load. Pure: the words
are chosen where each person reads them (shared.i18n.reasons)."""
from __future__ import annotations

from datetime import datetime, timedelta

from services.matching.domain import MentorProfile, TraineeRequest
from shared.availability import Window, hours, intersect, intervals_utc

# The criteria that may be told to both people, and never equity or load.
TOLD = ("skill", "level", "language", "availability", "region")


def explain(request: TraineeRequest, mentor: MentorProfile, breakdown: dict[str, float], now: datetime,
            limit: int = 3) -> list[dict]:
    """Up to ``limit`` reasons, strongest contribution first: ``{"code": …, "params": …}``."""
    out: list[dict] = []
    for criterion in sorted(TOLD, key=lambda c: -breakdown.get(c, 0.0)):
        if breakdown.get(criterion, 0.0) <= 0:
            break
        reason = _REASONS[criterion](request, mentor, now)
        if reason is not None:
            out.append(reason)
        if len(out) == limit:
            break
    return out


def _shared_skills(request: TraineeRequest, mentor: MentorProfile) -> list[dict]:
    wanted = {s.strip().lower() for s in request.focus_skills}
    return [s for s in mentor.skills if s["name"].strip().lower() in wanted]


def _skill(request, mentor, now):
    shared = _shared_skills(request, mentor)
    if shared:
        return {"code": "skill", "params": {"skills": [s["name"] for s in shared[:3]]}}
    if request.discipline in mentor.disciplines:
        return {"code": "discipline", "params": {"discipline": request.discipline}}
    return None


def _level(request, mentor, now):
    shared = _shared_skills(request, mentor)
    best = max((s["level"] for s in shared), default=0)
    return {"code": "level", "params": {"level": best}} if best >= 4 else None


def _language(request, mentor, now):
    theirs = list(request.trainee.get("languages", []))
    common = [code for code in theirs if code in mentor.person.get("languages", [])]
    if not common:
        return None
    return {"code": "language", "params": {"language": common[0], "first": common[0] == theirs[0]}}


def _availability(request, mentor, now):
    start = now
    end = now + timedelta(days=7)
    shared = intersect(intervals_utc(request.windows, request.trainee["timezone"], start, end),
                       intervals_utc([Window.from_dict(w) for w in mentor.person.get("availability", [])],
                                     mentor.person["timezone"], start, end))
    free = round(hours(shared))
    return {"code": "availability", "params": {"hours": free}} if free >= 1 else None


def _region(request, mentor, now):
    if mentor.person.get("region") and mentor.person.get("region") == request.trainee.get("region"):
        return {"code": "region_same", "params": {}}
    return {"code": "region_cross", "params": {"country": mentor.person.get("country", "")}}


_REASONS = {"skill": _skill, "level": _level, "language": _language, "availability": _availability,
            "region": _region}
