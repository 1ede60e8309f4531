"""Sessions' worker. Run: ``python -m services.sessions.worker``."""
from services.sessions.bootstrap import bootstrap
from services.sessions.handlers import event_handlers, run_due_timers
from shared.runtime import run_worker


def main() -> None:
    sessions = bootstrap()
    # Timers (expiry, reminders, the end of a session) fire between polls.
    run_worker(sessions.runtime, event_handlers(sessions), tick=lambda: run_due_timers(sessions))


if __name__ == "__main__":
    main()
