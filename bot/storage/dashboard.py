"""Counts for the staff console's reports page (`bot/core/dashboard.py`). Read-only queries that
select states and times, never a report's text, links, names or contact details."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlite_utils

from bot.core.dashboard import OutboxHealth
from bot.storage.timestamps import iso, parse_iso


class SqliteDashboard:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def outbox_health(self, now: datetime) -> OutboxHealth:
        row = next(
            self._db.query(
                "SELECT "
                "sum(r.delivery = 'queued' AND coalesce(o.attempts, 0) = 0) AS waiting, "
                "sum(r.delivery = 'queued' AND o.attempts > 0) AS retrying, "
                "sum(r.delivery = 'held') AS held, "
                "sum(r.delivery = 'rejected') AS rejected, "
                "sum(r.delivery = 'delivered' AND r.delivered_at >= :since) AS delivered, "
                "min(CASE WHEN r.delivery IN ('queued', 'held') THEN r.created_at END) AS oldest "
                "FROM reports r LEFT JOIN outbox o ON o.report_id = r.report_id",
                {"since": iso(now - timedelta(hours=24))},
            )
        )
        statuses = {
            str(r["status"]): int(r["n"])
            for r in self._db.query(
                "SELECT coalesce(official_status, 'not yet known') AS status, count(*) AS n "
                "FROM reports WHERE delivery = 'delivered' GROUP BY 1 ORDER BY 1"
            )
        }
        oldest = row["oldest"]
        return OutboxHealth(
            waiting=int(row["waiting"] or 0),
            retrying=int(row["retrying"] or 0),
            held=int(row["held"] or 0),
            rejected=int(row["rejected"] or 0),
            delivered_24h=int(row["delivered"] or 0),
            oldest_waiting=now - parse_iso(oldest) if oldest else None,
            complaint_statuses=statuses,
        )
