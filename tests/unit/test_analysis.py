import math

import pytest

from services.matching.analysis import disparity, exposure_ratios, exposure_table, gini, ndcg, skew_at_10
from services.matching.exposure import expected_exposure_of, exposure_of, position_weight
from services.matching.pool import Ranking


def test_gini_is_zero_for_an_even_load_and_grows_with_concentration():
    assert gini([2, 2, 2, 2]) == 0.0
    assert gini([0, 0, 0, 8]) == pytest.approx(0.75)      # (n-1)/n for one mentor taking everything
    assert gini([]) == 0.0 and gini([0, 0]) == 0.0


def test_disparity_is_min_over_max_of_the_exposure_ratios():
    ratios = exposure_ratios({"A": 6.0, "B": 2.0}, {"A": 4.0, "B": 4.0})
    assert ratios == {"A": 1.5, "B": 0.5} and disparity(ratios) == pytest.approx(1 / 3)
    assert disparity({}) is None


def test_skew_at_10_is_the_log_of_top_share_over_pool_share():
    skew = skew_at_10({"A": 8, "B": 2}, {"A": 0.5, "B": 0.5})
    assert skew["A"] == pytest.approx(math.log(1.6)) and skew["B"] == pytest.approx(math.log(0.4))
    assert skew_at_10({"A": 10}, {"A": 0.5, "B": 0.5})["B"] is None    # never in a top 10: undefined, said so


def test_ndcg_is_one_for_the_ideal_order_and_less_for_another():
    assert ndcg([3, 2, 1], [3, 2, 1]) == 1.0
    assert ndcg([1, 2, 3], [3, 2, 1]) < 1.0
    assert ndcg([], []) == 1.0


def test_exposure_follows_position_and_the_fair_share_follows_eligibility():
    ranking = Ranking(mentors=[], eligible_by_group={"A": 3, "B": 1}, groups=["A", "A", "B"])
    got = exposure_of(ranking)
    assert got == {"A": position_weight(1) + position_weight(2), "B": position_weight(3)}
    fair = expected_exposure_of(ranking)
    total = sum(position_weight(i) for i in (1, 2, 3))
    assert fair == {"A": pytest.approx(total * 0.75), "B": pytest.approx(total * 0.25)}


def test_the_exposure_table_divides_as_its_columns_say_and_names_both_ends():
    rankings = [Ranking(mentors=[], eligible_by_group={"A": 3, "B": 1, "C": 2}, groups=["A", "A", "B", "C"]),
                Ranking(mentors=[], eligible_by_group={"A": 1, "B": 4}, groups=["B", "B", "A"]),
                Ranking(mentors=[], eligible_by_group={"A": 2, "C": 2}, groups=["C", "A", "C"])]
    given: dict[str, float] = {}
    fair: dict[str, float] = {}
    for r in rankings:
        for g, v in exposure_of(r).items():
            given[g] = given.get(g, 0.0) + v
        for g, v in expected_exposure_of(r).items():
            fair[g] = fair.get(g, 0.0) + v
    table = exposure_table(given, fair, {"A": 0.5, "B": 0.3, "C": 0.1, "D": 0.1})
    rows = table["by_group"]
    for g in ("A", "B", "C"):
        row = rows[g]
        assert row["exposure_share"] / row["eligible_share"] == pytest.approx(row["exposure_ratio"], abs=2e-3)
    assert rows["D"] == {"pool_share": 0.1, "eligible_share": 0.0, "exposure_share": 0.0, "exposure_ratio": None}
    ratios = {g: rows[g]["exposure_ratio"] for g in ("A", "B", "C")}
    low, high = min(ratios, key=ratios.__getitem__), max(ratios, key=ratios.__getitem__)
    assert table["least_exposed"] == {"group": low, "exposure_ratio": ratios[low]}
    assert table["most_exposed"] == {"group": high, "exposure_ratio": ratios[high]}
    assert table["disparity_ratio"] == pytest.approx(ratios[low] / ratios[high], abs=1e-3)
    assert exposure_table({}, {}) == {"by_group": {}, "least_exposed": None, "most_exposed": None,
                                      "disparity_ratio": None}
