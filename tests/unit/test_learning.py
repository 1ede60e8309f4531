import random

from services.matching.domain import CRITERIA, DEFAULT_WEIGHTS, MatchingWeights
from services.matching.learning import MIN_OUTCOMES, blended, train
from services.matching.schemas import WeightsSchema

HAND = MatchingWeights(dict(DEFAULT_WEIGHTS))


def outcomes(n, accept, seed=0):
    rng = random.Random(seed)
    out = []
    for i in range(n):
        features = {c: rng.random() for c in CRITERIA}
        out.append(
            {
                "request_id": f"r{i}",
                "features": features,
                "outcome": "accepted" if accept(features, rng) else "declined",
            }
        )
    return out


def test_a_model_that_predicts_outcomes_better_goes_live_and_blends_into_explainable_weights():
    # Mentors accept when their load is low: the hand-set weights give load little weight.
    data = outcomes(400, lambda f, rng: f["load"] > 0.6)
    model = train(data, HAND)
    assert model.live and model.cv_ndcg10_model > model.cv_ndcg10_hand
    assert max(model.weights, key=model.weights.get) == "load"
    weights = blended(HAND, model).normalised()
    assert abs(sum(weights.values()) - 1) < 1e-9 and all(v >= 0 for v in weights.values())
    assert weights["load"] > HAND.normalised()["load"]


def test_a_model_that_learns_noise_does_not_go_live():
    model = train(outcomes(400, lambda f, rng: rng.random() < 0.5, seed=3), HAND)
    assert not model.live and blended(HAND, model) is HAND


def test_too_few_outcomes_means_no_model():
    model = train(outcomes(MIN_OUTCOMES - 1, lambda f, rng: True), HAND)
    assert not model.live and "at least" in model.reason


def test_the_weights_schema_names_every_criterion():
    assert set(WeightsSchema().fields) == set(CRITERIA)
