"""Waiting requests ranked again on a timer, a batch at a time, round the list.

A request waits when no mentor who fits has a place. Places are offered to the list when
something frees or adds one (a decline, an end, a new mentor: ``handlers._offer_waiting``),
but some come free with no event to say so: a new month starts every mentor's count
again. So every ``WAITLIST_RETRY_S`` one matching worker (a ``SET NX`` per interval) ranks
the next ``ROUND`` waiting requests, oldest first, going round the list so that requests
nobody can serve (a language no mentor speaks) do not hold the head of it for ever. Each
request is claimed as every proposal is (read under a watch; the mentor's load claimed),
so a round beside handlers on other workers never proposes twice or over capacity.
"""
from __future__ import annotations

import logging
import uuid

from services.matching.bootstrap import Matching
from services.matching.handlers import propose_next_mentor
from shared.events import Event
from shared.store import UnitOfWork, claim

log = logging.getLogger(__name__)

ROUND = 50


def retry_round(matching: Matching, size: int = ROUND) -> int | None:
    """Rank the next ``size`` waiting requests again; returns how many got a mentor, or
    None when another worker has this interval's round."""
    repository = matching.repository
    start = repository.claim_waitlist_round(matching.runtime.settings.waitlist_retry_s)
    if start is None:
        return None
    batch = repository.waiting(size, start)
    if not batch and start:                     # past the end of the list: round again
        start, batch = 0, repository.waiting(size)
    if not batch:
        return 0
    # What the proposals are "caused" by: this round (it is not on the bus itself).
    cause_id = str(uuid.uuid4())
    cause = Event(type="matching.waitlist_round", subject="waitlist", data={}, source="matching", id=cause_id,
                  correlation_id=cause_id)
    proposed = 0
    for request_id in batch:
        def work(uow: UnitOfWork, request_id: str = request_id) -> str | None:
            request = repository.get_request(request_id, uow)
            if request is None or request.current_mentor is not None:
                return None
            return propose_next_mentor(matching, request, cause, uow, announce_failure=False)
        proposed += claim(matching.runtime.unit_of_work, work) is not None
    # Those proposed left the list: the next round starts after the rest of this batch.
    repository.move_waitlist_cursor(start + len(batch) - proposed)
    log.info("waiting requests ranked again", extra={"ranked": len(batch), "proposed": proposed})
    return proposed
