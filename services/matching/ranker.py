"""Ranking one request against the pool under a policy: the use case shared by the
worker (proposals), staff previews and cohort assignment."""
from __future__ import annotations

import numpy as np

from services.matching.domain import FairnessPolicy, MatchingWeights, TraineeRequest
from services.matching.pool import MentorPool, Ranking, TraineeVector

LIST_LENGTH = 10   # the ranking kept and counted for exposure; the first is proposed


def load_vector(pool: MentorPool, load: dict[str, int]) -> np.ndarray:
    out = np.zeros(pool.rows)
    for mentor_id, count in load.items():
        row = pool.row_of.get(mentor_id)
        if row is not None:
            out[row] = count
    return out


def pool_shares(pool: MentorPool, attribute: str) -> dict[str, float]:
    codes, names = pool.group_codes(attribute)
    active = codes[: pool.rows][pool.active[: pool.rows]]
    counts = np.bincount(active, minlength=len(names))
    total = counts.sum() or 1
    return {names[i]: counts[i] / total for i in range(len(names)) if counts[i]}


def exposure_deficit_boost(pool: MentorPool, policy: FairnessPolicy, exposure: dict[str, float],
                           expected: dict[str, float]) -> np.ndarray | None:
    """Per group code: boost × max(0, 1 − exposure received / fair exposure so far).

    A ratio, not a difference of shares, so a small group at half its fair exposure
    gets the same push as a large one at half of its own."""
    if policy.exposure_boost <= 0:
        return None
    _, names = pool.group_codes(policy.group_attribute)
    boost = np.zeros(len(names))
    for i, name in enumerate(names):
        fair = expected.get(name, 0.0)
        if fair > 0:
            boost[i] = policy.exposure_boost * max(0.0, 1.0 - exposure.get(name, 0.0) / fair)
    return boost


def rank_request(pool: MentorPool, request: TraineeRequest, weights: MatchingWeights, policy: FairnessPolicy,
                 load: dict[str, int], exposure: dict[str, float], expected: dict[str, float], exclude=None,
                 limit: int = LIST_LENGTH, vector: TraineeVector | None = None) -> Ranking:
    """``vector``: the request's, made already against this pool (``PreparedVectors``)."""
    return pool.rank(vector or TraineeVector.of(request, pool.week_start), weights, policy, load_vector(pool, load),
                     exclude=request.tried if exclude is None else exclude, limit=limit,
                     group_boost=exposure_deficit_boost(pool, policy, exposure, expected))


class PreparedVectors:
    """Requests of one poll's batch, vectorised and scored against the pool together
    (``TraineeVector.of_many``, ``MentorPool.score_many``) before the first is ranked.

    Kept by the id of the event that brought each request and the request's id, so a
    vector serves only the handling of that event (again, if its unit runs again), never a
    later ranking of the same request from other words; all are dropped when the next batch is prepared. A
    vector is given only while the pool is at the version it was made against: after a
    mentor's change or a new week it is made again, one request at a time."""

    def __init__(self) -> None:
        self._version: int | None = None
        self._vectors: dict[tuple[str, str], TraineeVector] = {}

    def prepare(self, pool: MentorPool, requests: list[tuple[str, TraineeRequest]]) -> None:
        """``requests``: (the id of the event that brings it, the request), in the batch's order."""
        vectors = TraineeVector.of_many([r for _, r in requests], pool.week_start)
        pool.score_many(vectors)
        self._version = pool.version
        self._vectors = {(event_id, r.request_id): v for (event_id, r), v in zip(requests, vectors, strict=True)}

    def holds(self, request: TraineeRequest, event_id: str) -> bool:
        """Whether ``request`` came in the batch prepared last, with the event ``event_id``."""
        return (event_id, request.request_id) in self._vectors

    def vector(self, pool: MentorPool, request: TraineeRequest, event_id: str) -> TraineeVector:
        prepared = self._vectors.get((event_id, request.request_id)) if self._version == pool.version else None
        return prepared or TraineeVector.of(request, pool.week_start)
