"""Matching benchmarks: rank latency, cohort assignment, fairness against utility.

Each function yields result dicts: {name, value, unit[, peer, peer_value][, detail]}.
"""
from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime

import numpy as np

from bench import synthetic
from services.matching.bootstrap import policy_objects
from services.matching.cohort import assign, exact_reference, greedy
from services.matching.domain import DEFAULT_WEIGHTS, FairnessPolicy, MatchingWeights
from services.matching.exposure import expected_exposure_of, exposure_of, position_weight
from services.matching.pool import MentorPool, TraineeVector, skill_vectors
from services.matching.ranker import exposure_deficit_boost
from services.matching.repository import default_policy

WEEK = datetime(2026, 1, 5, tzinfo=UTC)
WEIGHTS = MatchingWeights(dict(DEFAULT_WEIGHTS))
DEFAULT_POLICY = policy_objects(default_policy())[1]   # what the service starts with


def _pool(mentors) -> MentorPool:
    pool = MentorPool(WEEK)
    pool.upsert_many(mentors)
    pool._merge()
    return pool


def _pct(samples: list[float], q: float) -> float:
    return float(np.percentile(np.array(samples) * 1000.0, q))


def rank_latency(sizes=(1_000, 10_000, 100_000), n_requests: int = 300) -> Iterator[dict]:
    requests = synthetic.requests(n_requests, seed=11)
    policy = FairnessPolicy(min_share={"West Africa": 0.1, "East Africa": 0.1}, exposure_boost=0.5)
    from sklearn.neighbors import NearestNeighbors
    for size in sizes:
        mentors = synthetic.mentors(size, seed=size)
        pool = _pool(mentors)
        load = np.zeros(pool.rows)
        exposure: dict[str, float] = {}
        expected: dict[str, float] = {}
        ours = []
        for req in requests:
            t0 = time.perf_counter()
            vec = TraineeVector.of(req, WEEK)
            boost = exposure_deficit_boost(pool, policy, exposure, expected)
            result = pool.rank(vec, WEIGHTS, policy, load, limit=10, group_boost=boost)
            ours.append(time.perf_counter() - t0)
            for g, v in exposure_of(result).items():
                exposure[g] = exposure.get(g, 0.0) + v
            for g, v in expected_exposure_of(result).items():
                expected[g] = expected.get(g, 0.0) + v
        matrix = skill_vectors([m.text for m in mentors])
        knn = NearestNeighbors(n_neighbors=10, algorithm="brute", metric="cosine").fit(matrix)
        theirs = []
        for req in requests:
            t0 = time.perf_counter()
            knn.kneighbors(skill_vectors([req.text]))
            theirs.append(time.perf_counter() - t0)
        label = f"{size // 1000}k"
        yield {"name": f"rank_p50_ms_{label}", "value": round(_pct(ours, 50), 3), "unit": "ms",
               "peer": "sklearn NearestNeighbors(brute, cosine), skills only", "peer_value": round(_pct(theirs, 50), 3)}
        yield {"name": f"rank_p95_ms_{label}", "value": round(_pct(ours, 95), 3), "unit": "ms",
               "peer": "sklearn NearestNeighbors(brute, cosine), skills only", "peer_value": round(_pct(theirs, 95), 3)}
        yield {"name": f"knn_p95_ms_{label}", "value": round(_pct(theirs, 95), 3), "unit": "ms"}


def _cohort_case(n_trainees: int, n_mentors: int, capacity: int, seed: int):
    mentors = synthetic.mentors(n_mentors, seed=seed)
    for m in mentors:
        m.monthly_capacity = capacity
    pool = _pool(mentors)
    vectors = [TraineeVector.of(r, WEEK) for r in synthetic.requests(n_trainees, seed=seed + 1)]
    return pool, vectors


def cohort(n_trainees: int = 10_000, n_mentors: int = 2_000, capacity: int = 5, k: int = 20,
           reference_sizes=((1_000, 200), (2_000, 400))) -> Iterator[dict]:
    pool, vectors = _cohort_case(n_trainees, n_mentors, capacity, seed=5)
    t0 = time.perf_counter()
    scores = pool.score_matrix(vectors, WEIGHTS, DEFAULT_POLICY, np.zeros(pool.rows))
    t_scores = time.perf_counter() - t0
    caps = pool.capacity[: pool.rows].astype(np.int64)
    t1 = time.perf_counter()
    result = assign(scores, caps, k=k)
    t_assign = time.perf_counter() - t1
    coverable = _coverable(scores, caps)
    g = greedy(scores, caps)
    yield {"name": "cohort_seconds_10kx2k", "value": round(t_scores + t_assign, 3), "unit": "s",
           "detail": {"scoring_s": round(t_scores, 3), "assignment_s": round(t_assign, 3), "edges": result.edges}}
    yield {"name": "cohort_coverage", "value": round(result.assigned / max(coverable, 1), 5), "unit": "ratio",
           "peer": "greedy", "peer_value": round(g.assigned / max(coverable, 1), 5),
           "detail": {"assigned": result.assigned, "coverable": coverable, "trainees": n_trainees}}
    yield {"name": "cohort_utility_10kx2k", "value": round(result.utility, 3), "unit": "score",
           "peer": "greedy", "peer_value": round(g.utility, 3)}
    for t, m in reference_sizes:
        pool, vectors = _cohort_case(t, m, capacity, seed=t)
        scores = pool.score_matrix(vectors, WEIGHTS, DEFAULT_POLICY, np.zeros(pool.rows))
        caps = pool.capacity[: pool.rows].astype(np.int64)
        ours = assign(scores, caps, k=k)
        t0 = time.perf_counter()
        ref = exact_reference(scores, caps)
        t_ref = time.perf_counter() - t0
        g = greedy(scores, caps)
        yield {"name": f"cohort_utility_ratio_{t // 1000}kx{m}", "value": round(ours.utility / ref.utility, 6),
               "unit": "ratio", "peer": "greedy", "peer_value": round(g.utility / ref.utility, 6),
               "detail": {"reference": "scipy linear_sum_assignment, capacity-expanded", "reference_s": round(t_ref, 3),
                          "assigned": ours.assigned, "reference_assigned": ref.assigned}}
    yield {"name": "cohort_utility_ratio", "value": round(ours.utility / ref.utility, 6), "unit": "ratio",
           "peer": "greedy", "peer_value": round(g.utility / ref.utility, 6),
           "detail": {"size": f"{t}x{m}", "against": "exact optimum (linear_sum_assignment)"}}


def _coverable(scores: np.ndarray, caps: np.ndarray) -> int:
    """How many trainees could be assigned at most (ignoring the candidate-graph limit):
    the maximum matching on the full eligible graph with capacities."""
    from services.matching.cohort import solve
    rows, cols = np.nonzero(np.isfinite(scores))
    return solve(rows, cols, np.ones(len(rows)), scores.shape[0], caps).assigned


def fairness(n_mentors: int = 10_000, n_requests: int = 1_000) -> Iterator[dict]:
    """Exposure ratio: per group, position-weighted exposure received / the exposure its
    share of eligible candidates would give; min over max across groups. NDCG@10 loss:
    1 − DCG of the re-ranked list / DCG of the unconstrained list, with base scores as gains."""
    unfair = 0.0   # the no-re-ranking policy runs first
    pool = _pool(synthetic.mentors(n_mentors, seed=3))
    requests = synthetic.requests(n_requests, seed=4)
    vectors = [TraineeVector.of(r, WEEK) for r in requests]
    load = np.zeros(pool.rows)
    plain = FairnessPolicy()
    baselines = [pool.rank(v, WEIGHTS, plain, load, limit=10) for v in vectors]
    settings = {
        "none": FairnessPolicy(),
        "default": DEFAULT_POLICY,
        "boost_0.1": FairnessPolicy(exposure_boost=0.1),
        "boost_0.2": FairnessPolicy(exposure_boost=0.2),
        "boost_0.5": FairnessPolicy(exposure_boost=0.5),
        "min_share_0.1": FairnessPolicy(min_share={"West Africa": 0.1, "East Africa": 0.1}),
        "min_share_0.1+boost_0.2": FairnessPolicy(min_share={"West Africa": 0.1, "East Africa": 0.1},
                                                  exposure_boost=0.2),
    }
    for label, policy in settings.items():
        exposure: dict[str, float] = {}
        expected: dict[str, float] = {}
        ndcgs: list[float] = []
        for vec, base in zip(vectors, baselines, strict=True):
            result = pool.rank(vec, WEIGHTS, policy, load, limit=10,
                               group_boost=exposure_deficit_boost(pool, policy, exposure, expected))
            for g, v in exposure_of(result).items():
                exposure[g] = exposure.get(g, 0.0) + v
            for g, v in expected_exposure_of(result).items():
                expected[g] = expected.get(g, 0.0) + v
            ideal = sum(r.score * position_weight(i) for i, r in enumerate(base.mentors, start=1))
            got = sum(r.score * position_weight(i) for i, r in enumerate(result.mentors, start=1))
            if ideal > 0:
                ndcgs.append(got / ideal)
        ratios = {g: exposure.get(g, 0.0) / e for g, e in expected.items() if e > 1.0}
        disparity = min(ratios.values()) / max(ratios.values())
        loss = 1.0 - float(np.mean(ndcgs))
        yield {"name": f"exposure_ratio[{label}]", "value": round(disparity, 4), "unit": "min/max",
               "detail": {g: round(r, 3) for g, r in sorted(ratios.items())}}
        yield {"name": f"ndcg10_loss[{label}]", "value": round(loss, 5), "unit": "fraction"}
        if label == "none":
            unfair = disparity
        if label == "default":
            yield {"name": "exposure_ratio", "value": round(disparity, 4), "unit": "min/max",
                   "peer": "no fairness re-ranking", "peer_value": round(unfair, 4),
                   "detail": {"policy": f"default: exposure_boost={policy.exposure_boost}"}}
            yield {"name": "ndcg10_loss", "value": round(loss, 5), "unit": "fraction",
                   "detail": {"policy": f"default: exposure_boost={policy.exposure_boost}"}}
