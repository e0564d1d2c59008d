"""`UpdateLedger` shared by every replica: `INSERT … ON CONFLICT DO NOTHING` on the
(channel, update_id) key. Two replicas claiming one update at once both insert; the unique
index makes the second wait for the first's commit and then insert nothing, so exactly one
sees a row inserted (see `bot/core/redelivery.py`)."""

from __future__ import annotations

from datetime import datetime

from bot.core.clock import SystemClock
from bot.core.ports import Clock
from bot.storage.postgres.database import PostgresDatabase


class PostgresUpdateLedger:
    def __init__(self, db: PostgresDatabase, clock: Clock | None = None) -> None:
        self._db = db
        self._clock = clock or SystemClock()

    def claim(self, channel: str, update_id: int) -> bool:
        with self._db.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO processed_updates (channel, update_id, claimed_at) "
                "VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                [channel, update_id, self._clock.now()],
            )
        return cursor.rowcount == 1

    def prune(self, before: datetime) -> int:
        with self._db.transaction() as conn:
            return conn.execute(
                "DELETE FROM processed_updates WHERE claimed_at < %s", [before]
            ).rowcount
