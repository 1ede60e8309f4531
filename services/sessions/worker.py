"""Sessions' worker. Run: ``python -m services.sessions.worker``."""
from services.sessions.bootstrap import bootstrap
from services.sessions.handlers import event_handlers, run_due_timers
from shared.pacing import Every
from shared.runtime import run_worker

# How often the loop looks for due timers. Every timer is minutes to days away (an invite's
# reminder and expiry, a session's reminders and end), so half a second late is nothing;
# looking after every poll was a Redis round trip per loop, about one per request at 20
# requests a second (docs/decisions/0012, step 30).
TIMERS_EVERY_S = 0.5


def main() -> None:
    sessions = bootstrap()
    # Timers (expiry, reminders, the end of a session) fire between polls.
    run_worker(sessions.runtime, event_handlers(sessions), tick=Every(TIMERS_EVERY_S, lambda: run_due_timers(sessions)))


if __name__ == "__main__":
    main()
