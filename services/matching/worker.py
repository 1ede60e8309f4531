"""Matching's worker. Run: ``python -m services.matching.worker``."""
from services.matching.bootstrap import bootstrap
from services.matching.handlers import event_handlers
from shared.runtime import run_worker


def main() -> None:
    matching = bootstrap()
    run_worker(matching.runtime, event_handlers(matching))


if __name__ == "__main__":
    main()
