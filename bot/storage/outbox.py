"""The dispatcher's `Outbox` in SQLite: what waits to be sent, what the API said, and the
retention of closed complaints. Rows are filed by `SqliteReportStore.file`, with their report.

Every write runs inside `write_transaction(db)` (see `bot/storage/reports.py` for why).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import sqlite_utils

from bot.core.outbox import OpenComplaint, OutboxEntry
from bot.core.ports import Clock
from bot.core.report import OfficialStatus
from bot.storage.database import write_transaction
from bot.storage.keys import loaded
from bot.storage.report_rows import erase_reports, language_of, official_of, placeholders
from bot.storage.timestamps import iso, parse_iso

_FINAL_STATUSES: tuple[OfficialStatus, ...] = ("closed", "rejected")


class SqliteOutbox:
    def __init__(self, db: sqlite_utils.Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    def due(self, now: datetime, limit: int = 100) -> list[OutboxEntry]:
        """Queued entries whose time has come, oldest first."""
        return self._entries(
            "r.delivery = 'queued' AND o.next_attempt_at <= ? "
            "ORDER BY o.next_attempt_at, r.created_at LIMIT ?",
            [iso(now), limit],
        )

    def next_attempt_at(self) -> datetime | None:
        row = self._db.execute(
            "SELECT min(o.next_attempt_at) FROM outbox o JOIN reports r USING (report_id) "
            "WHERE r.delivery = 'queued'"
        ).fetchone()
        return parse_iso(row[0]) if row[0] else None

    def mark_delivered(self, report_id: str, complaint_id: str, status: str | None) -> bool:
        """Only called once the API accepted: until then the entry stays, and is resent under
        the same Idempotency-Key, which the API answers with the same complaint id. False when
        another dispatcher recorded it first, so the reporter is told only once."""
        now = iso(self._clock.now())
        official = official_of(status)
        with write_transaction(self._db):
            cursor = self._db.execute(
                "UPDATE reports SET delivery = 'delivered', complaint_id = ?, delivered_at = ?, "
                "official_status = ?, closed_at = ? "
                "WHERE report_id = ? AND delivery != 'delivered'",
                [
                    complaint_id,
                    now,
                    official,
                    now if official in _FINAL_STATUSES else None,
                    report_id,
                ],
            )
            self._db.execute("DELETE FROM outbox WHERE report_id = ?", [report_id])
        return cursor.rowcount > 0

    def reschedule(
        self, report_id: str, next_attempt_at: datetime, attempts: int, detail: str
    ) -> None:
        with write_transaction(self._db):
            self._db.execute(
                "UPDATE outbox SET next_attempt_at = ?, attempts = ?, last_detail = ? "
                "WHERE report_id = ?",
                [iso(next_attempt_at), attempts, detail, report_id],
            )

    def mark_rejected(self, report_id: str, detail: str) -> None:
        """The API said the report itself is invalid: never retried. `closed_at` starts the
        retention clock, so its text does not stay here forever either."""
        now = iso(self._clock.now())
        with write_transaction(self._db):
            self._db.execute(
                "UPDATE reports SET delivery = 'rejected', closed_at = ? WHERE report_id = ?",
                [now, report_id],
            )
            self._db.execute("DELETE FROM outbox WHERE report_id = ?", [report_id])

    def hold(self, report_id: str, detail: str) -> None:
        """The API refused our credentials: kept, not dropped, and not retried until
        `release_held` (the dispatcher's next start, after the configuration is fixed)."""
        with write_transaction(self._db):
            self._db.execute(
                "UPDATE reports SET delivery = 'held' WHERE report_id = ? AND delivery = 'queued'",
                [report_id],
            )
            self._db.execute(
                "UPDATE outbox SET last_detail = ? WHERE report_id = ?", [detail, report_id]
            )

    def hold_queued(self, detail: str) -> int:
        """Holds every queued entry: refused credentials are refused for all of them."""
        with write_transaction(self._db):
            self._db.execute(
                "UPDATE outbox SET last_detail = ? WHERE report_id IN "
                "(SELECT report_id FROM reports WHERE delivery = 'queued')",
                [detail],
            )
            cursor = self._db.execute(
                "UPDATE reports SET delivery = 'held' WHERE delivery = 'queued' "
                "AND report_id IN (SELECT report_id FROM outbox)"
            )
        return int(cursor.rowcount)

    def release_held(self) -> int:
        with write_transaction(self._db):
            cursor = self._db.execute(
                "UPDATE reports SET delivery = 'queued' WHERE delivery = 'held' "
                "AND report_id IN (SELECT report_id FROM outbox)"
            )
        return int(cursor.rowcount)

    def overdue_unalerted(self, created_before: datetime) -> list[OutboxEntry]:
        """Queued entries older than the alert age that no admin has been told about yet."""
        return self._entries(
            "r.delivery = 'queued' AND o.alerted = 0 AND r.created_at < ? ORDER BY r.created_at",
            [iso(created_before)],
        )

    def mark_alerted(self, report_ids: list[str]) -> None:
        if not report_ids:
            return
        with write_transaction(self._db):
            self._db.execute(
                f"UPDATE outbox SET alerted = 1 WHERE report_id IN ({placeholders(report_ids)})",  # noqa: S608
                report_ids,
            )

    def oldest_undelivered_age(self, now: datetime) -> timedelta | None:
        """How long the oldest queued or held report has waited; None when nothing waits."""
        row = self._db.execute(
            "SELECT min(r.created_at) FROM reports r JOIN outbox o USING (report_id)"
        ).fetchone()
        return now - parse_iso(row[0]) if row[0] else None

    def waiting(self) -> int:
        row = self._db.execute("SELECT count(*) FROM outbox").fetchone()
        return int(row[0])

    def open_complaints(self) -> list[OpenComplaint]:
        rows = self._db.query(
            "SELECT report_id, reference, complaint_id, official_status, user_key, language "
            "FROM reports WHERE delivery = 'delivered' AND complaint_id IS NOT NULL "
            "AND (official_status IS NULL OR official_status NOT IN ('closed', 'rejected')) "
            "ORDER BY delivered_at"
        )
        return [
            OpenComplaint(
                report_id=row["report_id"],
                reference=row["reference"],
                complaint_id=row["complaint_id"],
                official_status=official_of(row["official_status"]),
                user_key=loaded(row["user_key"]),
                language=language_of(row["language"]),
            )
            for row in rows
        ]

    def set_official_status(
        self, report_id: str, status: OfficialStatus, updated_at: str | None
    ) -> bool:
        """Stores the API's status; False when it is what we already knew (nothing to tell)."""
        now = iso(self._clock.now())
        with write_transaction(self._db):
            cursor = self._db.execute(
                "UPDATE reports SET official_status = ?, status_updated_at = ?, "
                "closed_at = CASE WHEN ? IN ('closed', 'rejected') THEN ? ELSE NULL END "
                "WHERE report_id = ? AND official_status IS NOT ?",
                [status, updated_at, status, now, report_id, status],
            )
        return cursor.rowcount > 0

    def erase_personal_closed(self, older_than: datetime) -> int:
        """Retention: complaints closed or rejected before `older_than` lose their text, URLs and
        contact details; ids, category, dates and states stay for statistics and `/status`."""
        with write_transaction(self._db):
            ids = [
                row["report_id"]
                for row in self._db.query(
                    "SELECT report_id FROM reports WHERE closed_at < ? AND erased_at IS NULL",
                    [iso(older_than)],
                )
            ]
            if ids:
                erase_reports(self._db, ids, iso(self._clock.now()), forget_person=False)
        return len(ids)

    def _entries(self, where: str, params: list[Any]) -> list[OutboxEntry]:
        rows = self._db.query(
            "SELECT o.report_id, o.body, o.attempts, o.next_attempt_at, r.reference, "  # noqa: S608
            "r.created_at, r.user_key, r.language "
            f"FROM outbox o JOIN reports r USING (report_id) WHERE {where}",
            params,
        )
        return [
            OutboxEntry(
                report_id=row["report_id"],
                reference=row["reference"],
                body=json.loads(row["body"]),
                attempts=row["attempts"],
                next_attempt_at=parse_iso(row["next_attempt_at"]),
                created_at=parse_iso(row["created_at"]),
                user_key=loaded(row["user_key"]),
                language=language_of(row["language"]),
            )
            for row in rows
        ]
