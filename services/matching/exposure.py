"""Exposure in a ranking: how much attention each group's mentors get from where they
stand (position weight 1/log2(position + 1), as in NDCG), and what their eligible share
would give them. Pure maths: the ledger (repository) and the analysis both use it."""
from __future__ import annotations

from functools import lru_cache

import numpy as np


@lru_cache(maxsize=4096)
def position_weight(position: int) -> float:
    """Kept once worked out: every ranking weighs the same positions (numpy's log2 on one
    number costs more than the rest of adding a ranking to the ledger)."""
    return 1.0 / float(np.log2(position + 1))


@lru_cache(maxsize=4096)
def _total_weight(length: int) -> float:
    return sum(position_weight(p) for p in range(1, length + 1))


def exposure_of(ranking) -> dict[str, float]:
    out: dict[str, float] = {}
    for position, group in enumerate(ranking.groups, start=1):
        out[group] = out.get(group, 0.0) + position_weight(position)
    return out


def expected_exposure_of(ranking) -> dict[str, float]:
    total = _total_weight(len(ranking.groups))
    eligible = sum(ranking.eligible_by_group.values()) or 1
    return {g: total * n / eligible for g, n in ranking.eligible_by_group.items()}
