"""The links and numbers in filed reports, so "is this a scam?" can say "reported by N people in
the last 90 days". Rows are written with the report, in its transaction, and deleted when the
report's words are erased (/forget, retention): a count never outlives what it counts.

| kind    | value                      | matched against a checked …                      |
|---------|----------------------------|--------------------------------------------------|
| domain  | registered domain          | link on any other site                            |
| link    | host + path, no query      | link on a platform, shortener or official site,  |
|         |                            | where one domain holds everyone's pages          |
| phone   | E.164                      | phone number                                     |
| account | digits                     | bank account number                              |

The reporter is the person's pseudonymous user key, or the report itself for staff-entered
reports (one caller each). Who reported is never shown, only how many.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import sqlite_utils

from bot.core.ports import Clock
from bot.core.scam_check import CROWD_DAYS, PLATFORMS, SHORTENERS, Item, ItemFinder
from bot.storage.database import write_transaction
from bot.storage.timestamps import iso, parse_iso

TABLE = "report_items"


def shared_site(domain: str) -> bool:
    """One domain, everyone's pages: only the whole link says anything."""
    return domain in PLATFORMS or domain in SHORTENERS


def rows_for(items: list[Item]) -> set[tuple[str, str]]:
    rows: set[tuple[str, str]] = set()
    for item in items:
        if item.kind == "link":
            if not item.host:
                continue
            rows.add(("link", item.value))
            if not shared_site(item.domain):
                rows.add(("domain", item.domain))
        else:
            rows.add((item.kind, item.value))
    return rows


def index_report(
    db: sqlite_utils.Database,
    finder: ItemFinder,
    report_id: str,
    reporter: str,
    text: str,
    filed_at: datetime,
) -> None:
    """Inside the caller's transaction."""
    rows = [
        {"report_id": report_id, "reporter": reporter, "kind": kind, "value": value,
         "filed_at": iso(filed_at)}
        for kind, value in sorted(rows_for(finder.find(text)))
    ]  # fmt: skip
    if rows:
        db.table(TABLE).insert_all(rows)


def index_backlog(db: sqlite_utils.Database, finder: ItemFinder) -> int:
    """Indexes the reports filed before crowd counts existed; returns how many."""
    with write_transaction(db):
        rows = list(
            db.query(
                "SELECT r.report_id, r.user_key, r.content_urls, r.description, r.created_at "
                "FROM report_items_backlog b JOIN reports r USING (report_id) "
                "WHERE r.erased_at IS NULL"
            )
        )
        for row in rows:
            text = "\n".join([*json.loads(row["content_urls"] or "[]"), row["description"] or ""])
            reporter = row["user_key"] or "report:" + row["report_id"]
            index_report(db, finder, row["report_id"], reporter, text, parse_iso(row["created_at"]))
        db.execute("DELETE FROM report_items_backlog")
    return len(rows)


class SqliteCrowdReports:
    """`CrowdReports` over the filed reports."""

    def __init__(self, db: sqlite_utils.Database, clock: Clock) -> None:
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
        since = iso(self._clock.now() - timedelta(days=CROWD_DAYS))
        row = self._db.execute(
            f"SELECT COUNT(DISTINCT reporter) FROM {TABLE} "  # noqa: S608 - fixed table
            "WHERE kind = ? AND value = ? AND filed_at >= ?",
            [kind, value, since],
        ).fetchone()
        return int(row[0]) if row else 0
