"""Assigning a whole cohort at once, exactly. Pure: no Flask, Kafka or Redis.

The assignment is a transportation problem: each trainee gets at most one mentor,
each mentor at most their remaining capacity, and the total score is as high as it can
be. Its LP is integral, so a min-cost flow solves it exactly (OR-Tools, in tens of
milliseconds for 10k × 2k). Two rules shape it:

- **Coverage first.** Every assignment carries a bonus larger than any possible gain
  in utility, so no trainee is left out to raise someone else's score; among the
  solutions that cover the most trainees, utility is maximal.
- **A candidate graph from both sides.** Edges are each trainee's top-K mentors *and*
  each mentor's top-K trainees: with only the trainees' view, a few popular mentors
  soak up every list and trainees whose lists fill up go unassigned.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

SCALE = 1_000_000       # scores become integer costs with 6 decimals


@dataclass
class Assignment:
    mentor_of: np.ndarray          # per trainee: mentor column, or -1
    utility: float
    edges: int

    @property
    def assigned(self) -> int:
        return int((self.mentor_of >= 0).sum())


def candidate_edges(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(trainee, mentor) pairs: each trainee's top k mentors and each mentor's top k
    trainees, among the eligible (finite) scores."""
    t, m = scores.shape
    pairs = []
    if m:
        kk = min(k, m)
        top = np.argpartition(-scores, kk - 1, axis=1)[:, :kk] if m > kk else np.tile(np.arange(m), (t, 1))
        pairs.append((np.repeat(np.arange(t), top.shape[1]), top.ravel()))
    if t:
        kk = min(k, t)
        by_mentor = np.ascontiguousarray(scores.T)
        top = np.argpartition(-by_mentor, kk - 1, axis=1)[:, :kk] if t > kk else np.tile(np.arange(t), (m, 1))
        pairs.append((top.ravel(), np.repeat(np.arange(m), top.shape[1])))
    rows = np.concatenate([p[0] for p in pairs]) if pairs else np.zeros(0, dtype=np.int64)
    cols = np.concatenate([p[1] for p in pairs]) if pairs else np.zeros(0, dtype=np.int64)
    keep = np.isfinite(scores[rows, cols])
    flat = np.unique(rows[keep].astype(np.int64) * m + cols[keep])
    return flat // m, flat % m


def solve(rows: np.ndarray, cols: np.ndarray, weights: np.ndarray, n_trainees: int, capacity: np.ndarray
          ) -> Assignment:
    """The exact coverage-first, then utility-maximal assignment on the given edges."""
    n_mentors = len(capacity)
    mentor_of = np.full(n_trainees, -1)
    if len(rows) == 0 or n_trainees == 0:
        return Assignment(mentor_of, 0.0, 0)
    costs = np.round(weights * SCALE).astype(np.int64)
    bonus = int(costs.max(initial=0)) * n_trainees + 1     # more than any utility difference
    source, sink = n_trainees + n_mentors, n_trainees + n_mentors + 1
    flow = min_cost_flow.SimpleMinCostFlow()
    tails = np.concatenate([np.full(n_trainees, source), rows, n_trainees + np.arange(n_mentors),
                            np.arange(n_trainees)])
    heads = np.concatenate([np.arange(n_trainees), n_trainees + cols, np.full(n_mentors, sink),
                            np.full(n_trainees, sink)])
    caps = np.concatenate([np.ones(n_trainees), np.ones(len(rows)), np.maximum(capacity, 0),
                           np.ones(n_trainees)]).astype(np.int64)
    unit_costs = np.concatenate([np.zeros(n_trainees), -(costs + bonus), np.zeros(n_mentors),
                                 np.zeros(n_trainees)]).astype(np.int64)
    arcs = flow.add_arcs_with_capacity_and_unit_cost(tails.astype(np.int32), heads.astype(np.int32), caps,
                                                     unit_costs)
    supplies = np.zeros(n_trainees + n_mentors + 2, dtype=np.int64)
    supplies[source], supplies[sink] = n_trainees, -n_trainees
    flow.set_nodes_supplies(np.arange(len(supplies)), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow did not solve: status {status}")
    used = flow.flows(arcs[n_trainees:n_trainees + len(rows)]) > 0
    mentor_of[rows[used]] = cols[used]
    return Assignment(mentor_of, float(weights[used].sum()), len(rows))


def assign(scores: np.ndarray, capacity: np.ndarray, k: int = 20, rounds: int = 3) -> Assignment:
    """Coverage-first optimal assignment on the two-sided top-``k`` candidate graph.

    Trainees the graph leaves unassigned while an eligible mentor still has room get
    edges to their best such mentors, and the whole problem is solved again (at most
    ``rounds`` times), so a sparse graph does not cost coverage."""
    rows, cols = candidate_edges(scores, k)
    result = solve(rows, cols, scores[rows, cols].astype(np.float64), scores.shape[0], capacity)
    for _ in range(rounds):
        used = np.bincount(result.mentor_of[result.mentor_of >= 0], minlength=len(capacity))
        room = np.flatnonzero(capacity - used > 0)
        left = np.flatnonzero(result.mentor_of < 0)
        if len(room) == 0 or len(left) == 0:
            break
        sub = scores[np.ix_(left, room)]
        extra_r, extra_c = candidate_edges(sub, k)
        if len(extra_r) == 0:
            break
        flat = np.unique(np.concatenate([rows.astype(np.int64) * scores.shape[1] + cols,
                                         left[extra_r].astype(np.int64) * scores.shape[1] + room[extra_c]]))
        rows, cols = flat // scores.shape[1], flat % scores.shape[1]
        again = solve(rows, cols, scores[rows, cols].astype(np.float64), scores.shape[0], capacity)
        if again.assigned <= result.assigned:
            break
        result = again
    return result


def greedy(scores: np.ndarray, capacity: np.ndarray) -> Assignment:
    """The baseline: take the best remaining (trainee, mentor) pair while capacity lasts."""
    t, m = scores.shape
    order = np.argsort(-scores, axis=None)
    left = capacity.astype(np.int64).copy()
    mentor_of = np.full(t, -1)
    utility = 0.0
    for flat in order:
        i, j = divmod(int(flat), m)
        if not np.isfinite(scores[i, j]):
            break
        if mentor_of[i] < 0 and left[j] > 0:
            mentor_of[i] = j
            left[j] -= 1
            utility += float(scores[i, j])
    return Assignment(mentor_of, utility, t * m)


def exact_reference(scores: np.ndarray, capacity: np.ndarray) -> Assignment:
    """scipy's ``linear_sum_assignment`` on the capacity-expanded dense matrix: the exact
    utility optimum on the full graph, for checking (cubic: small sizes only)."""
    from scipy.optimize import linear_sum_assignment
    slots = np.repeat(np.arange(len(capacity)), np.maximum(capacity, 0))
    profit = np.where(np.isfinite(scores), scores, 0.0)[:, slots]
    r, c = linear_sum_assignment(profit, maximize=True)
    mentor_of = np.full(scores.shape[0], -1)
    real = profit[r, c] > 0
    mentor_of[r[real]] = slots[c[real]]
    return Assignment(mentor_of, float(profit[r, c][real].sum()), profit.size)
