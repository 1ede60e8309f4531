"""Zones stay loaded however many are in use (zoneinfo alone keeps the last eight)."""
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import pytest

from shared.zones import zone


def test_a_zone_is_loaded_once_however_many_others_come_between():
    names = sorted(available_timezones())[:40]
    first = {name: zone(name) for name in names}
    ZoneInfo.clear_cache()                          # zoneinfo's own cache forgets them all
    assert all(zone(name) is first[name] for name in names)
    assert zone("Africa/Lagos").key == "Africa/Lagos"


def test_a_name_that_is_no_zone_raises_as_zoneinfo_does():
    with pytest.raises(ZoneInfoNotFoundError):
        zone("Mars/Olympus_Mons")
