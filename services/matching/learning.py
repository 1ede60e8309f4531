"""Learning from outcomes: a linear model of "this proposal worked" on the same
criteria staff weigh. Pure: no Flask, Kafka or Redis.

An outcome is 1 for an accepted session (scaled by its rating when there is one) and
0 for a decline or an expiry. The model is a non-negative least-squares fit
(scikit-learn ``LinearRegression(positive=True)``) so that each criterion keeps a
weight ≥ 0 and a blended score still breaks down into per-criterion contributions that
add up. It goes live only when its cross-validated NDCG@10 beats the hand-set weights'
on the same folds by more than the noise between folds; live, the weights used are the
mean of the two (normalised).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import KFold

from services.matching.analysis import ndcg
from services.matching.domain import CRITERIA, MatchingWeights

MIN_OUTCOMES = 30
FOLDS = 5


@dataclass
class LearntModel:
    weights: dict[str, float]
    cv_ndcg10_model: float | None
    cv_ndcg10_hand: float | None
    outcomes: int
    live: bool
    reason: str
    trained_at: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


def label(outcome: dict) -> float:
    if outcome["outcome"] == "accepted":
        rating = outcome.get("rating")
        return 1.0 if rating is None else 0.5 + rating / 10.0   # 1★ → 0.6 … 5★ → 1.0
    return 0.0


def _fold_ndcg(scores: np.ndarray, labels: np.ndarray) -> float:
    order = np.argsort(-scores)[:10]
    return ndcg(list(labels[order]), sorted(labels, reverse=True)[:10])


def train(outcomes: list[dict], hand: MatchingWeights, trained_at: str = "", seed: int = 0) -> LearntModel:
    """Fit, cross-validate against the hand-set weights, and say whether it goes live."""
    # One example per proposal: its latest outcome (a rating supersedes the acceptance).
    latest: dict[tuple, dict] = {}
    for o in outcomes:
        if o["outcome"] in ("accepted", "declined", "expired"):   # a cancellation says little about the match
            latest[(o["request_id"], o.get("mentor_id"))] = o
    outcomes = list(latest.values())
    n = len(outcomes)
    if n < MIN_OUTCOMES:
        return LearntModel({}, None, None, n, False, f"needs at least {MIN_OUTCOMES} outcomes, has {n}", trained_at)
    x = np.array([[o["features"].get(c, 0.0) for c in CRITERIA] for o in outcomes])
    y = np.array([label(o) for o in outcomes])
    if len(set(y > 0)) < 2:
        return LearntModel({}, None, None, n, False, "needs both accepted and declined outcomes", trained_at)
    hw = hand.normalised()
    hand_vec = np.array([hw[c] for c in CRITERIA])
    model_scores, hand_scores = [], []
    for train_idx, test_idx in KFold(FOLDS, shuffle=True, random_state=seed).split(x):
        fit = LinearRegression(positive=True).fit(x[train_idx], y[train_idx])
        model_scores.append(_fold_ndcg(fit.predict(x[test_idx]), y[test_idx]))
        hand_scores.append(_fold_ndcg(x[test_idx] @ hand_vec, y[test_idx]))
    fit = LinearRegression(positive=True).fit(x, y)
    coef = np.clip(fit.coef_, 0, None)
    learnt = {c: float(v) for c, v in zip(CRITERIA, coef / coef.sum() if coef.sum() > 0 else coef, strict=True)}
    m, h = float(np.mean(model_scores)), float(np.mean(hand_scores))
    # "Beats" means beyond fold-to-fold noise: the paired gain must exceed one standard
    # error of the per-fold gains (and 0.01), or a model of noise goes live by luck.
    gains = np.array(model_scores) - np.array(hand_scores)
    margin = max(0.01, float(gains.std(ddof=1) / np.sqrt(len(gains))))
    live = coef.sum() > 0 and float(gains.mean()) > margin
    reason = (f"cross-validated NDCG@10 {m:.3f} beats the hand-set weights' {h:.3f} by more than {margin:.3f}"
              if live else f"cross-validated NDCG@10 {m:.3f} does not beat the hand-set weights' {h:.3f} "
              f"by more than {margin:.3f}")
    return LearntModel(learnt, round(m, 4), round(h, 4), n, bool(live), reason, trained_at)


def blended(hand: MatchingWeights, model: LearntModel | None) -> MatchingWeights:
    """The weights in force: the hand-set ones, or their mean with a live model's."""
    if model is None or not model.live:
        return hand
    hw = hand.normalised()
    return MatchingWeights({c: (hw[c] + model.weights.get(c, 0.0)) / 2 for c in CRITERIA}, hand.version)
