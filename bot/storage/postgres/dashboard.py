"""Counts for the staff console's reports page in PostgreSQL (`bot/core/dashboard.py`), the same
figures as `bot/storage/dashboard.py` over the shared store: every replica's reports in one count.
Read-only queries that select states and times, never a report's text, links, names or contact
details."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.core.dashboard import OutboxHealth
from bot.storage.postgres.database import PostgresDatabase


class PostgresDashboard:
    def __init__(self, db: PostgresDatabase) -> None:
        self._db = db

    def outbox_health(self, now: datetime) -> OutboxHealth:
        with self._db.transaction() as conn:
            row = conn.execute(
                "SELECT "
                "count(*) FILTER (WHERE r.delivery = 'queued' AND coalesce(o.attempts, 0) = 0)"
                " AS waiting, "
                "count(*) FILTER (WHERE r.delivery = 'queued' AND o.attempts > 0) AS retrying, "
                "count(*) FILTER (WHERE r.delivery = 'held') AS held, "
                "count(*) FILTER (WHERE r.delivery = 'rejected') AS rejected, "
                "count(*) FILTER (WHERE r.delivery = 'delivered' AND r.delivered_at >= %s)"
                " AS delivered, "
                "min(r.created_at) FILTER (WHERE r.delivery IN ('queued', 'held')) AS oldest "
                "FROM reports r LEFT JOIN outbox o ON o.report_id = r.report_id",
                [now - timedelta(hours=24)],
            ).fetchone()
            statuses = conn.execute(
                "SELECT coalesce(official_status, 'not yet known') AS status, count(*) AS n "
                "FROM reports WHERE delivery = 'delivered' GROUP BY 1 ORDER BY 1"
            ).fetchall()
        assert row is not None  # noqa: S101 - an aggregate without GROUP BY has one row
        return OutboxHealth(
            waiting=row["waiting"],
            retrying=row["retrying"],
            held=row["held"],
            rejected=row["rejected"],
            delivered_24h=row["delivered"],
            oldest_waiting=now - row["oldest"] if row["oldest"] is not None else None,
            complaint_statuses={str(r["status"]): int(r["n"]) for r in statuses},
        )
