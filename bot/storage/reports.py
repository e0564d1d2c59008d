"""Reports in SQLite: the core's `ReportStore`. Filing writes the report and its outbox entry
in one transaction; delivering them is `bot/storage/outbox.py`'s job.

Every write runs inside `write_transaction(db)`, not `with db.conn:`: sqlite-utils 4 table methods
open and commit their own transaction when none is open yet, so under `with db.conn:` the report
row would already be committed before its outbox row was written. `write_transaction` opens the
transaction first (`BEGIN IMMEDIATE`, so another process's commit cannot fail it half way), and
the table methods inside nest as savepoints.

Times are stored as UTC ISO text (`bot/storage/timestamps.py`), so text order is time order.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import sqlite_utils

from bot.core.identity import UserKey
from bot.core.ports import Clock
from bot.core.report import Report, ReportSummary, new_reference
from bot.core.scam_check import ItemFinder
from bot.storage.database import write_transaction
from bot.storage.evidence import attach_evidence
from bot.storage.keys import stored
from bot.storage.report_items import index_report
from bot.storage.report_rows import summary_of
from bot.storage.timestamps import iso

DUPLICATE_WINDOW = timedelta(days=30)
REFERENCE_ATTEMPTS = 5


class SqliteReportStore:
    def __init__(
        self, db: sqlite_utils.Database, clock: Clock, finder: ItemFinder | None = None
    ) -> None:
        """`finder`: indexes each report's links and numbers for crowd counts."""
        self._db = db
        self._clock = clock
        self._finder = finder

    def file(self, report: Report) -> Report:
        """The report row and its outbox entry, in one transaction: after a crash either both
        exist (the report will be sent) or neither (the person never saw a reference). A
        reference already taken (rare, 5 characters) is replaced; the filed report is returned
        so the person is shown the reference that was stored."""
        for _ in range(REFERENCE_ATTEMPTS):
            try:
                self._insert(report)
            except sqlite3.IntegrityError:
                if (
                    self._db.execute(
                        "SELECT 1 FROM reports WHERE reference = ?", [report.reference]
                    ).fetchone()
                    is None
                ):
                    raise
                report = replace(report, reference=new_reference())
                continue
            return report
        raise sqlite3.IntegrityError("no free report reference after several attempts")

    def _insert(self, report: Report) -> None:
        draft = report.draft
        now = iso(self._clock.now())
        with write_transaction(self._db):
            self._db.table("reports").insert(
                {
                    "report_id": report.report_id,
                    "reference": report.reference,
                    "channel": report.channel,
                    "user_key": stored(report.user_key),
                    "reporter_ref": report.reporter_ref,
                    "fingerprint": draft.fingerprint(),
                    "language": draft.language,
                    "category": draft.category,
                    "platform": draft.platform,
                    "content_urls": json.dumps(list(draft.content_urls), ensure_ascii=False),
                    "description": draft.description,
                    "incident_date": draft.incident_date.isoformat()
                    if draft.incident_date
                    else None,
                    "involves_child": int(draft.involves_child),
                    "contact_consent": int(draft.contact_consent),
                    "name": draft.name if draft.contact_consent else None,
                    "phone": draft.phone if draft.contact_consent else None,
                    "email": draft.email if draft.contact_consent else None,
                    "submitted_at": iso(report.submitted_at),
                    "created_at": now,
                    "delivery": "queued",
                }
            )
            self._db.table("outbox").insert(
                {
                    "report_id": report.report_id,
                    "body": json.dumps(report.api_body(), ensure_ascii=False),
                    "attempts": 0,
                    "next_attempt_at": now,
                    "alerted": 0,
                }
            )
            attach_evidence(self._db, report.report_id, report.user_key, report.evidence_ids)
            if self._finder is not None:
                index_report(
                    self._db,
                    self._finder,
                    report.report_id,
                    str(report.user_key) if report.user_key else "report:" + report.report_id,
                    "\n".join([*draft.content_urls, draft.description]),
                    self._clock.now(),
                )

    def find_duplicate(self, user_key: UserKey, fingerprint: str) -> ReportSummary | None:
        """The person's latest report with the same content in the last 30 days, if any."""
        return self._duplicate("user_key = ?", [str(user_key)], fingerprint)

    def find_staff_duplicate(self, fingerprint: str) -> ReportSummary | None:
        """Staff-entered reports belong to no user key; duplicates are looked for among them."""
        return self._duplicate("channel = 'staff' AND user_key IS NULL", [], fingerprint)

    def count_since(self, user_key: UserKey, since: datetime) -> int:
        row = self._db.execute(
            "SELECT count(*) FROM reports WHERE user_key = ? AND created_at >= ?",
            [str(user_key), iso(since)],
        ).fetchone()
        return int(row[0])

    def summaries(self, user_key: UserKey) -> list[ReportSummary]:
        rows = self._db.query(
            "SELECT * FROM reports WHERE user_key = ? ORDER BY created_at DESC", [str(user_key)]
        )
        return [summary_of(row) for row in rows]

    def _duplicate(self, where: str, params: list[Any], fingerprint: str) -> ReportSummary | None:
        since = iso(self._clock.now() - DUPLICATE_WINDOW)
        rows = list(
            self._db.query(
                f"SELECT * FROM reports WHERE {where} AND fingerprint = ? "  # noqa: S608
                "AND created_at >= ? ORDER BY created_at DESC LIMIT 1",
                [*params, fingerprint, since],
            )
        )
        return summary_of(rows[0]) if rows else None
