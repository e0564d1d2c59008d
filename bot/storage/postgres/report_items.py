"""The links and numbers in filed reports, for "reported by N people" (the table and its
rules: `bot/storage/report_items.py`). Written with the report, in its transaction; deleted
with the report's words."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.core.ports import Clock
from bot.core.scam_check import CROWD_DAYS, Item, ItemFinder
from bot.storage.postgres.database import Connection, PostgresDatabase
from bot.storage.report_items import rows_for, shared_site


def index_report(
    conn: Connection,
    finder: ItemFinder,
    report_id: str,
    reporter: str,
    text: str,
    filed_at: datetime,
) -> None:
    """Inside the caller's transaction."""
    rows = [
        (report_id, reporter, kind, value, filed_at)
        for kind, value in sorted(rows_for(finder.find(text)))
    ]
    if rows:
        with conn.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO report_items (report_id, reporter, kind, value, filed_at) "
                "VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                rows,
            )


class PostgresCrowdReports:
    """`CrowdReports` over the filed reports of every replica."""

    def __init__(self, db: PostgresDatabase, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    def reporters(self, item: Item) -> int:
        if item.kind == "link":
            if not item.host:
                return 0
            kind, value = (
                ("link", item.value) if shared_site(item.domain) else ("domain", item.domain)
            )
        else:
            kind, value = item.kind, item.value
        since = self._clock.now() - timedelta(days=CROWD_DAYS)
        with self._db.transaction() as conn:
            row = conn.execute(
                "SELECT count(DISTINCT reporter) AS n FROM report_items "
                "WHERE kind = %s AND value = %s AND filed_at >= %s",
                [kind, value, since],
            ).fetchone()
        return int(row["n"]) if row else 0
