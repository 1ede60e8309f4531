"""Intake's worker: follows each request downstream for the status page, asks again the
services an erasure still waits on, and sweeps intake's outbox.
Run: ``python -m services.intake.worker``."""
from services.intake import erasures
from services.intake.bootstrap import bootstrap
from services.intake.handlers import event_handlers
from shared.pacing import Every
from shared.runtime import run_worker


def main() -> None:
    intake = bootstrap()
    ask_again = Every(intake.runtime.settings.redrive_check_s, lambda: erasures.ask_again(intake))
    run_worker(intake.runtime, event_handlers(intake), tick=ask_again)


if __name__ == "__main__":
    main()
