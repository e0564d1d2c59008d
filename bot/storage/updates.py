"""`UpdateLedger` in the SQLite file: `INSERT OR IGNORE` on the (channel, update_id) key, so of
two processes claiming one update only one inserts (see `bot/core/redelivery.py`)."""

from __future__ import annotations

from datetime import datetime

import sqlite_utils

from bot.core.clock import SystemClock
from bot.core.ports import Clock
from bot.storage.database import write_transaction


class SqliteUpdateLedger:
    def __init__(self, db: sqlite_utils.Database, clock: Clock | None = None) -> None:
        self._db = db
        self._clock = clock or SystemClock()

    def claim(self, channel: str, update_id: int) -> bool:
        with write_transaction(self._db):
            cursor = self._db.execute(
                "INSERT OR IGNORE INTO processed_updates (channel, update_id, claimed_at) "
                "VALUES (?, ?, ?)",
                [channel, update_id, self._clock.now().isoformat()],
            )
        return int(cursor.rowcount) == 1

    def prune(self, before: datetime) -> int:
        with write_transaction(self._db):
            cursor = self._db.execute(
                "DELETE FROM processed_updates WHERE claimed_at < ?", [before.isoformat()]
            )
        return int(cursor.rowcount)
