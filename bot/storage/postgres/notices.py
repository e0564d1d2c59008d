"""Status changes waiting for a bot to tell the reporter (the hand-over is drawn in
`bot/storage/notices.py`). With replicas, `waiting` claims what it returns (`FOR UPDATE SKIP
LOCKED`, then a short lease), so two bots do not send one notice at the same moment; a bot
that dies before `done` leaves it to the next after the lease (at most one repeat)."""

from __future__ import annotations

from datetime import timedelta
from typing import cast

from bot.core.clock import SystemClock
from bot.core.languages import Language
from bot.core.ports import Clock
from bot.core.report_events import ChangeStatus, StatusChange
from bot.storage.keys import loaded, stored
from bot.storage.postgres.database import PostgresDatabase

LEASE = timedelta(minutes=1)


class PostgresNotices:
    def __init__(self, db: PostgresDatabase, clock: Clock | None = None) -> None:
        self._db = db
        self._clock = clock or SystemClock()

    async def hand_over(self, change: StatusChange) -> None:
        if change.user_key is None:
            return
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT INTO notices (user_key, reference, complaint_id, status, language, "
                "created_at) VALUES (%s, %s, %s, %s, %s, %s)",
                [
                    stored(change.user_key),
                    change.reference,
                    change.complaint_id,
                    change.status,
                    change.language,
                    self._clock.now(),
                ],
            )

    def waiting(self, limit: int = 100) -> list[tuple[int, StatusChange]]:
        now = self._clock.now()
        with self._db.transaction() as conn:
            rows = conn.execute(
                "SELECT * FROM notices WHERE claimed_until IS NULL OR claimed_until <= %s "
                "ORDER BY notice_id LIMIT %s "
                "FOR UPDATE SKIP LOCKED",
                [now, limit],
            ).fetchall()
            if rows:
                conn.execute(
                    "UPDATE notices SET claimed_until = %s WHERE notice_id = ANY(%s)",
                    [now + LEASE, [row["notice_id"] for row in rows]],
                )
        return [
            (
                int(row["notice_id"]),
                StatusChange(
                    loaded(row["user_key"]),
                    row["reference"],
                    row["complaint_id"],
                    cast(ChangeStatus, row["status"]),
                    cast(Language, row["language"]),
                ),
            )
            for row in rows
        ]

    def done(self, notice_id: int) -> None:
        with self._db.transaction() as conn:
            conn.execute("DELETE FROM notices WHERE notice_id = %s", [notice_id])
