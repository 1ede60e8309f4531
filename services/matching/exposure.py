"""Exposure in a ranking: how much attention each group's mentors get from where they
stand (position weight 1/log2(position + 1), as in NDCG), and what their eligible share
would give them. Pure maths: the ledger (repository) and the analysis both use it."""
from __future__ import annotations

import numpy as np


def position_weight(position: int) -> float:
    return 1.0 / float(np.log2(position + 1))


def exposure_of(ranking) -> dict[str, float]:
    out: dict[str, float] = {}
    for position, group in enumerate(ranking.groups, start=1):
        out[group] = out.get(group, 0.0) + position_weight(position)
    return out


def expected_exposure_of(ranking) -> dict[str, float]:
    total = sum(position_weight(p) for p in range(1, len(ranking.groups) + 1))
    eligible = sum(ranking.eligible_by_group.values()) or 1
    return {g: total * n / eligible for g, n in ranking.eligible_by_group.items()}
