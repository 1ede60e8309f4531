"""Matching's composition root."""
from __future__ import annotations

from dataclasses import dataclass

from services.matching.directory import MentorDirectory
from services.matching.domain import FairnessPolicy, MatchingWeights
from services.matching.repository import ExposureLedger, MatchingRepository, PolicyStore
from services.matching.staff import StaffAccounts
from shared.config import Settings
from shared.runtime import Runtime, build_runtime


@dataclass
class Matching:
    runtime: Runtime
    repository: MatchingRepository
    directory: MentorDirectory
    policies: PolicyStore
    exposure: ExposureLedger
    staff: StaffAccounts

    def policy(self) -> tuple[MatchingWeights, FairnessPolicy]:
        """The weights and fairness policy in force now."""
        return policy_objects(self.policies.current())


def policy_objects(stored: dict) -> tuple[MatchingWeights, FairnessPolicy]:
    return MatchingWeights(dict(stored["weights"]), stored["version"]), FairnessPolicy(**stored["fairness"])


def bootstrap(settings: Settings | None = None, redis_client=None) -> Matching:
    runtime = build_runtime(settings or Settings.from_env(), "matching", redis_client)
    repository = MatchingRepository(runtime.redis)
    return Matching(runtime, repository, MentorDirectory(repository), PolicyStore(runtime.redis),
                    ExposureLedger(runtime.redis), StaffAccounts(runtime.redis))
