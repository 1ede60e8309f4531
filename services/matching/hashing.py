"""Words to hashed columns, exactly as scikit-learn's ``HashingVectorizer`` makes them,
without its cost per call. Pure: no Flask, Kafka or Redis.

``HashingVectorizer.transform`` validates its parameters, hashes every token again and
builds, sums and normalises a sparse matrix through several scipy steps: about 0.3 ms
for one short request, which matching paid twice for every request (issue #21). Here
the vectoriser's own analyser still makes the tokens (stop words, n-grams, lower case,
all as configured), each token's column is hashed once and remembered, and the row is
made directly: columns sorted, each counted once, L2-normalised with the very
operations scikit-learn's ``inplace_csr_row_normalize_l2`` does, in the same order.
``tests/unit/test_hashing.py`` checks the result against scikit-learn's, bit for bit.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.utils import murmurhash3_32

_INT32_MIN = -(2 ** 31)


class CachedHashing:
    """``transform`` gives what ``vectorizer.transform`` gives. Only the settings
    matching uses are accepted (no alternating signs, L2 or no norm, float64)."""

    def __init__(self, vectorizer: HashingVectorizer, max_tokens: int = 100_000):
        if vectorizer.alternate_sign or vectorizer.norm not in (None, "l2") or vectorizer.dtype is not np.float64 \
                or vectorizer.input != "content":
            raise ValueError("CachedHashing follows only non-alternating, L2 or unnormalised float64 vectorisers")
        self._analyse = vectorizer.build_analyzer()
        self.n_features = vectorizer.n_features
        self._binary = vectorizer.binary
        self._l2 = vectorizer.norm == "l2"
        self._max_tokens = max_tokens
        self._columns: dict[str, int] = {}

    def column(self, token: str) -> int:
        """The token's column: its signed 32-bit MurmurHash3 (seed 0) of the UTF-8 bytes,
        made positive and folded, as scikit-learn's ``_hashing_fast`` does it."""
        col = self._columns.get(token)
        if col is None:
            h = murmurhash3_32(token, seed=0, positive=False)
            n = self.n_features
            col = (2147483647 - (n - 1)) % n if h == _INT32_MIN else abs(h) % n
            if len(self._columns) >= self._max_tokens:
                self._columns.clear()      # bounded: free text brings new words without end
            self._columns[token] = col
        return col

    def row(self, text: str) -> tuple[list[int], list[float]]:
        """One text's (sorted columns, values)."""
        counts = Counter(self.column(token) for token in self._analyse(text))
        cols = sorted(counts)
        values = [1.0] * len(cols) if self._binary else [float(counts[c]) for c in cols]
        if self._l2:
            total = 0.0
            for v in values:
                total += v * v
            if total != 0.0:
                norm = math.sqrt(total)
                values = [v / norm for v in values]
        return cols, values

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        indptr, indices, data = [0], [], []
        for text in texts:
            cols, values = self.row(text)
            indices += cols
            data += values
            indptr.append(len(indices))
        return sp.csr_matrix((np.array(data, dtype=np.float64), np.array(indices, dtype=np.int32),
                              np.array(indptr, dtype=np.int32)), shape=(len(texts), self.n_features))
