"""Notifications' worker. Run: ``python -m services.notifications.worker``."""
from services.notifications.bootstrap import bootstrap
from services.notifications.handlers import event_handlers
from shared.runtime import run_worker


def main() -> None:
    notifications = bootstrap()
    run_worker(notifications.runtime, event_handlers(notifications))


if __name__ == "__main__":
    main()
