"""The dispatcher's `Outbox` in PostgreSQL, shared by every replica's dispatcher.

SQLite has one dispatcher per file; here each replica runs one, so `due` *claims* what it
returns: in one transaction it selects the due rows `FOR UPDATE SKIP LOCKED` (a row another
replica is claiming right now is skipped, not waited for) and sets their `claimed_until` one
lease ahead, so no other replica picks them up while this one sends them.

| event                          | outbox row                          | others see it again  |
|--------------------------------|-------------------------------------|----------------------|
| `due` claims it                | claimed_until = now + LEASE         | after the lease      |
| accepted (`mark_delivered`)    | deleted (report: delivered)         | never                |
| 400/422 (`mark_rejected`)      | deleted (report: rejected)          | never                |
| 429/unavailable (`reschedule`) | next_attempt_at set, claim dropped  | at next_attempt_at   |
| 401/403 (`hold_queued`)        | kept, report held, claim dropped    | after `release_held` |
| the replica dies mid-send      | still claimed                       | after the lease      |

Exactly once still rests on the Idempotency-Key (the report id, in the stored `body`): a
replica that dies between the API's 201 and `mark_delivered` leaves the claim to lapse, and
the next one resends the same body under the same key; the API answers with the same
complaint id, and `mark_delivered` tells the reporter only once (`delivery != 'delivered'`).
The lease only keeps two live replicas from sending one report at the same time.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.core.outbox import OpenComplaint, OutboxEntry
from bot.core.ports import Clock
from bot.core.report import OfficialStatus
from bot.storage.keys import loaded
from bot.storage.postgres.database import PostgresDatabase
from bot.storage.postgres.report_rows import erase_reports
from bot.storage.report_rows import language_of, official_of

# Longer than a batch takes to send in the worst case the dispatcher allows (its HTTP timeouts
# times a batch), short enough that a dead replica's reports wait minutes, not hours.
LEASE = timedelta(minutes=5)
_FINAL_STATUSES: tuple[OfficialStatus, ...] = ("closed", "rejected")
_ENTRY_COLUMNS = (
    "o.report_id, o.body, o.attempts, o.next_attempt_at, r.reference, r.created_at, "
    "r.user_key, r.language"
)


class PostgresOutbox:
    def __init__(self, db: PostgresDatabase, clock: Clock, lease: timedelta = LEASE) -> None:
        self._db = db
        self._clock = clock
        self._lease = lease

    def due(self, now: datetime, limit: int = 100) -> list[OutboxEntry]:
        """Queued entries whose time has come, oldest first, claimed for this replica."""
        with self._db.transaction() as conn:
            rows = conn.execute(
                f"SELECT {_ENTRY_COLUMNS} FROM outbox o JOIN reports r USING (report_id) "  # noqa: S608
                "WHERE r.delivery = 'queued' AND o.next_attempt_at <= %s "
                "AND (o.claimed_until IS NULL OR o.claimed_until <= %s) "
                "ORDER BY o.next_attempt_at, r.created_at LIMIT %s FOR UPDATE OF o SKIP LOCKED",
                [now, now, limit],
            ).fetchall()
            if rows:
                conn.execute(
                    "UPDATE outbox SET claimed_until = %s WHERE report_id = ANY(%s)",
                    [now + self._lease, [row["report_id"] for row in rows]],
                )
        return [_entry(row) for row in rows]

    def next_attempt_at(self) -> datetime | None:
        """The earliest moment an entry may be due here: a claimed one once its lease lapses."""
        return self._moment(
            "SELECT min(greatest(o.next_attempt_at, coalesce(o.claimed_until, "
            "o.next_attempt_at))) FROM outbox o JOIN reports r USING (report_id) "
            "WHERE r.delivery = 'queued'"
        )

    def mark_delivered(self, report_id: str, complaint_id: str, status: str | None) -> bool:
        """False when another dispatcher recorded it first, so the reporter is told once."""
        now = self._clock.now()
        official = official_of(status)
        with self._db.transaction() as conn:
            cursor = conn.execute(
                "UPDATE reports SET delivery = 'delivered', complaint_id = %s, "
                "delivered_at = %s, official_status = %s, closed_at = %s "
                "WHERE report_id = %s AND delivery != 'delivered'",
                [
                    complaint_id,
                    now,
                    official,
                    now if official in _FINAL_STATUSES else None,
                    report_id,
                ],
            )
            conn.execute("DELETE FROM outbox WHERE report_id = %s", [report_id])
        return cursor.rowcount > 0

    def reschedule(
        self, report_id: str, next_attempt_at: datetime, attempts: int, detail: str
    ) -> None:
        self._execute(
            "UPDATE outbox SET next_attempt_at = %s, attempts = %s, last_detail = %s, "
            "claimed_until = NULL WHERE report_id = %s",
            [next_attempt_at, attempts, detail, report_id],
        )

    def mark_rejected(self, report_id: str, detail: str) -> None:
        """Never retried; `closed_at` starts the retention clock."""
        with self._db.transaction() as conn:
            conn.execute(
                "UPDATE reports SET delivery = 'rejected', closed_at = %s WHERE report_id = %s",
                [self._clock.now(), report_id],
            )
            conn.execute("DELETE FROM outbox WHERE report_id = %s", [report_id])

    def hold(self, report_id: str, detail: str) -> None:
        with self._db.transaction() as conn:
            conn.execute(
                "UPDATE reports SET delivery = 'held' WHERE report_id = %s AND delivery = 'queued'",
                [report_id],
            )
            conn.execute(
                "UPDATE outbox SET last_detail = %s, claimed_until = NULL WHERE report_id = %s",
                [detail, report_id],
            )

    def hold_queued(self, detail: str) -> int:
        """Refused credentials are refused for every replica's reports too."""
        with self._db.transaction() as conn:
            conn.execute(
                "UPDATE outbox SET last_detail = %s, claimed_until = NULL WHERE report_id IN "
                "(SELECT report_id FROM reports WHERE delivery = 'queued')",
                [detail],
            )
            cursor = conn.execute(
                "UPDATE reports SET delivery = 'held' WHERE delivery = 'queued' "
                "AND report_id IN (SELECT report_id FROM outbox)"
            )
        return cursor.rowcount

    def release_held(self) -> int:
        return self._execute(
            "UPDATE reports SET delivery = 'queued' WHERE delivery = 'held' "
            "AND report_id IN (SELECT report_id FROM outbox)",
            [],
        )

    def overdue_unalerted(self, created_before: datetime) -> list[OutboxEntry]:
        with self._db.transaction() as conn:
            rows = conn.execute(
                f"SELECT {_ENTRY_COLUMNS} FROM outbox o JOIN reports r USING (report_id) "  # noqa: S608
                "WHERE r.delivery = 'queued' AND NOT o.alerted AND r.created_at < %s "
                "ORDER BY r.created_at",
                [created_before],
            ).fetchall()
        return [_entry(row) for row in rows]

    def mark_alerted(self, report_ids: list[str]) -> None:
        if report_ids:
            self._execute(
                "UPDATE outbox SET alerted = true WHERE report_id = ANY(%s)", [report_ids]
            )

    def oldest_undelivered_age(self, now: datetime) -> timedelta | None:
        oldest = self._moment(
            "SELECT min(r.created_at) FROM reports r JOIN outbox o USING (report_id)"
        )
        return now - oldest if oldest else None

    def waiting(self) -> int:
        with self._db.transaction() as conn:
            row = conn.execute("SELECT count(*) AS n FROM outbox").fetchone()
        return int(row["n"]) if row else 0

    def open_complaints(self) -> list[OpenComplaint]:
        with self._db.transaction() as conn:
            rows = conn.execute(
                "SELECT report_id, reference, complaint_id, official_status, user_key, language "
                "FROM reports WHERE delivery = 'delivered' AND complaint_id IS NOT NULL "
                "AND (official_status IS NULL OR official_status NOT IN ('closed', 'rejected')) "
                "ORDER BY delivered_at"
            ).fetchall()
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
        """False when it is what we already knew: of two replicas polling, one tells."""
        closed = self._clock.now() if status in _FINAL_STATUSES else None
        return (
            self._execute(
                "UPDATE reports SET official_status = %s, status_updated_at = %s, "
                "closed_at = %s WHERE report_id = %s AND official_status IS DISTINCT FROM %s",
                [status, updated_at, closed, report_id, status],
            )
            > 0
        )

    def erase_personal_closed(self, older_than: datetime) -> int:
        """Retention: complaints closed before `older_than` lose text, URLs and contacts."""
        with self._db.transaction() as conn:
            ids = [
                row["report_id"]
                for row in conn.execute(
                    "SELECT report_id FROM reports WHERE closed_at < %s AND erased_at IS NULL "
                    "FOR UPDATE",
                    [older_than],
                )
            ]
            if ids:
                erase_reports(conn, ids, self._clock.now(), forget_person=False)
        return len(ids)

    def _execute(self, sql: str, params: list[Any]) -> int:
        with self._db.transaction() as conn:
            return conn.execute(sql, params).rowcount

    def _moment(self, sql: str) -> datetime | None:
        with self._db.transaction() as conn:
            row = conn.execute(sql).fetchone()
        value = next(iter(row.values())) if row else None
        return value if isinstance(value, datetime) else None


def _entry(row: dict[str, Any]) -> OutboxEntry:
    return OutboxEntry(
        report_id=row["report_id"],
        reference=row["reference"],
        body=row["body"],
        attempts=row["attempts"],
        next_attempt_at=row["next_attempt_at"],
        created_at=row["created_at"],
        user_key=loaded(row["user_key"]),
        language=language_of(row["language"]),
    )
