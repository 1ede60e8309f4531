"""Matching's cached hashing gives scikit-learn's HashingVectorizer output bit for bit
(issue #21: the vectoriser's cost per call was a sixth of the matching worker)."""
import numpy as np
import pytest
from sklearn.feature_extraction.text import HashingVectorizer

from bench import synthetic
from services.matching.hashing import CachedHashing
from services.matching.pool import _SKILL_VECTORIZER, _WORD_VECTORIZER

AWKWARD = [
    "", "the and of", "colour colour colour grading", "Colour GRADING, colour-grading; colour_grading!",
    "étalonnage numérique et prise de son", "Запись звука на площадке", "録音 と 照明", "تصحيح الألوان",
    "Ngozi's boom-op 🎬🎬 work", "a b c d e f g h i j k l m n o p", "focus pulling " * 200,
    "x" * 5000, "\t\n  \u00a0 ", "DaVinci Resolve 18.6 / ACES 1.3 / HDR10+",
]


def _texts() -> list[str]:
    mentors = synthetic.mentors(300, seed=5)
    requests = synthetic.requests(300, seed=6)
    return ([m.text for m in mentors] + [r.text for r in requests]
            + [" ".join(r.focus_skills) + " " + r.discipline for r in requests]
            + [s["name"] for m in mentors for s in m.skills] + AWKWARD)


@pytest.mark.parametrize("vectorizer", [_SKILL_VECTORIZER, _WORD_VECTORIZER], ids=["skills", "words"])
def test_the_same_matrix_as_scikit_learn_bit_for_bit(vectorizer):
    texts = _texts()
    hashing = CachedHashing(vectorizer)
    for batch in (texts, texts[:1], texts[-len(AWKWARD):]):          # twice over: cached columns too
        for _ in range(2):
            ours, theirs = hashing.transform(batch), vectorizer.transform(batch)
            assert ours.shape == theirs.shape
            assert np.array_equal(ours.indptr, theirs.indptr)
            assert np.array_equal(ours.indices, theirs.indices)
            assert np.array_equal(ours.data, theirs.data)          # exact, not close
            assert ours.dtype == theirs.dtype == np.float64


def test_the_column_cache_stays_bounded_and_right():
    vectorizer = HashingVectorizer(n_features=2 ** 10, alternate_sign=False, norm="l2")
    hashing = CachedHashing(vectorizer, max_tokens=50)
    texts = [f"word{i} other{i} shared" for i in range(200)]
    for text in texts:
        assert np.array_equal(hashing.transform([text]).toarray(), vectorizer.transform([text]).toarray())
        assert len(hashing._columns) <= 50


def test_settings_it_does_not_follow_are_refused():
    with pytest.raises(ValueError):
        CachedHashing(HashingVectorizer(alternate_sign=True))
    with pytest.raises(ValueError):
        CachedHashing(HashingVectorizer(alternate_sign=False, norm="l1"))
