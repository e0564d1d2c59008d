"""What the PostgreSQL report store, outbox and erasure share (as `bot/storage/report_rows.py`
for SQLite): reading a report row back, and blanking what a report says."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from psycopg.types.json import Jsonb

from bot.core.report import ReportSummary
from bot.storage.postgres.database import Connection
from bot.storage.report_rows import delivery_of, official_of

# What erasure blanks: the report's content and everything that could identify or reach the person.
_PERSONAL: dict[str, Any] = {
    "description": "",
    "content_urls": Jsonb([]),
    "fingerprint": None,
    "contact_consent": False,
    "name": None,
    "phone": None,
    "email": None,
}


def erase_reports(conn: Connection, ids: list[str], now: datetime, *, forget_person: bool) -> None:
    """Inside the caller's transaction: the reports keep ids, category, dates and states; the
    links and numbers indexed for crowd counts go with the words they came from."""
    values = dict(_PERSONAL)
    if forget_person:
        values |= {"user_key": None, "reporter_ref": None}
    assignments = ", ".join(f"{column} = %s" for column in values)
    conn.execute(
        f"UPDATE reports SET {assignments}, erased_at = %s "  # noqa: S608 - fixed columns
        "WHERE report_id = ANY(%s)",
        [*values.values(), now, ids],
    )
    conn.execute("DELETE FROM report_items WHERE report_id = ANY(%s)", [ids])


def summary_of(row: dict[str, Any]) -> ReportSummary:
    return ReportSummary(
        reference=row["reference"],
        category=row["category"],
        submitted_at=row["submitted_at"] or row["created_at"],
        delivery=delivery_of(row["delivery"]),
        complaint_id=row["complaint_id"],
        official_status=official_of(row["official_status"]),
    )
