"""Matching's worker. Run: ``python -m services.matching.worker``."""
import logging

from services.matching.bootstrap import bootstrap
from services.matching.handlers import batch_preparer, event_handlers
from services.matching.waitlist import retry_round
from shared.pacing import Every
from shared.runtime import run_worker

log = logging.getLogger(__name__)


def main() -> None:
    matching = bootstrap()
    # Every mentor before the first event: otherwise the first request a new worker
    # takes waits for the whole directory (2.1 s for 1,500 mentors, loaded lazily).
    try:
        loaded = matching.directory.refresh()
        log.info("mentor directory loaded", extra={"mentors": loaded})
    except Exception:
        log.warning("mentor directory not loaded at start (Redis away?); the first event loads it", exc_info=True)
    # Ask often (each ask is one SET NX); one worker a WAITLIST_RETRY_S interval runs a round.
    retries = Every(min(60.0, matching.runtime.settings.waitlist_retry_s), lambda: retry_round(matching))
    run_worker(matching.runtime, event_handlers(matching), tick=retries, preparer=batch_preparer(matching))


if __name__ == "__main__":
    main()
