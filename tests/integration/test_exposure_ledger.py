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

    got, fair = ledger.both("region")
    assert got == pytest.approx(summed(exposure_of))
    assert fair == pytest.approx(summed(expected_exposure_of))
    west = ledger.stats("region")["west"]      # in one ranking's candidates, never shown
    y = expected_exposure_of(second)["west"]
    assert west == pytest.approx({"x": 0.0, "y": y, "xx": 0.0, "yy": y * y, "xy": 0.0, "n": 1.0})
    assert ledger.stats("region")["north"]["n"] == 2
    # The top ten of the first ranking and both of the second.
    assert ledger.top10("region") == {"south": 2, "north": 8, "east": 2}
    assert redis_client.hget(f"{NS}:rankings", "region") == "2"


def test_a_ranking_adds_exactly_what_python_computed(redis_client):
    """Each increment reaches HINCRBYFLOAT as the float's own digits: one ranking's figures
    read back equal, not merely close."""
    ledger = ExposureLedger(redis_client)
    one = ranking(["south", "north", "south", "east", "west"], {"south": 7, "north": 3, "east": 11, "west": 1})
    pipe = redis_client.pipeline(transaction=True)
    ledger.record(pipe, "region", one)
    pipe.execute()
    assert ledger.both("region") == (exposure_of(one), expected_exposure_of(one))
    assert redis_client.hget(f"{NS}:exposure-stats:region", "south|n") == "1"     # counts stay integers


def test_the_proposals_transaction_asks_nothing_before_it_and_applies_whole_after_redis_lost_its_scripts(
        redis_client):
    """A registered script would make the pipeline ask SCRIPT EXISTS first (a round trip per
    commit). The ledger's is sent as text: after a restart has emptied Redis's script
    cache, the transaction still applies as one, its other writes with it."""
    ledger = ExposureLedger(redis_client)
    one = ranking(["south", "north"], {"south": 1, "north": 1})
    redis_client.script_flush()
    pipe = redis_client.pipeline(transaction=True)
    pipe.set("proposal", "stored")
    ledger.record(pipe, "region", one)
    assert pipe.scripts == set()
    pipe.execute()
    assert redis_client.get("proposal") == "stored"
    assert ledger.both("region")[0] == exposure_of(one)
