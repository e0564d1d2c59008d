"""The one clock of a running bot. Everything that reads the time takes a `Clock` (the port in
`bot/core/ports.py`), so tests move time instead of sleeping."""

from __future__ import annotations

from datetime import datetime, timezone


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)
