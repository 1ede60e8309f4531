"""The exposure ledger adds a ranking in one script call, inside the proposal's transaction,
and keeps the same sums as adding each figure on its own."""
from types import SimpleNamespace

import pytest

from services.matching.exposure import expected_exposure_of, exposure_of
from services.matching.repository import NS, ExposureLedger

pytestmark = pytest.mark.integration


def ranking(groups, eligible):
    return SimpleNamespace(groups=groups, eligible_by_group=eligible)


def test_two_rankings_add_up_as_each_figure_would(redis_client):
    ledger = ExposureLedger(redis_client)
    first = ranking(["south", "north", "south", "east"] + ["north"] * 9, {"south": 2, "north": 10, "east": 1})
    second = ranking(["east", "north"], {"east": 1, "north": 1, "west": 3})
    pipe = redis_client.pipeline(transaction=True)
    ledger.record(pipe, "region", first)
    ledger.record(pipe, "region", second)
    pipe.execute()

    def summed(fn):
        out: dict[str, float] = {}
        for r in (first, second):
            for group, value in fn(r).items():
                out[group] = out.get(group, 0.0) + value
        return out

    assert ledger.exposure("region") == pytest.approx(summed(exposure_of))
    assert ledger.expected("region") == pytest.approx(summed(expected_exposure_of))
    west = ledger.stats("region")["west"]      # in one ranking's candidates, never shown
    y = expected_exposure_of(second)["west"]
    assert west == pytest.approx({"x": 0.0, "y": y, "xx": 0.0, "yy": y * y, "xy": 0.0, "n": 1.0})
    assert ledger.stats("region")["north"]["n"] == 2
    # The top ten of the first ranking and both of the second.
    assert ledger.top10("region") == {"south": 2, "north": 8, "east": 2}
    assert redis_client.hget(f"{NS}:rankings", "region") == "2"
