"""Screenshots in PostgreSQL: the core's `EvidenceStore` and the dispatcher's `EvidenceOutbox`
(the life of a screenshot is drawn in `bot/storage/evidence.py`).

Uploads are claimed like reports (`outbox.py`): `evidence_due` takes the due rows with
`FOR UPDATE SKIP LOCKED` and moves their `next_attempt_at` one lease ahead, so two replicas'
dispatchers never upload one screenshot at the same time. A dispatcher that dies holding a
claim leaves the row to the next one after the lease, under the same Idempotency-Key.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from bot.core.identity import UserKey
from bot.core.outbox import PendingEvidence
from bot.core.ports import Clock
from bot.storage.postgres.database import Connection, PostgresDatabase

LEASE = timedelta(minutes=5)


def attach_evidence(
    conn: Connection, report_id: str, user_key: UserKey | None, evidence_ids: tuple[str, ...]
) -> None:
    """Inside `ReportStore.file`'s transaction; only the person's own unfiled drafts attach."""
    if not evidence_ids or user_key is None:
        return
    conn.execute(
        "UPDATE evidence SET report_id = %s, state = 'attached' "
        "WHERE user_key = %s AND state = 'draft' AND evidence_id = ANY(%s)",
        [report_id, str(user_key), list(evidence_ids)],
    )


def forget_evidence(conn: Connection, user_key: UserKey, report_ids: list[str]) -> None:
    """`/forget`: drafts and unsent screenshots go; uploaded ones keep only their ids."""
    conn.execute("DELETE FROM evidence WHERE user_key = %s AND state = 'draft'", [str(user_key)])
    if report_ids:
        conn.execute(
            "DELETE FROM evidence WHERE state = 'attached' AND report_id = ANY(%s)", [report_ids]
        )
    conn.execute("UPDATE evidence SET user_key = NULL WHERE user_key = %s", [str(user_key)])


class PostgresEvidenceStore:
    def __init__(self, db: PostgresDatabase, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    # --- the core's EvidenceStore -----------------------------------------------------------

    def keep(self, user_key: UserKey, data: bytes, content_type: str) -> str:
        evidence_id = str(uuid.uuid4())
        now = self._clock.now()
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT INTO evidence (evidence_id, user_key, content_type, size, data, state, "
                "attempts, next_attempt_at, created_at) "
                "VALUES (%s, %s, %s, %s, %s, 'draft', 0, %s, %s)",
                [evidence_id, str(user_key), content_type, len(data), data, now, now],
            )
        return evidence_id

    def discard(self, user_key: UserKey, evidence_ids: list[str]) -> None:
        if not evidence_ids:
            return
        with self._db.transaction() as conn:
            conn.execute(
                "DELETE FROM evidence WHERE user_key = %s AND state = 'draft' "
                "AND evidence_id = ANY(%s)",
                [str(user_key), evidence_ids],
            )

    # --- the dispatcher's EvidenceOutbox ----------------------------------------------------

    def evidence_due(self, now: datetime, limit: int = 20) -> list[PendingEvidence]:
        with self._db.transaction() as conn:
            rows = conn.execute(
                "SELECT e.evidence_id, e.content_type, e.data, e.attempts, r.reference, "
                "r.complaint_id FROM evidence e JOIN reports r USING (report_id) "
                "WHERE e.state = 'attached' AND r.delivery = 'delivered' "
                "AND r.complaint_id IS NOT NULL AND e.next_attempt_at <= %s "
                "ORDER BY e.next_attempt_at, e.created_at LIMIT %s FOR UPDATE OF e SKIP LOCKED",
                [now, limit],
            ).fetchall()
            if rows:
                conn.execute(
                    "UPDATE evidence SET next_attempt_at = %s WHERE evidence_id = ANY(%s)",
                    [now + LEASE, [row["evidence_id"] for row in rows]],
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
        with self._db.transaction() as conn:
            row = conn.execute(
                "SELECT min(e.next_attempt_at) AS at FROM evidence e "
                "JOIN reports r USING (report_id) "
                "WHERE e.state = 'attached' AND r.delivery = 'delivered'"
            ).fetchone()
        return row["at"] if row else None

    def mark_evidence_uploaded(self, evidence_id: str, official_id: str) -> None:
        self._finish(evidence_id, state="uploaded", official_id=official_id, last_detail=None)

    def mark_evidence_rejected(self, evidence_id: str, detail: str) -> None:
        self._finish(evidence_id, state="rejected", official_id=None, last_detail=detail)

    def reschedule_evidence(
        self, evidence_id: str, next_attempt_at: datetime, attempts: int, detail: str
    ) -> None:
        with self._db.transaction() as conn:
            conn.execute(
                "UPDATE evidence SET next_attempt_at = %s, attempts = %s, last_detail = %s "
                "WHERE evidence_id = %s",
                [next_attempt_at, attempts, detail, evidence_id],
            )

    def purge_unfiled_evidence(self, older_than: datetime) -> int:
        """Drafts never confirmed, and screenshots of reports that will never be sent."""
        with self._db.transaction() as conn:
            drafts = conn.execute(
                "DELETE FROM evidence WHERE state = 'draft' AND created_at < %s", [older_than]
            ).rowcount
            orphans = conn.execute(
                "DELETE FROM evidence WHERE state = 'attached' AND report_id IN "
                "(SELECT report_id FROM reports WHERE delivery = 'rejected' "
                "OR withdrawn_at IS NOT NULL)"
            ).rowcount
        return drafts + orphans

    def screenshots(self, report_id: str) -> list[dict[str, Any]]:
        """For staff tools and tests: what is held for a report, without the bytes."""
        with self._db.transaction() as conn:
            return conn.execute(
                "SELECT evidence_id, state, official_id, content_type, size, "
                "data IS NOT NULL AS has_bytes FROM evidence WHERE report_id = %s "
                "ORDER BY created_at",
                [report_id],
            ).fetchall()

    def _finish(
        self, evidence_id: str, *, state: str, official_id: str | None, last_detail: str | None
    ) -> None:
        with self._db.transaction() as conn:
            conn.execute(
                "UPDATE evidence SET state = %s, official_id = %s, last_detail = %s, data = NULL "
                "WHERE evidence_id = %s",
                [state, official_id, last_detail, evidence_id],
            )
