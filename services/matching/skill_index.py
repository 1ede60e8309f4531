"""Skill similarity with scikit-learn text features.

A ``HashingVectorizer`` needs no fitted vocabulary, so a mentor who registers is
indexed on arrival with no refit of anything else; rows are L2-normalised, so the
dot product is the cosine similarity.
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer


class SkillIndex:
    def __init__(self, n_features: int = 2 ** 18):
        self._vectorizer = HashingVectorizer(n_features=n_features, ngram_range=(1, 2),
                                             alternate_sign=False, norm="l2", stop_words="english")
        self._rows: dict[str, sp.csr_matrix] = {}
        self._ids: list[str] = []
        self._matrix: sp.csr_matrix | None = None

    def __len__(self) -> int:
        return len(self._rows)

    def upsert(self, mentor_id: str, text: str) -> None:
        self._rows[mentor_id] = self._vectorizer.transform([text])
        self._matrix = None

    def similarities(self, text: str) -> dict[str, float]:
        if not self._rows:
            return {}
        if self._matrix is None:
            self._ids = list(self._rows)
            self._matrix = sp.vstack([self._rows[i] for i in self._ids]).tocsr()
        query = self._vectorizer.transform([text])
        sims = np.asarray((self._matrix @ query.T).todense()).ravel()
        return dict(zip(self._ids, sims.tolist(), strict=True))
