"""Work asked for after every round runs at most once per interval (sessions' timers, the mail gauge)."""
from shared.pacing import Every


def test_the_first_ask_acts_then_at_most_once_per_interval():
    now = [100.0]
    calls = []
    tick = Every(0.5, lambda: calls.append(now[0]), clock=lambda: now[0])
    tick()
    for step in (0.1, 0.2, 0.49):          # asked after every poll: nothing until the interval ends
        now[0] = 100.0 + step
        tick()
    now[0] = 100.5
    tick()
    now[0] = 100.7
    tick()
    now[0] = 101.2
    tick()
    assert calls == [100.0, 100.5, 101.2]

