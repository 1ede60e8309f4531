"""The mentors a matching process ranks: the in-memory pool, kept up to date from the
repository's change sequence (so every replica sees every mentor, whichever partition
their profile event arrived on)."""
from __future__ import annotations

from datetime import datetime

from services.matching.domain import MentorProfile
from services.matching.pool import MentorPool, week_start_for
from services.matching.repository import MatchingRepository
from shared.events import utcnow


class MentorDirectory:
    def __init__(self, repository: MatchingRepository):
        self._repository = repository
        self._seen = 0.0
        self.pool = MentorPool(week_start_for(utcnow()))

    def add(self, mentor: MentorProfile) -> None:
        """Know ``mentor`` now, before its stored copy commits."""
        self.pool.upsert(mentor)

    def refresh(self, now: datetime | None = None) -> int:
        """Load mentors changed since the last refresh; returns how many."""
        week = week_start_for(now or utcnow())
        if week != self.pool.week_start:
            self.pool.rebase_week(week)
        changed, self._seen = self._repository.mentors_changed_since(self._seen)
        # A mentor this process added before their stored copy committed comes back
        # here unchanged: a second row for them would only make every ranking longer.
        changed = [m for m in changed if not self._known(m)]
        self.pool.upsert_many(changed)
        return len(changed)

    def _known(self, mentor: MentorProfile) -> bool:
        row = self.pool.row_of.get(mentor.id)
        return row is not None and self.pool.profiles[row] == mentor

    def get(self, mentor_id: str) -> MentorProfile:
        return self.pool.profiles[self.pool.row_of[mentor_id]]
