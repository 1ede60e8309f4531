"""Ranking mentors for a trainee. Pure: no Flask, Kafka or Redis.

Each criterion is a feature in [0, 1]; the score is Σ weight × feature with the
weights normalised to sum to 1, and every ranked mentor carries the per-criterion
contributions that add up to its score, so staff can defend each decision.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime

from shared.availability import Window, weekly_overlap_hours

CRITERIA = ("skill", "level", "language", "availability", "region", "load")

DEFAULT_WEIGHTS = {"skill": 0.35, "level": 0.10, "language": 0.15, "availability": 0.15,
                   "region": 0.10, "load": 0.15}

REGION_PREFERENCES = ("neutral", "same_region", "cross_border")


@dataclass(frozen=True)
class MatchingWeights:
    values: dict[str, float]
    version: int = 1

    def normalised(self) -> dict[str, float]:
        total = sum(self.values.get(c, 0.0) for c in CRITERIA)
        if total <= 0:
            raise ValueError("At least one weight must be positive.")
        return {c: self.values.get(c, 0.0) / total for c in CRITERIA}


@dataclass(frozen=True)
class FairnessPolicy:
    region_preference: str = "neutral"
    min_overlap_hours: float = 1.0


@dataclass
class MentorProfile:
    id: str
    person: dict
    skills: list[dict]
    disciplines: list[str]
    bio: str
    monthly_capacity: int

    @property
    def text(self) -> str:
        """What the skill features read: disciplines, skills (repeated by level) and bio."""
        skills = " . ".join(" . ".join([s["name"]] * s["level"]) for s in self.skills)
        return f"{' '.join(self.disciplines)} . {skills} . {self.bio}"

    @property
    def windows(self) -> list[Window]:
        return [Window.from_dict(w) for w in self.person["availability"]]


@dataclass
class TraineeRequest:
    request_id: str
    trainee: dict
    discipline: str
    focus_skills: list[str]
    goals: str
    reel_url: str = ""
    equity: dict | None = None
    tried: list[str] = field(default_factory=list)   # mentors proposed before, never again
    current_mentor: str | None = None
    attempt: int = 0

    @property
    def text(self) -> str:
        return f"{self.discipline} . {' . '.join(self.focus_skills)} . {self.goals}"

    @property
    def windows(self) -> list[Window]:
        return [Window.from_dict(w) for w in self.trainee["availability"]]


@dataclass(frozen=True)
class RankedMentor:
    mentor_id: str
    score: float
    breakdown: dict[str, float]   # criterion → weight × feature; sums to score
    features: dict[str, float]


_WORD = re.compile(r"[\w-]+", re.UNICODE)


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text) if len(w) > 2}


def level_fit(request: TraineeRequest, mentor: MentorProfile) -> float:
    """How expert the mentor is in what the trainee asked for: best matching level / 5."""
    asked = _words(" ".join(request.focus_skills) + " " + request.discipline)
    levels = [s["level"] for s in mentor.skills if _words(s["name"]) & asked]
    return max(levels) / 5.0 if levels else 0.0


def language_fit(trainee_langs: list[str], mentor_langs: list[str]) -> float:
    """1 for the trainee's first language, 0.5 for another shared one, 0 for none."""
    if not trainee_langs or not set(trainee_langs) & set(mentor_langs):
        return 0.0
    return 1.0 if trainee_langs[0] in mentor_langs else 0.5


def region_fit(policy: FairnessPolicy, trainee: dict, mentor: dict) -> float:
    if policy.region_preference == "same_region":
        return 1.0 if trainee["region"] == mentor["region"] else 0.0
    if policy.region_preference == "cross_border":
        return 1.0 if trainee["country"] != mentor["country"] else 0.0
    return 0.5


def load_fit(active: int, capacity: int) -> float:
    return max(0.0, 1.0 - active / capacity) if capacity > 0 else 0.0


def explain(features: dict[str, float], weights: dict[str, float]) -> tuple[float, dict[str, float]]:
    """Score and its breakdown; the score is the exact float sum of the breakdown."""
    breakdown = {c: weights[c] * features[c] for c in CRITERIA}
    return math.fsum(breakdown.values()), breakdown


def rank_mentors(request: TraineeRequest, mentors: list[MentorProfile], skill_similarity: dict[str, float],
                 active_load: dict[str, int], weights: MatchingWeights, policy: FairnessPolicy,
                 week_start: datetime, limit: int = 10) -> list[RankedMentor]:
    """Mentors who pass the hard filters, best first.

    Hard filters: a shared language, capacity left this month, at least
    ``policy.min_overlap_hours`` of weekly overlap, and not a mentor already tried
    for this request.
    """
    w = weights.normalised()
    tried = set(request.tried)
    trainee = request.trainee
    ranked: list[RankedMentor] = []
    for mentor in mentors:
        if mentor.id in tried:
            continue
        lang = language_fit(trainee["languages"], mentor.person["languages"])
        if lang == 0.0:
            continue
        load = load_fit(active_load.get(mentor.id, 0), mentor.monthly_capacity)
        if load == 0.0:
            continue
        overlap = weekly_overlap_hours(request.windows, trainee["timezone"], mentor.windows,
                                       mentor.person["timezone"], week_start)
        if overlap < policy.min_overlap_hours:
            continue
        features = {
            "skill": max(0.0, min(1.0, skill_similarity.get(mentor.id, 0.0))),
            "level": level_fit(request, mentor),
            "language": lang,
            "availability": min(1.0, overlap / 4.0),
            "region": region_fit(policy, trainee, mentor.person),
            "load": load,
        }
        score, breakdown = explain(features, w)
        ranked.append(RankedMentor(mentor.id, score, breakdown, features))
    ranked.sort(key=lambda r: (-r.score, r.mentor_id))
    return ranked[:limit]
