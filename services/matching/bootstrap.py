"""Matching's composition root."""
from __future__ import annotations

from dataclasses import dataclass, field

from services.matching.directory import MentorDirectory
from services.matching.domain import FairnessPolicy, MatchingWeights
from services.matching.learning import blended
from services.matching.ranker import PreparedVectors
from services.matching.repository import CohortStore, ExposureLedger, MatchingRepository, ModelStore, PolicyStore
from shared.config import MatchingSettings
from shared.runtime import Runtime, build_runtime
from shared.staff import StaffAccounts


@dataclass
class Matching:
    runtime: Runtime[MatchingSettings]
    repository: MatchingRepository
    directory: MentorDirectory
    policies: PolicyStore
    exposure: ExposureLedger
    staff: StaffAccounts
    models: ModelStore
    cohorts: CohortStore
    prepared: PreparedVectors = field(default_factory=PreparedVectors)   # a poll's requests, ranked together

    def policy(self) -> tuple[MatchingWeights, FairnessPolicy]:
        """The weights (blended with a live learnt model) and fairness policy in force now."""
        weights, fairness = policy_objects(self.policies.current())
        return blended(weights, self.models.get()), fairness


def policy_objects(stored: dict) -> tuple[MatchingWeights, FairnessPolicy]:
    return MatchingWeights(dict(stored["weights"]), stored["version"]), FairnessPolicy(**stored["fairness"])


def bootstrap(settings: MatchingSettings | None = None, redis_client=None) -> Matching:
    runtime = build_runtime(settings or MatchingSettings.from_env(), "matching", redis_client)
    repository = MatchingRepository(runtime.redis)
    client = runtime.redis
    return Matching(runtime, repository, MentorDirectory(repository), PolicyStore(client), ExposureLedger(client),
                    StaffAccounts(client), ModelStore(client), CohortStore(client))
