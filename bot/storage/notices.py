"""The hand-over of status changes from a standalone dispatcher to the bot.

Only one dispatcher sees each change (the official status is set in one `BEGIN IMMEDIATE`
transaction), so whichever one it is must make sure the reporter hears of it. The bot's own
dispatcher tells them directly; `waspada outbox deliver` cannot reach Telegram and leaves a
notice here instead, which the bot sends and then deletes.

    dispatcher sees a change ──► notice row ──► bot sends it ──► row deleted
                                                   │ crash before the delete
                                                   └──► sent again after restart (at most
                                                        one repeat; never lost)
"""

from __future__ import annotations

from typing import cast

import sqlite_utils

from bot.core.clock import SystemClock
from bot.core.languages import Language
from bot.core.ports import Clock
from bot.core.report_events import ChangeStatus, StatusChange
from bot.storage.database import write_transaction
from bot.storage.keys import loaded, stored
from bot.storage.timestamps import iso


class SqliteNotices:
    def __init__(self, db: sqlite_utils.Database, clock: Clock | None = None) -> None:
        self._db = db
        self._clock = clock or SystemClock()

    async def hand_over(self, change: StatusChange) -> None:
        """A dispatcher's `notify` when it cannot message people itself."""
        if change.user_key is None:
            return
        with write_transaction(self._db):
            self._db.table("notices").insert(
                {
                    "user_key": stored(change.user_key),
                    "reference": change.reference,
                    "complaint_id": change.complaint_id,
                    "status": change.status,
                    "language": change.language,
                    "created_at": iso(self._clock.now()),
                }
            )

    def waiting(self, limit: int = 100) -> list[tuple[int, StatusChange]]:
        rows = self._db.query("SELECT * FROM notices ORDER BY notice_id LIMIT ?", [limit])
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
        with write_transaction(self._db):
            self._db.execute("DELETE FROM notices WHERE notice_id = ?", [notice_id])
