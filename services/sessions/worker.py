"""Sessions' worker. Run: ``python -m services.sessions.worker``."""
from services.sessions.bootstrap import bootstrap
from services.sessions.handlers import event_handlers
from shared.runtime import run_worker


def main() -> None:
    sessions = bootstrap()
    run_worker(sessions.runtime, event_handlers(sessions))


if __name__ == "__main__":
    main()
