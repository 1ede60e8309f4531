"""The figures staff read to defend matching decisions. Pure: no Flask, Kafka or Redis.

- exposure ratio (per group): position-weighted exposure received / the exposure the
  group's share of *eligible* candidates would have given it. The disparity ratio is
  min / max of those across groups; the four-fifths rule (0.8) is the reference line.
- skew@10 (per group): log of (share of top-10 places / share of the pool).
- access (per trainee group): mean score of the mentor proposed first.
- load Gini: inequality of this month's proposals across active mentors (0 = even).
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from services.matching.domain import FairnessPolicy, MatchingWeights, TraineeRequest
from services.matching.exposure import expected_exposure_of, exposure_of, position_weight
from services.matching.pool import MentorPool, Ranking, TraineeVector
from services.matching.ranker import exposure_deficit_boost

FOUR_FIFTHS = 0.8
Z95 = 1.959963984540054
# Below these counts a figure is shown with "too few decisions to judge" instead of a verdict.
MIN_RANKINGS = 30       # rankings in which a group had eligible mentors
MIN_OUTCOMES = 20       # answered invites (acceptance rate)
MIN_REQUESTS = 20       # first proposals (trainee access)


@dataclass(frozen=True)
class Estimate:
    """A figure with its sample size and a 95 % interval (None when too few to judge)."""
    value: float | None
    n: int
    low: float | None = None
    high: float | None = None
    enough: bool = False

    def to_dict(self) -> dict:
        return {"value": _round(self.value), "n": self.n, "enough": self.enough,
                "ci95": [_round(self.low), _round(self.high)] if self.enough else None}


def ratio_estimate(sx: float, sy: float, sxx: float, syy: float, sxy: float, n: int,
                   minimum: int = MIN_RANKINGS) -> Estimate:
    """R = Σx / Σy over n paired observations (x: exposure a group received in one
    ranking, y: the exposure its eligible share would have given it), with a 95 %
    interval from the ratio estimator's linearised variance:
    Var(R) ≈ Σ(x − R·y)² / (n (n − 1) ȳ²)."""
    if n <= 0 or sy <= 0:
        return Estimate(None, n)
    r = sx / sy
    if n < minimum:
        return Estimate(r, n)
    ybar = sy / n
    resid = max(sxx - 2 * r * sxy + r * r * syy, 0.0)      # Σ(x − R y)²
    se = math.sqrt(resid / (n * (n - 1))) / ybar
    return Estimate(r, n, max(0.0, r - Z95 * se), r + Z95 * se, True)


def wilson(successes: int, n: int, minimum: int = MIN_OUTCOMES) -> Estimate:
    """A proportion with Wilson's 95 % score interval (good at small n and near 0 or 1)."""
    if n <= 0:
        return Estimate(None, 0)
    p = successes / n
    if n < minimum:
        return Estimate(p, n)
    z2 = Z95 * Z95
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return Estimate(p, n, max(0.0, centre - half), min(1.0, centre + half), True)


def mean_estimate(values: list[float], minimum: int = MIN_REQUESTS) -> Estimate:
    """A mean with a normal-approximation 95 % interval (sample standard deviation)."""
    n = len(values)
    if n == 0:
        return Estimate(None, 0)
    m = float(np.mean(values))
    if n < minimum:
        return Estimate(m, n)
    se = float(np.std(values, ddof=1)) / math.sqrt(n)
    return Estimate(m, n, m - Z95 * se, m + Z95 * se, True)


def exposure_ratios(exposure: dict[str, float], expected: dict[str, float], floor: float = 1e-9) -> dict[str, float]:
    return {g: exposure.get(g, 0.0) / e for g, e in expected.items() if e > floor}


def disparity(ratios: dict[str, float]) -> float | None:
    if not ratios:
        return None
    top = max(ratios.values())
    return min(ratios.values()) / top if top > 0 else None


def exposure_table(exposure: dict[str, float], expected: dict[str, float],
                   pool_shares: dict[str, float] | None = None) -> dict:
    """The one definition of the exposure figures, for the preview and the report alike.

    Per group: ``eligible_share`` (its share of the exposure its eligible mentors would
    have got), ``exposure_share`` (its share of the exposure given) and ``exposure_ratio``
    = exposure given / exposure its eligible share would give. Every ranking hands out
    the same total whichever way it is split, so exposure share ÷ eligible share is the
    ratio (up to rounding), as the columns say. ``pool_share`` (share of the whole pool,
    eligible or not) is context only. Then the least and the most exposed group and the
    disparity ratio = lowest ratio ÷ highest ratio (the four-fifths rule reads this one).
    """
    shares = pool_shares or {}
    ratios = exposure_ratios(exposure, expected)
    given, fair = sum(exposure.values()), sum(expected.values())
    by_group = {g: {"pool_share": _round(shares.get(g, 0.0)),
                    "eligible_share": _round(expected.get(g, 0.0) / fair) if fair else None,
                    "exposure_share": _round(exposure.get(g, 0.0) / given) if given else None,
                    "exposure_ratio": _round(ratios.get(g))}
                for g in sorted(set(shares) | set(expected) | set(exposure))}

    def end(group: str | None) -> dict | None:
        return None if group is None else {"group": group, "exposure_ratio": _round(ratios[group])}
    return {"by_group": by_group,
            "least_exposed": end(min(ratios, key=lambda g: (ratios[g], g)) if ratios else None),
            "most_exposed": end(max(ratios, key=lambda g: (ratios[g], g)) if ratios else None),
            "disparity_ratio": _round(disparity(ratios))}


def skew_at_10(top10: dict[str, int], pool_shares: dict[str, float]) -> dict[str, float | None]:
    total = sum(top10.values())
    out: dict[str, float | None] = {}
    for group, share in pool_shares.items():
        got = top10.get(group, 0) / total if total else 0.0
        out[group] = math.log(got / share) if got > 0 and share > 0 else None
    return out


def gini(values: Iterable[float]) -> float:
    x = np.sort(np.asarray(list(values), dtype=float))
    if len(x) == 0 or x.sum() == 0:
        return 0.0
    n = len(x)
    return float((2 * np.arange(1, n + 1) - n - 1) @ x / (n * x.sum()))


def ndcg(got: list[float], ideal: list[float]) -> float:
    """DCG of ``got`` (gains in order) over DCG of ``ideal``; 1.0 when nothing to rank."""
    best = sum(g * position_weight(i) for i, g in enumerate(ideal, start=1))
    if best <= 0:
        return 1.0
    return sum(g * position_weight(i) for i, g in enumerate(got, start=1)) / best


@dataclass
class Simulation:
    """What a policy does to a sequence of requests, exposure accumulating as it would live."""
    rankings: list[Ranking] = field(default_factory=list)
    exposure: dict[str, float] = field(default_factory=dict)
    expected: dict[str, float] = field(default_factory=dict)

    def add(self, ranking: Ranking) -> None:
        self.rankings.append(ranking)
        for g, v in exposure_of(ranking).items():
            self.exposure[g] = self.exposure.get(g, 0.0) + v
        for g, v in expected_exposure_of(ranking).items():
            self.expected[g] = self.expected.get(g, 0.0) + v


def simulate(pool: MentorPool, requests: list[TraineeRequest], weights: MatchingWeights, policy: FairnessPolicy,
             limit: int = 10) -> Simulation:
    sim = Simulation()
    load = np.zeros(pool.rows)
    for request in requests:
        vector = TraineeVector.of(request, pool.week_start)
        boost = exposure_deficit_boost(pool, policy, sim.exposure, sim.expected)
        sim.add(pool.rank(vector, weights, policy, load, exclude=(), limit=limit, group_boost=boost))
    return sim


def preview(pool: MentorPool, requests: list[TraineeRequest], current: tuple[MatchingWeights, FairnessPolicy],
            proposed: tuple[MatchingWeights, FairnessPolicy], samples: int = 5,
            shares: dict[str, float] | None = None) -> dict:
    """Current against proposed weights and policy on the same requests.

    Exposure is shown by ``exposure_table``, as in the fairness report (``shares``: each
    group's share of the pool, for context). Utility is measured with the *current*
    weights as the yardstick (so a change of weights cannot grade itself), as the mean
    score of the first mentor and as NDCG@10 of each list against the list the current
    weights would make without fairness.
    """
    yard_w, _ = current
    plain = FairnessPolicy(region_preference=current[1].region_preference,
                           min_overlap_hours=current[1].min_overlap_hours,
                           group_attribute=current[1].group_attribute)
    unconstrained = simulate(pool, requests, yard_w, plain)
    runs = {"current": simulate(pool, requests, *current), "proposed": simulate(pool, requests, *proposed)}
    wv = yard_w.normalised()

    def yard(mentor) -> float:
        return sum(wv[c] * mentor.features[c] for c in wv)

    out: dict = {"requests": len(requests)}
    for label, sim in runs.items():
        firsts = [yard(r.mentors[0]) for r in sim.rankings if r.mentors]
        ndcgs = [ndcg([yard(m) for m in r.mentors], [m.score for m in base.mentors])
                 for r, base in zip(sim.rankings, unconstrained.rankings, strict=True) if base.mentors]
        out[label] = {
            "exposure": exposure_table(sim.exposure, sim.expected, shares),
            "mean_first_choice_score": _round(float(np.mean(firsts)) if firsts else None),
            "ndcg10": _round(float(np.mean(ndcgs)) if ndcgs else None),
            "matched": len(firsts),
        }
    figures = {label: {"exposure_disparity_ratio": out[label]["exposure"]["disparity_ratio"],
                       **{k: out[label][k] for k in ("mean_first_choice_score", "ndcg10")}} for label in runs}
    out["change"] = {k: _round(figures["proposed"][k] - figures["current"][k])
                     for k in figures["current"]
                     if figures["proposed"][k] is not None and figures["current"][k] is not None}
    moved = []
    for request, a, b in zip(requests, runs["current"].rankings, runs["proposed"].rankings, strict=True):
        before, after = [m.mentor_id for m in a.mentors[:3]], [m.mentor_id for m in b.mentors[:3]]
        if before != after:
            moved.append({"request_id": request.request_id, "before": before, "after": after})
    out["rankings_that_move"] = len(moved)
    out["samples"] = moved[:samples]
    return out


def _round(x: float | None, digits: int = 4) -> float | None:
    return None if x is None else round(x, digits)
