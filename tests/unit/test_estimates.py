"""The intervals on the fairness report, and the small-sample rule."""
import math
import random

import numpy as np
import pytest

from services.matching.analysis import MIN_RANKINGS, mean_estimate, ratio_estimate, wilson


def test_wilson_matches_the_textbook_value_and_stays_inside_0_1():
    est = wilson(50, 100)
    assert est.enough and est.value == 0.5
    assert est.low == pytest.approx(0.4038, abs=1e-4) and est.high == pytest.approx(0.5962, abs=1e-4)
    edge = wilson(40, 40)
    assert edge.high == 1.0 and 0.9 < edge.low < 1.0


def test_below_the_threshold_a_figure_has_no_interval_and_no_verdict():
    few = wilson(3, 5)
    assert few.value == 0.6 and not few.enough and few.to_dict()["ci95"] is None
    assert wilson(0, 0).value is None


def test_the_ratio_interval_is_the_ratio_estimators_and_shrinks_with_more_rankings():
    rng = random.Random(7)

    def sums(n):
        ys = [rng.uniform(0.5, 2.0) for _ in range(n)]
        xs = [0.8 * y + rng.gauss(0, 0.3) for y in ys]
        x, y = np.array(xs), np.array(ys)
        return (x.sum(), y.sum(), (x * x).sum(), (y * y).sum(), (x * y).sum(), n), x, y

    (sx, sy, sxx, syy, sxy, n), x, y = sums(400)
    est = ratio_estimate(sx, sy, sxx, syy, sxy, n)
    r = x.sum() / y.sum()
    se = math.sqrt(((x - r * y) ** 2).sum() / (n * (n - 1))) / y.mean()
    assert est.value == pytest.approx(r) and est.high - est.low == pytest.approx(2 * 1.959964 * se, rel=1e-6)
    assert est.low < 0.8 < est.high
    small = ratio_estimate(*sums(50)[0])
    assert (small.high - small.low) > (est.high - est.low)
    assert not ratio_estimate(*sums(MIN_RANKINGS - 1)[0]).enough


def test_a_group_shown_exactly_its_share_has_ratio_one_and_no_spread():
    ys = [1.0, 2.0, 0.5] * 20
    est = ratio_estimate(sum(ys), sum(ys), sum(y * y for y in ys), sum(y * y for y in ys), sum(y * y for y in ys),
                         len(ys))
    assert est.value == 1.0 and est.low == pytest.approx(1.0) and est.high == pytest.approx(1.0)


def test_the_mean_interval_uses_the_sample_deviation():
    values = [float(v) for v in range(1, 41)]
    est = mean_estimate(values)
    half = 1.959964 * np.std(values, ddof=1) / math.sqrt(40)
    assert est.value == 20.5 and est.high - est.value == pytest.approx(half, rel=1e-6)
