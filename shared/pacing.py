"""Work done between other work, at most so often: a loop asks after every round, and the
work runs only when its interval has passed (the first ask runs it)."""
from __future__ import annotations

import time
from collections.abc import Callable


class Every:
    """Calls ``action`` when asked, at most once every ``seconds`` (the first ask calls it).
    The interval starts when the call starts, so an action that raises is not asked again
    before the interval ends either."""

    def __init__(self, seconds: float, action: Callable[[], object], clock: Callable[[], float] = time.monotonic):
        self._seconds = seconds
        self._action = action
        self._clock = clock
        self._next = float("-inf")

    def __call__(self) -> None:
        now = self._clock()
        if now >= self._next:
            self._next = now + self._seconds
            self._action()
