"""Moves the clock of a process the tests start, when they ask: with
TWOSHOT_TEST_CLOCK_OFFSET_S in its environment and this folder on its PYTHONPATH, the
process's wall clock runs that many seconds ahead of the real one (time-machine). Every
process of a stack gets the same offset, so they agree with each other, also after a
restart. Monotonic clocks, sleeps and timeouts are untouched. Production never has this
folder on its path."""
import os

if os.environ.get("TWOSHOT_TEST_CLOCK_OFFSET_S"):
    import time

    import time_machine

    time_machine.travel(time.time() + float(os.environ["TWOSHOT_TEST_CLOCK_OFFSET_S"]), tick=True).start()
    time.time()   # time-machine starts the tick at the first reading: read now, so every process agrees
