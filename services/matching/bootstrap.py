"""Matching's composition root."""
from __future__ import annotations

from dataclasses import dataclass, field

from services.matching.directory import MentorDirectory
from services.matching.domain import DEFAULT_WEIGHTS, FairnessPolicy, MatchingWeights
from services.matching.repository import MatchingRepository
from shared.config import Settings
from shared.runtime import Runtime, build_runtime


@dataclass
class Matching:
    runtime: Runtime
    repository: MatchingRepository
    directory: MentorDirectory
    weights: MatchingWeights = field(default_factory=lambda: MatchingWeights(dict(DEFAULT_WEIGHTS)))
    policy: FairnessPolicy = field(default_factory=FairnessPolicy)


def bootstrap(settings: Settings | None = None, redis_client=None) -> Matching:
    runtime = build_runtime(settings or Settings.from_env(), "matching", redis_client)
    repository = MatchingRepository(runtime.redis)
    return Matching(runtime, repository, MentorDirectory(repository))
