"""Ranking mentors for a trainee. Pure: no Flask, Kafka or Redis.

Each criterion is a feature in [0, 1]; the score is Σ weight × feature with the
weights normalised to sum to 1, and every ranked mentor carries the per-criterion
contributions that add up to its score, so staff can defend each decision.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from shared.availability import Window

CRITERIA = ("skill", "level", "language", "availability", "region", "load", "equity")

DEFAULT_WEIGHTS = {"skill": 0.35, "level": 0.10, "language": 0.15, "availability": 0.15,
                   "region": 0.05, "load": 0.15, "equity": 0.05}

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
    """What staff set beside the weights.

    region_preference: prefer the trainee's own region, prefer another country, or neither.
    min_overlap_hours: the least weekly time in common for a mentor to be considered.
    group_attribute: the mentor attribute fairness is measured over (region, country,
        or any attribute in mentors' profiles).
    min_share: group → the least share of every prefix of a ranking it must hold
        (FA*IR-style), when it has candidates left.
    exposure_boost: how much a group's accumulated exposure deficit (1 − exposure
        received / its fair exposure, which follows its share of eligible candidates;
        0..1) adds to its mentors' scores while ranking. The explanation keeps the base
        score: the boost re-orders, it does not rewrite anyone's breakdown.
    access_boost: trainee region → a priority (0..1) added to every pair of that
        region's trainees when a cohort is assigned, so a group with low access (see the
        report's trainee_access) gets first pick of scarce mentors. Within one
        request's ranking it changes nothing (it is the same for every mentor).
    excluded_mentors: mentors staff have taken out of matching (on leave, a conflict of
        interest…); the policy change that adds them says why, in the audit log.
    """
    region_preference: str = "neutral"
    min_overlap_hours: float = 1.0
    group_attribute: str = "region"
    min_share: dict = field(default_factory=dict)
    exposure_boost: float = 0.0
    access_boost: dict = field(default_factory=dict)
    excluded_mentors: list = field(default_factory=list)


@dataclass
class MentorProfile:
    id: str
    person: dict
    skills: list[dict]
    disciplines: list[str]
    bio: str
    monthly_capacity: int
    attributes: dict = field(default_factory=dict)   # self-described, for fairness groups

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
    cohort: str = ""

    @property
    def text(self) -> str:
        return f"{self.discipline} . {' . '.join(self.focus_skills)} . {self.goals}"

    @property
    def windows(self) -> list[Window]:
        return [Window.from_dict(w) for w in self.trainee["availability"]]

    @property
    def group(self) -> str:
        """The trainee's group for access reporting."""
        return self.trainee.get("region", "unknown")


@dataclass(frozen=True)
class RankedMentor:
    mentor_id: str
    score: float
    breakdown: dict[str, float]   # criterion → weight × feature; sums to score
    features: dict[str, float]

    @classmethod
    def explained(cls, mentor_id: str, features: dict[str, float], weights: dict[str, float]) -> RankedMentor:
        score, breakdown = explain(features, weights)
        return cls(mentor_id, score, breakdown, features)


def explain(features: dict[str, float], weights: dict[str, float]) -> tuple[float, dict[str, float]]:
    """Score and its breakdown; the score is the exact float sum of the breakdown."""
    breakdown = {c: weights[c] * features[c] for c in CRITERIA}
    return math.fsum(breakdown.values()), breakdown
