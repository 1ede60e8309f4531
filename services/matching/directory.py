"""The mentors a matching process ranks: profiles and skill vectors in memory,
kept up to date from the repository's change sequence (so every replica sees every
mentor, whichever partition their profile event arrived on)."""
from __future__ import annotations

from services.matching.domain import MentorProfile
from services.matching.repository import MatchingRepository
from services.matching.skill_index import SkillIndex


class MentorDirectory:
    def __init__(self, repository: MatchingRepository):
        self._repository = repository
        self._seen = 0.0
        self.mentors: dict[str, MentorProfile] = {}
        self.index = SkillIndex()

    def add(self, mentor: MentorProfile) -> None:
        """Know ``mentor`` now, before its stored copy commits."""
        self.mentors[mentor.id] = mentor
        self.index.upsert(mentor.id, mentor.text)

    def refresh(self) -> int:
        """Load mentors changed since the last refresh; returns how many."""
        changed, self._seen = self._repository.mentors_changed_since(self._seen)
        for mentor in changed:
            self.add(mentor)
        return len(changed)
