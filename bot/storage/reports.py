"""Reports and their outbox in SQLite: the core's `ReportStore` and the dispatcher's `Outbox`.

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
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import sqlite_utils

from bot.core.identity import UserKey
from bot.core.messages import LANGUAGES, Language
from bot.core.outbox import OpenComplaint, OutboxEntry
from bot.core.ports import Clock
from bot.core.report import (
    OFFICIAL_STATUSES,
    DeliveryState,
    OfficialStatus,
    Report,
    ReportSummary,
    new_reference,
)
from bot.storage.database import write_transaction
from bot.storage.evidence import attach_evidence, forget_evidence
from bot.storage.keys import loaded, stored
from bot.storage.timestamps import iso, parse_iso

DUPLICATE_WINDOW = timedelta(days=30)
REFERENCE_ATTEMPTS = 5
_DELIVERY_STATES: tuple[DeliveryState, ...] = ("queued", "held", "delivered", "rejected")
_FINAL_STATUSES: tuple[OfficialStatus, ...] = ("closed", "rejected")
# What erasure blanks: the report's content and everything that could identify or reach the person.
_PERSONAL = {
    "description": "",
    "content_urls": "[]",
    "fingerprint": None,
    "contact_consent": 0,
    "name": None,
    "phone": None,
    "email": None,
}


def _language(value: object) -> Language:
    return next((lang for lang in LANGUAGES if lang == value), "en")


def _delivery(value: object) -> DeliveryState:
    return next((state for state in _DELIVERY_STATES if state == value), "queued")


def _official(value: object) -> OfficialStatus | None:
    return next((status for status in OFFICIAL_STATUSES if status == value), None)


def _placeholders(values: Iterable[object]) -> str:
    return ", ".join("?" for _ in values)


class SqliteReportStore:
    """Reports, their outbox entries and what the API told us about them."""

    def __init__(self, db: sqlite_utils.Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    # --- the core's ReportStore -------------------------------------------------------------

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
        return [self._summary(row) for row in rows]

    def forget(self, user_key: UserKey) -> int:
        """Erases what we hold about this person; returns how many reports were touched.

        Every report of theirs is reduced to report_id, reference, complaint_id, category, dates
        and states: the description, URLs, contact details, user key and reporter ref are
        erased. A report not yet delivered is also withdrawn (its outbox entry, the body that
        would have been sent, is deleted): the person asked us to forget, and sending their
        words on after that would break the promise. Their session row goes too.
        A send already in flight may still land; `mark_delivered` then records the complaint
        id on the reduced row, so staff can still match it with the API.
        """
        now = iso(self._clock.now())
        with write_transaction(self._db):
            ids = [
                row["report_id"]
                for row in self._db.query(
                    "SELECT report_id FROM reports WHERE user_key = ?", [str(user_key)]
                )
            ]
            if ids:
                marks = _placeholders(ids)
                self._db.execute(f"DELETE FROM outbox WHERE report_id IN ({marks})", ids)  # noqa: S608
                self._db.execute(
                    "UPDATE reports SET withdrawn_at = ? "  # noqa: S608 - placeholders only
                    f"WHERE report_id IN ({marks}) AND delivery IN ('queued', 'held')",
                    [now, *ids],
                )
                self._erase(ids, now, forget_person=True)
            forget_evidence(self._db, user_key, ids)
            self._db.execute("DELETE FROM notices WHERE user_key = ?", [str(user_key)])
            if self._db.table("sessions").exists():
                self._db.table("sessions").delete_where("user_key = ?", [str(user_key)])
        return len(ids)

    # --- the dispatcher's Outbox ------------------------------------------------------------

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
        official = _official(status)
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
                f"UPDATE outbox SET alerted = 1 WHERE report_id IN ({_placeholders(report_ids)})",  # noqa: S608
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
                official_status=_official(row["official_status"]),
                user_key=loaded(row["user_key"]),
                language=_language(row["language"]),
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
                self._erase(ids, iso(self._clock.now()), forget_person=False)
        return len(ids)

    # --- helpers ----------------------------------------------------------------------------

    def _erase(self, ids: list[str], now: str, *, forget_person: bool) -> None:
        values: dict[str, Any] = dict(_PERSONAL)
        if forget_person:
            values |= {"user_key": None, "reporter_ref": None}
        assignments = ", ".join(f"{column} = ?" for column in values)
        self._db.execute(
            f"UPDATE reports SET {assignments}, erased_at = ? "  # noqa: S608 - fixed columns
            f"WHERE report_id IN ({_placeholders(ids)})",
            [*values.values(), now, *ids],
        )

    def _duplicate(self, where: str, params: list[Any], fingerprint: str) -> ReportSummary | None:
        since = iso(self._clock.now() - DUPLICATE_WINDOW)
        rows = list(
            self._db.query(
                f"SELECT * FROM reports WHERE {where} AND fingerprint = ? "  # noqa: S608
                "AND created_at >= ? ORDER BY created_at DESC LIMIT 1",
                [*params, fingerprint, since],
            )
        )
        return self._summary(rows[0]) if rows else None

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
                language=_language(row["language"]),
            )
            for row in rows
        ]

    @staticmethod
    def _summary(row: dict[str, Any]) -> ReportSummary:
        return ReportSummary(
            reference=row["reference"],
            category=row["category"],
            submitted_at=parse_iso(row["submitted_at"] or row["created_at"]),
            delivery=_delivery(row["delivery"]),
            complaint_id=row["complaint_id"],
            official_status=_official(row["official_status"]),
        )
