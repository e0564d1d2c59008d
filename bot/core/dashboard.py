"""What the staff console's reports page shows: counts only, never a report's words, a name or
a contact detail. `bot/storage/dashboard.py` answers it with read-only queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol


@dataclass(frozen=True)
class OutboxHealth:
    """`waiting`: queued, never tried; `retrying`: queued after a failed attempt (the API was
    down or busy); `held`: stopped because the API refused our token; `rejected`: refused as
    invalid; `delivered_24h`: accepted in the last 24 hours."""

    waiting: int
    retrying: int
    held: int
    rejected: int
    delivered_24h: int
    oldest_waiting: timedelta | None
    complaint_statuses: dict[str, int] = field(default_factory=dict)


class Dashboard(Protocol):
    def outbox_health(self, now: datetime) -> OutboxHealth: ...
