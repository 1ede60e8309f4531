from datetime import UTC, datetime, timedelta

from shared.availability import Window, hours, intersect, intervals_utc, subtract

UTC = UTC


def test_a_lisbon_evening_is_an_hour_earlier_in_utc_in_summer_than_in_winter():
    monday = [Window(0, "18:00", "20:00")]
    summer = intervals_utc(monday, "Europe/Lisbon", datetime(2026, 7, 6, tzinfo=UTC), datetime(2026, 7, 7, tzinfo=UTC))
    winter = intervals_utc(monday, "Europe/Lisbon", datetime(2026, 1, 5, tzinfo=UTC), datetime(2026, 1, 6, tzinfo=UTC))
    assert summer == [(datetime(2026, 7, 6, 17, tzinfo=UTC), datetime(2026, 7, 6, 19, tzinfo=UTC))]
    assert winter == [(datetime(2026, 1, 5, 18, tzinfo=UTC), datetime(2026, 1, 5, 20, tzinfo=UTC))]


def test_a_window_can_cross_midnight_in_utc():
    # 20:00–23:00 in Bogotá (UTC-5) is 01:00–04:00 UTC the next day.
    got = intervals_utc([Window(4, "20:00", "23:00")], "America/Bogota",
                        datetime(2026, 3, 6, tzinfo=UTC), datetime(2026, 3, 8, tzinfo=UTC))
    assert got == [(datetime(2026, 3, 7, 1, tzinfo=UTC), datetime(2026, 3, 7, 4, tzinfo=UTC))]


def test_intersect_and_subtract():
    h = lambda a, b: (datetime(2026, 1, 1, a, tzinfo=UTC), datetime(2026, 1, 1, b, tzinfo=UTC))  # noqa: E731
    assert intersect([h(8, 12)], [h(10, 14)]) == [h(10, 12)]
    assert intersect([h(8, 9)], [h(10, 14)]) == []
    assert subtract([h(8, 12)], [h(9, 10)]) == [h(8, 9), h(10, 12)]


def test_weekly_overlap_between_lagos_and_london_evenings():
    lagos = [Window(d, "18:00", "21:00") for d in range(5)]      # UTC+1
    london = [Window(d, "18:00", "20:00") for d in range(5)]     # UTC+0 in winter
    start = datetime(2026, 1, 5, tzinfo=UTC)
    end = start + timedelta(days=7)
    both = intersect(
        intervals_utc(lagos, "Africa/Lagos", start, end), intervals_utc(london, "Europe/London", start, end)
    )
    assert hours(both) == 5 * 2.0  # 18:00–20:00 London = 19:00–21:00 Lagos
