"""Intake's worker: follows each request downstream for the status page, and
sweeps intake's outbox. Run: ``python -m services.intake.worker``."""
from services.intake.bootstrap import bootstrap
from services.intake.handlers import event_handlers
from shared.runtime import run_worker


def main() -> None:
    intake = bootstrap()
    run_worker(intake.runtime, event_handlers(intake))


if __name__ == "__main__":
    main()
