"""Times are stored as UTC ISO text with microseconds, so text order is time order in SQL."""

from __future__ import annotations

from datetime import datetime, timezone


def iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text)
