"""Intake's composition root: the one place its adapters are wired."""
from __future__ import annotations

from dataclasses import dataclass

from services.intake.repository import IntakeRepository
from shared.config import IntakeSettings
from shared.events import Event
from shared.links import MentorLinks
from shared.runtime import Runtime, build_runtime
from shared.staff import StaffAccounts


@dataclass
class Intake:
    runtime: Runtime[IntakeSettings]
    repository: IntakeRepository
    staff: StaffAccounts
    links: MentorLinks      # a mentor's confirm and manage links

    def store_and_announce(self, store, event: Event) -> None:
        """Store a change (``store(pipe)``) and its event in one transaction; the unit
        publishes the event once it commits (``Runtime.unit_of_work``)."""
        uow = self.runtime.unit_of_work()
        store(uow.pipe)
        uow.emit(event)
        uow.commit()


def bootstrap(settings: IntakeSettings | None = None, redis_client=None) -> Intake:
    runtime = build_runtime(settings or IntakeSettings.from_env(), "intake", redis_client)
    return Intake(runtime, IntakeRepository(runtime.redis), StaffAccounts(runtime.redis), MentorLinks(runtime.settings))
