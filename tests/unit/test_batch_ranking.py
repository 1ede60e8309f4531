"""Ranking a poll's requests together (issue #21): one vectoriser call and one sparse
product for the batch give the very numbers one request at a time gives."""
from datetime import UTC, datetime

import numpy as np
import pytest

import services.matching.pool as pool_module
from bench import synthetic
from services.matching.domain import DEFAULT_WEIGHTS, FairnessPolicy, MatchingWeights
from services.matching.pool import MentorPool, TraineeVector
from services.matching.ranker import PreparedVectors, rank_request

WEEK = datetime(2026, 1, 5, tzinfo=UTC)
POLICY = FairnessPolicy(min_share={"West Africa": 0.2}, exposure_boost=0.5)
WEIGHTS = MatchingWeights(dict(DEFAULT_WEIGHTS))


@pytest.fixture
def pool(monkeypatch):
    """Mentors in both of the pool's matrices: most merged, the last ones still in the delta."""
    monkeypatch.setattr(pool_module, "MERGE_EVERY", 100)
    pool = MentorPool(WEEK)
    mentors = synthetic.mentors(260, seed=11)
    pool.upsert_many(mentors[:200])          # merged (200 ≥ 100)
    for m in mentors[200:250]:
        pool.upsert(m)                       # merged once at 100 in the delta: still 50 there
    assert pool._skill_delta.shape[0] == 50 and pool._skill_main.shape[0] == 200
    return pool


def _ranked(pool, req, vector=None, load=None):
    return rank_request(pool, req, WEIGHTS, POLICY, load or {}, {"Europe": 0.6}, {"Europe": 0.4, "West Africa": 0.1},
                        vector=vector)


def test_a_batch_ranks_every_request_exactly_as_one_at_a_time(pool):
    requests = synthetic.requests(60, seed=12)
    requests[5].focus_skills, requests[5].goals = [], ""            # asks nothing the vectorisers know
    prepared = PreparedVectors()
    prepared.prepare(pool, [(f"e{i}", r) for i, r in enumerate(requests)])
    load = {pool.ids[0]: 2, pool.ids[7]: 1}
    for i, req in enumerate(requests):
        vector = prepared.vector(pool, req, f"e{i}")
        assert vector.scores is not None            # the batch's, not made again
        alone = TraineeVector.of(req, WEEK)
        # The features themselves, bit for bit, for every row of the pool…
        eligible_b, feats_b = pool.features(vector, np.zeros(pool.rows), POLICY)
        eligible_a, feats_a = pool.features(alone, np.zeros(pool.rows), POLICY)
        assert np.array_equal(feats_a, feats_b) and np.array_equal(eligible_a, eligible_b)
        # …and so the proposals: who, in which order, with which scores and groups.
        a, b = _ranked(pool, req, load=load), _ranked(pool, req, vector, load=load)
        assert a.mentors == b.mentors and a.groups == b.groups and a.eligible_by_group == b.eligible_by_group
        assert a.mentors, "every synthetic request has someone to rank"


def test_a_vector_made_before_the_pool_changed_is_made_again(pool):
    requests = synthetic.requests(3, seed=13)
    prepared = PreparedVectors()
    prepared.prepare(pool, [(f"e{i}", r) for i, r in enumerate(requests)])
    newcomer = synthetic.mentors(261, seed=11)[260]
    pool.upsert(newcomer)                           # a profile arrives between the batch and its ranking
    vector = prepared.vector(pool, requests[0], "e0")
    assert vector.scores is None                    # made afresh, one request at a time
    _, feats = pool.features(vector, np.zeros(pool.rows), POLICY)
    assert feats.shape[0] == pool.rows              # the newcomer's row is scored too
    # A vector whose scores the pool no longer matches multiplies on its own.
    stale = TraineeVector.of(requests[1], WEEK)
    pool_before = MentorPool(WEEK)
    pool_before.upsert_many(synthetic.mentors(10, seed=1))
    pool_before.score_many([stale])
    assert _ranked(pool, requests[1], stale).mentors == _ranked(pool, requests[1]).mentors


def test_a_prepared_vector_serves_only_the_event_that_brought_its_request(pool):
    requests = synthetic.requests(2, seed=14)
    prepared = PreparedVectors()
    prepared.prepare(pool, [("e0", requests[0])])
    assert prepared.vector(pool, requests[0], "e0").scores is not None
    assert prepared.vector(pool, requests[0], "a-decline").scores is None     # a later ranking: made again
    assert prepared.vector(pool, requests[1], "e0").scores is None            # another request
    # Only the batch's own handling ranks on the directory as the preparer refreshed it.
    assert prepared.holds(requests[0], "e0")
    assert not prepared.holds(requests[0], "a-decline") and not prepared.holds(requests[1], "e0")
    prepared.prepare(pool, [("e1", requests[1])])                             # the next batch
    assert prepared.vector(pool, requests[0], "e0").scores is None
    assert not prepared.holds(requests[0], "e0") and prepared.holds(requests[1], "e1")


@pytest.mark.parametrize("queries", [1, 5])
def test_the_column_product_is_scipys_sum_bit_for_bit(queries):
    import scipy.sparse as sp

    from services.matching.pool import column_product
    rng = np.random.default_rng(21)
    main = sp.random(700, 3000, density=0.01, format="csc", random_state=rng, data_rvs=rng.random)
    for _ in range(20):
        cols = np.unique(rng.integers(0, 3000, size=rng.integers(1, 40)))
        q = rng.random((len(cols), queries))
        assert np.array_equal(column_product(main, cols, q), main[:, cols] @ q)
    empty = np.array([c for c in range(3000) if main.indptr[c] == main.indptr[c + 1]][:3])
    assert not column_product(main, empty, np.ones((len(empty), queries))).any()


@pytest.mark.parametrize("queries", [1, 5])
def test_the_row_product_is_scipys_sparse_product_bit_for_bit(queries):
    import scipy.sparse as sp

    from services.matching.pool import row_product
    rng = np.random.default_rng(22)
    delta = sp.random(400, 3000, density=0.01, format="csr", random_state=rng, data_rvs=rng.random)
    for _ in range(20):
        rows = [sp.random(1, 3000, density=rng.uniform(0.001, 0.01), format="csr", random_state=rng,
                          data_rvs=rng.random) for _ in range(queries)]
        cols = np.unique(np.concatenate([r.indices for r in rows]))
        q = np.zeros((len(cols), queries))
        for k, r in enumerate(rows):
            q[np.searchsorted(cols, r.indices), k] = r.data
        assert np.array_equal(row_product(delta, cols, q), (delta @ sp.vstack(rows, format="csr").T).toarray())


def test_a_large_batch_through_scipy_ranks_as_one_at_a_time(pool, monkeypatch):
    monkeypatch.setattr(pool_module, "DIRECT_QUERIES", 4)
    requests = synthetic.requests(30, seed=14)           # above DIRECT_QUERIES: scipy's products
    prepared = PreparedVectors()
    prepared.prepare(pool, [(f"e{i}", r) for i, r in enumerate(requests)])
    for i, req in enumerate(requests):
        vector = prepared.vector(pool, req, f"e{i}")
        _, batch = pool.features(vector, np.zeros(pool.rows), POLICY)
        _, alone = pool.features(TraineeVector.of(req, WEEK), np.zeros(pool.rows), POLICY)
        assert np.array_equal(batch, alone)
