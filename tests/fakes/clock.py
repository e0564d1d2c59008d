"""A clock that only moves when the test says so: timing tests without sleeping."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone


@dataclass
class FakeClock:
    moment: datetime = field(
        default_factory=lambda: datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)
    )

    def now(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> datetime:
        self.moment += timedelta(**delta)
        return self.moment
