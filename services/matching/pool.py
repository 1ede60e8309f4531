"""The mentor pool, held as columns so that ranking 100k mentors is a few numpy
passes rather than a Python loop. Pure: no Flask, Kafka or Redis.

- skills: hashed word 1–2-grams (scikit-learn ``HashingVectorizer``, L2-normalised),
  so a mentor is indexed on arrival with no refit. Stored column-major (CSC): a query
  touches only the columns of its own terms, so its cost follows the query, not the pool.
- levels: per hashed skill word, the mentor's best level for a skill containing it; the
  level feature is the mean of those over the words the trainee asked for (/ 5).
- availability: each mentor's week (the pool's reference week, in UTC) as 336
  half-hour bits; the overlap with a trainee is a popcount of an AND.
- languages: a bitmask over ``shared.geo.LANGUAGES``.

Updates append a row (the old one is retired) to one small row-major delta, which is
merged into the column-major matrix every ``MERGE_EVERY`` changes: a change costs its own
rows (plus, amortised, 1/``MERGE_EVERY`` of a merge), and a ranking reads two matrices
however many changes came one at a time. Group codes grow with the rows, too.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer

from services.matching.domain import (
    CRITERIA,
    FairnessPolicy,
    MatchingWeights,
    MentorProfile,
    RankedMentor,
    TraineeRequest,
)
from services.matching.hashing import CachedHashing
from shared.availability import Window, intervals_utc
from shared.geo import LANGUAGES

SLOT_MINUTES = 30
SLOTS = 7 * 24 * 60 // SLOT_MINUTES          # 336 half-hours a week
WORDS = (SLOTS + 63) // 64                    # 6 uint64 words
N_FEATURES = 2 ** 18
MERGE_EVERY = 512
# Up to this many queries at once, the pool's products are read straight from its arrays
# (column_product, row_product); a larger batch goes through scipy, whose loop in C beats
# one numpy pass per query past about 16 queries (0.16 against 0.10 ms a request at 64,
# 1,500 mentors). Both give the same numbers.
DIRECT_QUERIES = 16
_LANG_BIT = {code: i for i, code in enumerate(LANGUAGES)}


def week_start_for(now: datetime) -> datetime:
    """The reference week: from next Monday 00:00 UTC (sessions are booked ≥ 24 h ahead)."""
    day = (now + timedelta(days=1)).astimezone(UTC).date()
    monday = day + timedelta(days=(7 - day.weekday()) % 7)
    return datetime(monday.year, monday.month, monday.day, tzinfo=UTC)


def week_bits(windows: Iterable[Window], tz: str, week_start: datetime) -> np.ndarray:
    """The half-hours of the week wholly inside the windows, as ``WORDS`` uint64s."""
    bits = np.zeros(WORDS * 64, dtype=bool)
    for a, b in intervals_utc(list(windows), tz, week_start, week_start + timedelta(days=7)):
        first = -(-int((a - week_start).total_seconds()) // (SLOT_MINUTES * 60))   # round start up
        last = int((b - week_start).total_seconds()) // (SLOT_MINUTES * 60)         # round end down
        bits[first:last] = True
    return np.packbits(bits.reshape(WORDS, 64), axis=1, bitorder="little").view(np.uint64).ravel()


def language_mask(codes: Iterable[str]) -> int:
    mask = 0
    for code in codes:
        if code in _LANG_BIT:
            mask |= 1 << _LANG_BIT[code]
    return mask


_SKILL_VECTORIZER = HashingVectorizer(n_features=N_FEATURES, ngram_range=(1, 2), alternate_sign=False,
                                      norm="l2", stop_words="english")
_WORD_VECTORIZER = HashingVectorizer(n_features=N_FEATURES, ngram_range=(1, 1), alternate_sign=False,
                                     norm=None, binary=True, stop_words="english")
# The same vectors as the two above, without scikit-learn's cost per call (hashing.py).
_SKILLS = CachedHashing(_SKILL_VECTORIZER)
_WORDS = CachedHashing(_WORD_VECTORIZER)


def skill_vectors(texts: list[str]) -> sp.csr_matrix:
    return _SKILLS.transform(texts)


def level_row(skills: list[dict]) -> sp.csr_matrix:
    """For each word of the mentor's skill names: their best level for it, / 5."""
    if not skills:
        return sp.csr_matrix((1, N_FEATURES))
    words = _WORDS.transform([s["name"] for s in skills])          # skills × features, 0/1
    levels = sp.diags(np.array([s["level"] / 5.0 for s in skills])) @ words
    return sp.csr_matrix(levels.max(axis=0))


def column_product(main: sp.csc_matrix, cols: np.ndarray, q: np.ndarray) -> np.ndarray:
    """``main[:, cols] @ q`` (``q``: one row per column of ``cols``, one column per
    query), read straight from the CSC arrays. scipy's column slicing and product cost
    about 0.5 ms a call in checks and copies for a query of a dozen words. The sums are
    scipy's own, in its order: for each column in turn, each stored entry adds
    ``value × q`` to its row (``csc_matvecs``), so the numbers are identical."""
    starts = main.indptr[cols].astype(np.int64)
    lengths = main.indptr[cols + 1] - starts
    total = int(lengths.sum())
    # The positions of the chosen columns' entries, column after column, in stored order.
    first = np.cumsum(lengths) - lengths
    where = np.repeat(starts - first, lengths) + np.arange(total)
    column = np.repeat(np.arange(len(cols)), lengths)
    return _sum_by_row(main.indices[where], main.data[where], q[column], main.shape[0])


def row_product(delta: sp.csr_matrix, cols: np.ndarray, q: np.ndarray) -> np.ndarray:
    """``delta @ Q.T`` for the row-major delta, where ``Q`` holds the queries' values
    ``q`` on the sorted columns ``cols`` and zeros elsewhere: the sums of scipy's sparse
    product (``csr_matmat``: each row's stored entries in order, ``value × q`` added to a
    zero), without building a product matrix for a few hundred rows each time. A column
    only another query asks for adds an exact zero, which changes no sum."""
    n_rows = delta.shape[0]
    where = np.flatnonzero(np.isin(delta.indices, cols))
    rows = np.repeat(np.arange(n_rows), np.diff(delta.indptr))[where]
    return _sum_by_row(rows, delta.data[where], q[np.searchsorted(cols, delta.indices[where])], n_rows)


def _sum_by_row(rows: np.ndarray, values: np.ndarray, q_of_entry: np.ndarray, n_rows: int) -> np.ndarray:
    """For each query k, every row's sum of ``value × q`` over its entries, added in the
    entries' order (``bincount`` adds its weights one after another, as scipy's loops do)."""
    out = np.zeros((n_rows, q_of_entry.shape[1]))
    for k in range(q_of_entry.shape[1]):
        out[:, k] = np.bincount(rows, weights=values * q_of_entry[:, k], minlength=n_rows)
    return out


@dataclass
class Ranking:
    """The best eligible mentors in order, and how many eligible candidates each fairness
    group had: a group's fair share of exposure follows its share of the eligible."""
    mentors: list[RankedMentor]
    eligible_by_group: dict[str, int]
    groups: list[str]             # the fairness group of each ranked mentor

    def __bool__(self) -> bool:
        return bool(self.mentors)


_VERSIONS = itertools.count(1)


@dataclass
class TraineeVector:
    """A request, prepared once for ranking (and reused by cohorts and previews)."""
    skill_row: sp.csr_matrix
    word_row: sp.csr_matrix          # asked words, each weighing 1 / their number
    lang_all: int
    lang_first: int
    bits: np.ndarray
    region: str
    country: str
    equity: float
    # Every row's skill and level scores, made with others' by ``MentorPool.score_many``
    # for the pool version named: (version, skill, level). ``features`` uses them while
    # the pool is at that version and multiplies on its own otherwise.
    scores: tuple[int, np.ndarray, np.ndarray] | None = None

    @classmethod
    def of(cls, request: TraineeRequest, week_start: datetime) -> TraineeVector:
        return cls.of_many([request], week_start)[0]

    @classmethod
    def of_many(cls, requests: list[TraineeRequest], week_start: datetime) -> list[TraineeVector]:
        """Several requests, their words vectorised in one call per vectoriser (a poll's
        batch: each call costs far more than one more row in it). Row for row the same as
        one at a time."""
        if not requests:
            return []
        skills = skill_vectors([r.text for r in requests])
        words = _WORDS.transform([" ".join(r.focus_skills) + " " + r.discipline for r in requests])
        out = []
        for i, request in enumerate(requests):
            asked = words[i]
            if asked.nnz:
                asked.data = np.full(asked.nnz, 1.0 / asked.nnz)
            langs = request.trainee["languages"]
            equity = 1.0 if (request.equity or {}).get("underrepresented") == "yes" else 0.0
            out.append(cls(skills[i], asked, language_mask(langs), language_mask(langs[:1]),
                           week_bits(request.windows, request.trainee["timezone"], week_start),
                           request.trainee["region"], request.trainee["country"], equity))
        return out


class MentorPool:
    """Every mentor matching may propose, as columns. Rows are stable; updates retire
    the old row and append a new one."""

    # Per-row arrays, grown together by _alloc.
    active: np.ndarray
    capacity: np.ndarray
    lang: np.ndarray
    bits: np.ndarray

    def __init__(self, week_start: datetime):
        self.week_start = week_start
        self.ids: list[str] = []
        self.row_of: dict[str, int] = {}
        self.profiles: list[MentorProfile] = []
        self._n = 0
        # attribute → (code per row, sorted group names, name → code); kept up to date
        # row by row, rebuilt only when a new group name appears.
        self._groups: dict[str, tuple[np.ndarray, list[str], dict[str, int]]] = {}
        self._alloc(1024)
        self._skill_main = sp.csc_matrix((0, N_FEATURES))
        self._level_main = sp.csc_matrix((0, N_FEATURES))
        self._skill_delta = sp.csr_matrix((0, N_FEATURES))
        self._level_delta = sp.csr_matrix((0, N_FEATURES))
        self._bits_cache: dict[tuple, np.ndarray] = {}
        # Changes whenever rows, their matrices or the reference week change: scores and
        # vectors made before are then made again (``score_many``, ``PreparedVectors``).
        # Drawn from one counter for every pool: no two pools ever share a version.
        self.version = next(_VERSIONS)

    # --- storage ----------------------------------------------------------------
    def _alloc(self, size: int) -> None:
        def grow(name, shape, dtype, fill=0):
            old = getattr(self, name, None)
            new = np.full(shape, fill, dtype=dtype)
            if old is not None:
                new[: len(old)] = old
            setattr(self, name, new)
        grow("active", (size,), bool, False)
        grow("capacity", (size,), np.int32)
        grow("lang", (size,), np.uint64)
        grow("bits", (size, WORDS), np.uint64)
        for attribute, (codes, names, index) in list(self._groups.items()):
            grown = np.zeros(size, dtype=np.int32)
            grown[: len(codes)] = codes
            self._groups[attribute] = (grown, names, index)
        self._size = size

    def __len__(self) -> int:
        return len(self.row_of)

    @property
    def rows(self) -> int:
        return self._n

    def upsert(self, mentor: MentorProfile) -> None:
        self.upsert_many([mentor])

    def upsert_many(self, mentors: list[MentorProfile]) -> None:
        if not mentors:
            return
        self.version = next(_VERSIONS)
        while self._n + len(mentors) > self._size:
            self._alloc(self._size * 2)
        for mentor in mentors:
            old = self.row_of.get(mentor.id)
            if old is not None:
                self.active[old] = False
            row = self._n
            self._n += 1
            self.ids.append(mentor.id)
            self.profiles.append(mentor)
            self.row_of[mentor.id] = row
            self.active[row] = True
            self.capacity[row] = mentor.monthly_capacity
            self.lang[row] = np.uint64(language_mask(mentor.person["languages"]))
            self.bits[row] = self._bits_for(mentor)
            self._group_row(row, mentor)
        self._skill_delta = sp.vstack([self._skill_delta, skill_vectors([m.text for m in mentors])], format="csr")
        self._level_delta = sp.vstack([self._level_delta, *(level_row(m.skills) for m in mentors)], format="csr")
        if self._skill_delta.shape[0] >= MERGE_EVERY:
            self._merge()

    def _merge(self) -> None:
        if self._skill_delta.shape[0]:
            self.version = next(_VERSIONS)
            self._skill_main = sp.vstack([self._skill_main, self._skill_delta]).tocsc()
            self._level_main = sp.vstack([self._level_main, self._level_delta]).tocsc()
            self._skill_delta = sp.csr_matrix((0, N_FEATURES))
            self._level_delta = sp.csr_matrix((0, N_FEATURES))

    @staticmethod
    def _group_of(mentor: MentorProfile, attribute: str) -> str:
        return mentor.person.get(attribute) or mentor.attributes.get(attribute) or "unknown"

    def _group_row(self, row: int, mentor: MentorProfile) -> None:
        for attribute, (codes, _, index) in list(self._groups.items()):
            code = index.get(self._group_of(mentor, attribute))
            if code is None:
                del self._groups[attribute]     # a new group: the sorted names change
            else:
                codes[row] = code

    def _bits_for(self, mentor: MentorProfile) -> np.ndarray:
        # Many mentors share a pattern ("weekday evenings, Europe/Paris"): compute it once.
        key = (
            mentor.person["timezone"],
            tuple((w["day"], w["start"], w["end"]) for w in mentor.person["availability"]),
        )
        bits = self._bits_cache.get(key)
        if bits is None:
            bits = self._bits_cache[key] = week_bits(mentor.windows, key[0], self.week_start)
        return bits

    def rebase_week(self, week_start: datetime) -> None:
        """Recompute availability for a new reference week (DST may have moved it)."""
        self.week_start = week_start
        self.version = next(_VERSIONS)
        self._bits_cache.clear()
        for row, mentor in enumerate(self.profiles):
            self.bits[row] = self._bits_for(mentor)

    def group_codes(self, attribute: str) -> tuple[np.ndarray, list[str]]:
        """Each row's group for a fairness attribute (region, country or a profile
        attribute), and the group names the codes index, sorted."""
        if attribute not in self._groups:
            values = [self._group_of(p, attribute) for p in self.profiles]
            names = sorted(set(values))
            index = {n: i for i, n in enumerate(names)}
            codes = np.zeros(self._size, dtype=np.int32)
            codes[: len(values)] = [index[v] for v in values]
            self._groups[attribute] = (codes, names, index)
        codes, names, _ = self._groups[attribute]
        return codes[: self._n], names

    # --- features ---------------------------------------------------------------
    def _column_scores(self, main: sp.csc_matrix, delta: sp.csr_matrix, query: sp.csr_matrix) -> np.ndarray:
        """Every row's dot product with a one-row sparse query: a batch of one."""
        return self._column_scores_many(main, delta, [query])[:, 0]

    def score_many(self, vectors: list[TraineeVector]) -> None:
        """Every row's skill and level scores for several trainees, one product per matrix
        for them all (``scores``, read by ``features``). The same sums in the same order as
        a batch of one (``_column_scores``): a column another trainee asked for adds an
        exact zero, so the numbers are identical, not just close."""
        if not vectors:
            return
        skill = self._column_scores_many(self._skill_main, self._skill_delta, [v.skill_row for v in vectors])
        level = self._column_scores_many(self._level_main, self._level_delta, [v.word_row for v in vectors])
        for k, vector in enumerate(vectors):
            vector.scores = (self.version, skill[:, k], level[:, k])

    def _column_scores_many(self, main: sp.csc_matrix, delta: sp.csr_matrix,
                            rows: list[sp.csr_matrix]) -> np.ndarray:
        out = np.zeros((self._n, len(rows)), order="F")     # a trainee's column is contiguous
        cols = np.unique(np.concatenate([row.indices for row in rows]))
        if len(cols) == 0:
            return out
        # The queries' values on the columns any of them asks for (slicing the sparse
        # queries by column would allocate an array as wide as every feature).
        q = np.zeros((len(cols), len(rows)))
        for k, row in enumerate(rows):
            q[np.searchsorted(cols, row.indices), k] = row.data
        merged_rows = main.shape[0]
        direct = len(rows) <= DIRECT_QUERIES
        if merged_rows:
            out[:merged_rows] = column_product(main, cols, q) if direct else main[:, cols] @ q
        if delta.shape[0]:
            out[merged_rows:] = row_product(delta, cols, q) if direct \
                else (delta @ sp.vstack(rows, format="csr").T).toarray()
        return out

    def features(self, t: TraineeVector, load: np.ndarray, policy: FairnessPolicy,
                 rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(eligible mask, features rows × criteria) for ``rows`` (default: every row)."""
        count = self._n if rows is None else len(rows)
        index: np.ndarray | slice
        if rows is None:
            index = slice(0, self._n)   # a slice gives views; an index array would copy every column
            if t.scores is not None and t.scores[0] == self.version:
                _, skill, level = t.scores
            else:
                skill = self._column_scores(self._skill_main, self._skill_delta, t.skill_row)
                level = self._column_scores(self._level_main, self._level_delta, t.word_row)
        else:   # a few rows: read them from the merged matrices
            self._merge()
            index = rows
            skill = (self._skill_main[rows] @ t.skill_row.T).toarray().ravel()
            level = (self._level_main[rows] @ t.word_row.T).toarray().ravel()
        lang = self.lang[index]
        shares = (lang & np.uint64(t.lang_all)) != 0
        language = np.where((lang & np.uint64(t.lang_first)) != 0, 1.0, np.where(shares, 0.5, 0.0))
        overlap = np.bitwise_count(self.bits[index] & t.bits).sum(axis=1) * (SLOT_MINUTES / 60.0)
        capacity = self.capacity[index]
        load_fit = np.where(capacity > 0, np.clip(1.0 - load[index] / np.maximum(capacity, 1), 0.0, 1.0), 0.0)
        region = self._region_feature(t, policy, index, count)
        equity = np.full(count, t.equity)
        eligible = (self.active[index] & shares & (load_fit > 0) & (overlap >= policy.min_overlap_hours))
        feats = np.column_stack([np.clip(skill, 0.0, 1.0), level, language, np.minimum(overlap / 4.0, 1.0), region,
                                 load_fit, equity])
        return eligible, feats

    def skipped(self, t: TraineeVector, load: np.ndarray, policy: FairnessPolicy,
                tried: Iterable[str] = ()) -> dict[str, list[str]]:
        """Which active mentors each hard filter took out for this trainee, in the order
        the filters apply (a mentor is listed under the first one they fail): no shared
        language, no capacity left this month, too little time in common, excluded by
        staff, already proposed for this request."""
        index = slice(0, self._n)
        remaining = self.active[index].copy()
        shares = (self.lang[index] & np.uint64(t.lang_all)) != 0
        capacity = self.capacity[index]
        room = (capacity > 0) & (load[index] < capacity)
        overlap = np.bitwise_count(self.bits[index] & t.bits).sum(axis=1) * (SLOT_MINUTES / 60.0)
        out: dict[str, list[str]] = {}
        for name, ok in (("language", shares), ("capacity", room), ("time", overlap >= policy.min_overlap_hours)):
            out[name] = [self.ids[i] for i in np.flatnonzero(remaining & ~ok)]
            remaining &= ok
        for name, ids in (("excluded", set(policy.excluded_mentors)), ("tried", set(tried))):
            rows = [self.row_of[m] for m in ids if m in self.row_of and remaining[self.row_of[m]]]
            out[name] = [self.ids[r] for r in rows]
            remaining[rows] = False
        return out

    def _region_feature(self, t: TraineeVector, policy: FairnessPolicy, rows, count: int) -> np.ndarray:
        if policy.region_preference == "neutral":
            return np.full(count, 0.5)
        attribute, value = ("region", t.region) if policy.region_preference == "same_region" else ("country", t.country)
        codes, names = self.group_codes(attribute)
        same = codes[rows] == (names.index(value) if value in names else -1)
        return np.where(same, 1.0, 0.0) if policy.region_preference == "same_region" else np.where(same, 0.0, 1.0)

    def score_matrix(self, trainees: list[TraineeVector], weights: MatchingWeights, policy: FairnessPolicy,
                     load: np.ndarray, chunk: int = 1000) -> np.ndarray:
        """Scores of every trainee against every row (float32), ``-inf`` where a hard
        filter fails: the same features as ``rank``, computed for many trainees at once,
        plus the policy's ``access_boost`` for the trainee's region."""
        self._merge()
        n = self._n
        w = weights.normalised()
        wv = {c: np.float32(w[c]) for c in CRITERIA}
        skill_t = self._skill_main.T.tocsr()
        level_t = self._level_main.T.tocsr()
        capacity = self.capacity[:n]
        load_fit = np.where(capacity > 0, np.clip(1.0 - load[:n] / np.maximum(capacity, 1), 0, 1), 0.0)
        base = (wv["load"] * load_fit).astype(np.float32)
        ok_mentor = self.active[:n] & (load_fit > 0)
        regions, region_names = self.group_codes("region")
        countries, country_names = self.group_codes("country")
        out = np.empty((len(trainees), n), dtype=np.float32)
        mlang = self.lang[:n][None, :]
        slots_needed = policy.min_overlap_hours * 60 / SLOT_MINUTES
        full_slots = 4 * 60 // SLOT_MINUTES          # 4 h in common scores 1
        for lo in range(0, len(trainees), chunk):
            ts = trainees[lo:lo + chunk]
            # Accumulate Σ weight × feature in place, in float32: at 10k × 2k every
            # full-size temporary costs more than the arithmetic.
            score = out[lo:lo + len(ts)]
            score[:] = (sp.vstack([t.skill_row for t in ts]) @ skill_t).toarray()
            np.clip(score, 0, 1, out=score)
            score *= wv["skill"]
            score += wv["level"] * (sp.vstack([t.word_row for t in ts]) @ level_t).toarray().astype(np.float32)
            lang_all = np.array([t.lang_all for t in ts], dtype=np.uint64)[:, None]
            lang_first = np.array([t.lang_first for t in ts], dtype=np.uint64)[:, None]
            shares = (mlang & lang_all) != 0
            score += (wv["language"] * np.float32(0.5)) * shares
            score += (wv["language"] * np.float32(0.5)) * ((mlang & lang_first) != 0)
            bits = np.stack([t.bits for t in ts])
            slots = np.zeros((len(ts), n), dtype=np.int16)
            for word in range(WORDS):
                slots += np.bitwise_count(bits[:, word][:, None] & self.bits[:n, word][None, :])
            score += (wv["availability"] / np.float32(full_slots)) * np.minimum(slots, full_slots)
            if policy.region_preference == "same_region":
                tr = np.array([region_names.index(t.region) if t.region in region_names else -1 for t in ts])
                score += wv["region"] * (regions[None, :] == tr[:, None])
            elif policy.region_preference == "cross_border":
                tc = np.array([country_names.index(t.country) if t.country in country_names else -1 for t in ts])
                score += wv["region"] * (countries[None, :] != tc[:, None])
            else:
                score += wv["region"] * np.float32(0.5)
            score += np.array([wv["equity"] * t.equity + policy.access_boost.get(t.region, 0.0) for t in ts],
                              dtype=np.float32)[:, None]
            score += base[None, :]
            eligible = shares
            eligible &= ok_mentor[None, :]
            eligible &= slots >= slots_needed
            for mentor_id in policy.excluded_mentors:
                if mentor_id in self.row_of:
                    eligible[:, self.row_of[mentor_id]] = False
            score[~eligible] = -np.inf
        return out

    def explain_pair(self, t: TraineeVector, row: int, weights: MatchingWeights, policy: FairnessPolicy,
                     load: np.ndarray) -> RankedMentor:
        """One mentor's features and explained score for one trainee (cohort explanations)."""
        _, feats = self.features(t, load, policy, rows=np.array([row]))
        return RankedMentor.explained(self.ids[row], dict(zip(CRITERIA, feats[0].tolist(), strict=True)),
                                      weights.normalised())

    # --- ranking ----------------------------------------------------------------
    def rank(self, t: TraineeVector, weights: MatchingWeights, policy: FairnessPolicy, load: np.ndarray,
             exclude: Iterable[str] = (), limit: int = 10, group_boost: np.ndarray | None = None,
             ) -> Ranking:
        """The best ``limit`` eligible mentors, fairness re-ranking applied."""
        w = weights.normalised()
        wvec = np.array([w[c] for c in CRITERIA])
        eligible, feats = self.features(t, load, policy)
        for mentor_id in (*exclude, *policy.excluded_mentors):
            row = self.row_of.get(mentor_id)
            if row is not None:
                eligible[row] = False
        candidates = np.flatnonzero(eligible)
        codes, names = self.group_codes(policy.group_attribute)
        if len(candidates) == 0:
            return Ranking([], {}, [])
        counts = np.bincount(codes[candidates], minlength=len(names))
        eligible_by_group = {names[i]: int(c) for i, c in enumerate(counts) if c}
        base = feats[candidates] @ wvec
        boost = np.zeros(len(candidates)) if group_boost is None else group_boost[codes[candidates]]
        short = min(len(candidates), max(limit * 5, 50))
        top = np.argpartition(-(base + boost), short - 1)[:short] if len(candidates) > short \
            else np.arange(len(candidates))
        order = top[np.lexsort((np.array([self.ids[candidates[i]] for i in top]), -(base + boost)[top]))]
        chosen = rerank_min_share(order, codes[candidates], policy.min_share, names, limit)
        out = []
        for i in chosen:
            row = candidates[i]
            f = dict(zip(CRITERIA, feats[row].tolist(), strict=True))
            out.append(RankedMentor.explained(self.ids[row], f, w))
        return Ranking(out, eligible_by_group, [names[codes[candidates[i]]] for i in chosen])


def rerank_min_share(order: np.ndarray, groups: np.ndarray, min_share: dict[str, float], names: list[str],
                     limit: int) -> list[int]:
    """FA*IR-style: walk the ranking; whenever a group named in ``min_share`` has fewer
    than ⌊share × k⌋ of the first k places, its best remaining candidate moves up.
    Otherwise the best remaining candidate, whoever they are, takes the place."""
    wanted = {names.index(g): s for g, s in min_share.items() if g in names and s > 0}
    remaining = list(order)
    placed: list[int] = []
    counts = dict.fromkeys(wanted, 0)
    while remaining and len(placed) < limit:
        k = len(placed) + 1
        short = [g for g, s in wanted.items() if counts[g] < int(s * k + 1e-9)]
        pick = None
        for g in short:
            pick = next((c for c in remaining if groups[c] == g), None)
            if pick is not None:
                break
        if pick is None:
            pick = remaining[0]
        remaining.remove(pick)
        placed.append(pick)
        if groups[pick] in counts:
            counts[groups[pick]] += 1
    return placed
