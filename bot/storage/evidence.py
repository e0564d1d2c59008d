"""Screenshots in SQLite: the core's `EvidenceStore` and the dispatcher's `EvidenceOutbox`.

    draft ──file()──▶ attached ──API 201/200──▶ uploaded (bytes erased)
      │                  └──────API 4xx───────▶ rejected (bytes erased)
      └── discarded, forgotten, or purged when the report was never sent

A screenshot is only sent once its report has an official complaint id. Only the uploaded
screenshot's id, type and size stay, so `/forget` and retention have no image left to erase.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlite_utils

from bot.core.identity import UserKey
from bot.core.outbox import PendingEvidence
from bot.core.ports import Clock
from bot.storage.database import write_transaction
from bot.storage.timestamps import iso, parse_iso


def _placeholders(values: list[str]) -> str:
    return ", ".join("?" for _ in values)


def attach_evidence(
    db: sqlite_utils.Database,
    report_id: str,
    user_key: UserKey | None,
    evidence_ids: tuple[str, ...],
) -> None:
    """Inside `ReportStore.file`'s transaction: the report and its screenshots land together.
    Only the person's own unfiled drafts can be attached."""
    if not evidence_ids or user_key is None:
        return
    ids = list(evidence_ids)
    db.execute(
        "UPDATE evidence SET report_id = ?, state = 'attached' "  # noqa: S608 - placeholders
        f"WHERE user_key = ? AND state = 'draft' AND evidence_id IN ({_placeholders(ids)})",
        [report_id, str(user_key), *ids],
    )


def forget_evidence(db: sqlite_utils.Database, user_key: UserKey, report_ids: list[str]) -> None:
    """`/forget`: the person's drafts and every screenshot of their reports not yet sent go.
    Uploaded ones keep only their ids; their bytes were erased on upload."""
    db.execute("DELETE FROM evidence WHERE user_key = ? AND state = 'draft'", [str(user_key)])
    if report_ids:
        db.execute(
            "DELETE FROM evidence WHERE state = 'attached' "  # noqa: S608 - placeholders
            f"AND report_id IN ({_placeholders(report_ids)})",
            report_ids,
        )
    db.execute("UPDATE evidence SET user_key = NULL WHERE user_key = ?", [str(user_key)])


class SqliteEvidenceStore:
    def __init__(self, db: sqlite_utils.Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    # --- the core's EvidenceStore -----------------------------------------------------------

    def keep(self, user_key: UserKey, data: bytes, content_type: str) -> str:
        evidence_id = str(uuid.uuid4())
        now = iso(self._clock.now())
        with write_transaction(self._db):
            self._db.table("evidence").insert(
                {
                    "evidence_id": evidence_id,
                    "user_key": str(user_key),
                    "content_type": content_type,
                    "size": len(data),
                    "data": data,
                    "state": "draft",
                    "attempts": 0,
                    "next_attempt_at": now,
                    "created_at": now,
                }
            )
        return evidence_id

    def discard(self, user_key: UserKey, evidence_ids: list[str]) -> None:
        if not evidence_ids:
            return
        with write_transaction(self._db):
            self._db.execute(
                "DELETE FROM evidence WHERE user_key = ? AND state = 'draft' "  # noqa: S608
                f"AND evidence_id IN ({_placeholders(evidence_ids)})",
                [str(user_key), *evidence_ids],
            )

    # --- the dispatcher's EvidenceOutbox ----------------------------------------------------

    def evidence_due(self, now: datetime, limit: int = 20) -> list[PendingEvidence]:
        rows = self._db.query(
            "SELECT e.evidence_id, e.content_type, e.data, e.attempts, r.reference, "
            "r.complaint_id FROM evidence e JOIN reports r USING (report_id) "
            "WHERE e.state = 'attached' AND r.delivery = 'delivered' "
            "AND r.complaint_id IS NOT NULL AND e.next_attempt_at <= ? "
            "ORDER BY e.next_attempt_at, e.created_at LIMIT ?",
            [iso(now), limit],
        )
        return [
            PendingEvidence(
                evidence_id=row["evidence_id"],
                reference=row["reference"],
                complaint_id=row["complaint_id"],
                content_type=row["content_type"],
                data=bytes(row["data"]),
                attempts=row["attempts"],
            )
            for row in rows
        ]

    def evidence_next_attempt_at(self) -> datetime | None:
        row = self._db.execute(
            "SELECT min(e.next_attempt_at) FROM evidence e JOIN reports r USING (report_id) "
            "WHERE e.state = 'attached' AND r.delivery = 'delivered'"
        ).fetchone()
        return parse_iso(row[0]) if row[0] else None

    def mark_evidence_uploaded(self, evidence_id: str, official_id: str) -> None:
        self._finish(evidence_id, state="uploaded", official_id=official_id, last_detail=None)

    def mark_evidence_rejected(self, evidence_id: str, detail: str) -> None:
        self._finish(evidence_id, state="rejected", official_id=None, last_detail=detail)

    def reschedule_evidence(
        self, evidence_id: str, next_attempt_at: datetime, attempts: int, detail: str
    ) -> None:
        with write_transaction(self._db):
            self._db.execute(
                "UPDATE evidence SET next_attempt_at = ?, attempts = ?, last_detail = ? "
                "WHERE evidence_id = ?",
                [iso(next_attempt_at), attempts, detail, evidence_id],
            )

    def purge_unfiled_evidence(self, older_than: datetime) -> int:
        """Drafts of reports never confirmed, and screenshots of reports that will never be
        sent (rejected or withdrawn)."""
        with write_transaction(self._db):
            drafts = self._db.execute(
                "DELETE FROM evidence WHERE state = 'draft' AND created_at < ?", [iso(older_than)]
            ).rowcount
            orphans = self._db.execute(
                "DELETE FROM evidence WHERE state = 'attached' AND report_id IN "
                "(SELECT report_id FROM reports WHERE delivery = 'rejected' "
                "OR withdrawn_at IS NOT NULL)"
            ).rowcount
        return int(drafts) + int(orphans)

    def screenshots(self, report_id: str) -> list[dict[str, Any]]:
        """For staff tools and tests: what is held for a report, without the bytes."""
        return list(
            self._db.query(
                "SELECT evidence_id, state, official_id, content_type, size, "
                "data IS NOT NULL AS has_bytes FROM evidence WHERE report_id = ? "
                "ORDER BY created_at",
                [report_id],
            )
        )

    def _finish(
        self, evidence_id: str, *, state: str, official_id: str | None, last_detail: str | None
    ) -> None:
        with write_transaction(self._db):
            self._db.execute(
                "UPDATE evidence SET state = ?, official_id = ?, last_detail = ?, data = NULL "
                "WHERE evidence_id = ?",
                [state, official_id, last_detail, evidence_id],
            )
