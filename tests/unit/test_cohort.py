import numpy as np
import pytest

from services.matching.cohort import assign, candidate_edges, exact_reference, greedy, solve
from services.matching.domain import DEFAULT_WEIGHTS, FairnessPolicy, MatchingWeights
from services.matching.pool import MentorPool, TraineeVector
from tests.unit.test_ranking import WEEK, mentor, person, request


@pytest.mark.parametrize("seed", range(8))
def test_on_the_full_graph_the_assignment_equals_the_exact_optimum(seed):
    rng = np.random.default_rng(seed)
    t, m = rng.integers(5, 40), rng.integers(2, 10)
    scores = rng.random((t, m))
    capacity = rng.integers(1, 4, size=m)
    ours = assign(scores, capacity, k=max(t, m))          # k covers every pair
    ref = exact_reference(scores, capacity)
    assert ours.assigned == ref.assigned == min(t, capacity.sum())
    assert ours.utility == pytest.approx(ref.utility, abs=1e-5)
    assert all(np.bincount(ours.mentor_of[ours.mentor_of >= 0], minlength=m) <= capacity)


def test_coverage_comes_first_even_when_it_costs_utility():
    # Trainee 0 can only go to mentor 0; trainee 1 prefers mentor 0 but can take mentor 1.
    scores = np.array([[0.2, -np.inf], [0.9, 0.1]])
    result = assign(scores, np.array([1, 1]))
    assert list(result.mentor_of) == [0, 1]
    assert greedy(scores, np.array([1, 1])).assigned == 1   # greedy gives mentor 0 to trainee 1


def test_a_popular_mentor_does_not_starve_coverage_with_the_two_sided_graph():
    # Every trainee's first choice is mentor 0 (capacity 1), but mentor j fits trainee j
    # best. From the trainees' side only (k=1) every edge goes to mentor 0 and one
    # trainee is served; the mentors' side adds the edges that serve all five.
    scores = np.array([0.9, 0.2, 0.3, 0.1, 0.15])[None, :] + 0.05 * np.eye(5)
    capacity = np.ones(5, dtype=int)
    rows, cols = candidate_edges(scores, k=1)
    trainee_side_only = {(i, 0) for i in range(5)}
    assert set(zip(rows.tolist(), cols.tolist(), strict=True)) > trainee_side_only
    assert assign(scores, capacity, k=1).assigned == 5


def test_ineligible_pairs_are_never_assigned():
    scores = np.array([[-np.inf, 0.5], [-np.inf, -np.inf]])
    result = assign(scores, np.array([3, 3]))
    assert list(result.mentor_of) == [1, -1]


def test_batch_scores_are_the_same_features_as_ranking_one_request():
    pool = MentorPool(WEEK)
    pool.upsert_many([mentor("a", ["focus pulling", "lenses"]), mentor("b", ["boom operation"]),
                      mentor("c", ["lenses"], languages=("ja",)),
                      mentor("d", ["composition"], country="GH", region="West Africa", tz="Africa/Accra")])
    weights = MatchingWeights(dict(DEFAULT_WEIGHTS))
    for policy in (FairnessPolicy(), FairnessPolicy(region_preference="same_region"),
                   FairnessPolicy(region_preference="cross_border")):
        reqs = [request(), request(trainee=person("t2", languages=("ja", "en")), focus_skills=["boom operation"])]
        vectors = [TraineeVector.of(r, WEEK) for r in reqs]
        matrix = pool.score_matrix(vectors, weights, policy, np.zeros(pool.rows))
        for i, vec in enumerate(vectors):
            ranked = {r.mentor_id: r.score for r in pool.rank(vec, weights, policy, np.zeros(pool.rows)).mentors}
            for mentor_id, row in pool.row_of.items():
                if mentor_id in ranked:
                    assert matrix[i, row] == pytest.approx(ranked[mentor_id], abs=1e-5)
                else:
                    assert matrix[i, row] == -np.inf


def test_trainees_the_sparse_graph_leaves_out_get_a_mentor_with_room():
    # All five trainees rank mentors 0 and 1 (capacity 1 each) first; mentors 2..4 have
    # room but appear in nobody's top-1 and prefer trainee 0, so the first graph covers
    # three trainees at most. The augmentation pass connects the rest.
    scores = np.array([[0.9, 0.8, 0.30, 0.30, 0.30],
                       [0.9, 0.8, 0.20, 0.20, 0.20],
                       [0.9, 0.8, 0.10, 0.10, 0.10],
                       [0.9, 0.8, 0.05, 0.05, 0.05],
                       [0.9, 0.8, 0.01, 0.01, 0.01]])
    capacity = np.ones(5, dtype=int)
    rows, cols = candidate_edges(scores, k=1)
    assert solve(rows, cols, scores[rows, cols], 5, capacity).assigned < 5
    assert assign(scores, capacity, k=1, rounds=0).assigned < 5
    assert assign(scores, capacity, k=1).assigned == 5


def test_an_access_boost_gives_a_trainee_group_first_pick_of_a_scarce_mentor():
    pool = MentorPool(WEEK)
    pool.upsert(mentor("only", ["focus pulling", "lenses"], capacity=1))
    weights = MatchingWeights(dict(DEFAULT_WEIGHTS))
    europe = request(request_id="eu", trainee=person("t-eu"))                    # region Europe, better fit
    africa = request(request_id="af", trainee=person("t-af", country="GH", region="West Africa", tz="Africa/Accra"),
                     focus_skills=["lenses"])
    vectors = [TraineeVector.of(r, WEEK) for r in (europe, africa)]
    caps = np.array([1])
    plain = assign(pool.score_matrix(vectors, weights, FairnessPolicy(), np.zeros(1)), caps)
    boosted = assign(pool.score_matrix(vectors, weights, FairnessPolicy(access_boost={"West Africa": 0.3}),
                                       np.zeros(1)), caps)
    assert list(plain.mentor_of) == [0, -1] and list(boosted.mentor_of) == [-1, 0]


def test_a_cohort_explanation_is_the_same_as_ranking_the_pair_alone():
    pool = MentorPool(WEEK)
    pool.upsert_many([mentor("a", ["focus pulling", "lenses"]), mentor("b", ["composition"], languages=("fr", "en"),
                                                                        country="GH", region="West Africa")])
    weights = MatchingWeights(dict(DEFAULT_WEIGHTS))
    for policy in (FairnessPolicy(), FairnessPolicy(region_preference="same_region")):
        vec = TraineeVector.of(request(), WEEK)
        load = np.array([1.0, 0.0])
        ranked = {r.mentor_id: r for r in pool.rank(vec, weights, policy, load).mentors}
        for mentor_id, row in pool.row_of.items():
            pair = pool.explain_pair(vec, row, weights, policy, load)
            assert pair.features == ranked[mentor_id].features and pair.score == ranked[mentor_id].score
