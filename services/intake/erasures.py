"""The right to erasure, as intake runs it: the request, this service's own forgetting,
the record of who has forgotten, and asking again those who have not said so.

An erasure waits on a ``person.forgotten`` from each of the four services. A report the
bus lost (CI once saw an acknowledged one never served, with no broker restart) would
leave it open for ever, so intake keeps each open erasure due in ``intake:erasures:due``
and, every ``REDRIVE_CHECK_S``, asks the services still missing again, with a *new*
``person.erasure_requested`` naming them (``services``). A new id, not the first one's:
a service that forgot the person and whose report was lost has the first id's processed
mark and would drop a copy as a duplicate. Forgetting twice is harmless (every handler
finds nothing left the second time), so an ask that crosses a late report costs nothing.
"""
from __future__ import annotations

import logging
import time
from datetime import datetime

from services.intake.bootstrap import Intake
from shared.contracts import SERVICES
from shared.erasure import forget
from shared.events import Event, make_event, utcnow
from shared.store import UnitOfWork

log = logging.getLogger(__name__)

SOURCE = "intake"


def request_erasure(intake: Intake, person_id: str, role: str, requested_by: str,
                    request_ids: tuple[str, ...] | list[str] = ()) -> dict:
    """Erase a person: their key is destroyed now (every copy of their fields on the bus
    becomes unreadable), and ``person.erasure_requested`` (ids only) asks every service,
    this one included, to forget them. Returns the erasure's record (ids and times only)."""
    existing = intake.repository.erasure(person_id)
    if existing is not None and "completed_at" not in existing:
        return existing      # under way: the same erasure, not a second one
    # Never erased, or erased before and known again since (staff imported the address
    # again, a new sign-up): every erasure runs, whatever came before it.
    record = {"person_id": person_id, "role": role, "requested_at": utcnow().isoformat(),
              "requested_by": requested_by, "forgotten": {}}
    ask = {"person_id": person_id, "role": role, "request_ids": list(request_ids), "requested_by": requested_by}
    event = make_event("person.erasure_requested", person_id, ask, SOURCE)

    def store(pipe):
        intake.repository.save_erasure(pipe, record)
        intake.repository.await_reports(pipe, ask, time.time() + intake.runtime.settings.erasure_ask_again_s)
        for request_id in request_ids:
            intake.repository.mark_erased_request(pipe, request_id)
        intake.runtime.keyring.destroy(person_id, pipe)
    intake.store_and_announce(store, event)
    return record


def on_erasure_requested(intake: Intake, event: Event, uow: UnitOfWork) -> None:
    d = event.data
    removed = forget(intake.runtime.redis, "intake", d["person_id"])
    if d["role"] == "mentor":
        intake.repository.drop_signup(uow.pipe, d["person_id"])
    uow.emit(event.caused("person.forgotten", d["person_id"], {
        "person_id": d["person_id"], "service": "intake", "removed": removed}, SOURCE))


def on_person_forgotten(intake: Intake, event: Event, uow: UnitOfWork) -> None:
    # Read for update: two services' reports handled at once (a partition handed over in
    # a rebalance) must not each save the record without the other's.
    record = intake.repository.erasure(event.data["person_id"], uow)
    if record is None:
        return
    # The first report counts: a service asked again reports again, later.
    record["forgotten"].setdefault(event.data["service"], event.time.isoformat())
    if all(s in record["forgotten"] for s in SERVICES):
        record["completed_at"] = max(record["forgotten"].values())
        intake.repository.reports_in(uow.pipe, record["person_id"])
    intake.repository.save_erasure(uow.pipe, record)


def ask_again(intake: Intake, now: float | None = None, limit: int = 100) -> int:
    """Ask the services missing from each erasure due again (a new event naming them);
    returns how many erasures were asked. Each due erasure is claimed for another
    ``ERASURE_ASK_AGAIN_S`` in one script, so two intake workers never both ask."""
    now = time.time() if now is None else now
    settings = intake.runtime.settings
    due = intake.repository.claim_erasures_due(now, settings.erasure_ask_again_s, limit)
    if not due:
        return 0
    uow = intake.runtime.unit_of_work()
    asked = 0
    for person_id, ask in zip(due, intake.repository.erasure_asks(due), strict=True):
        record = intake.repository.erasure(person_id)
        if record is None or ask is None or "completed_at" in record:
            intake.repository.reports_in(uow.pipe, person_id)
            continue
        missing = [s for s in SERVICES if s not in record["forgotten"]]
        waited_s = now - datetime.fromisoformat(record["requested_at"]).timestamp()
        (log.error if waited_s > settings.redrive_give_up_s else log.warning)(
            "an erasure is not complete: the services missing are asked again",
            extra={"person_id": person_id, "missing": missing, "waited_s": round(waited_s)})
        uow.emit(make_event("person.erasure_requested", person_id, {**ask, "services": missing}, SOURCE))
        asked += 1
    uow.commit()
    return asked
