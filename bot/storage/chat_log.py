"""Which messages are in each chat, by id only, for the quick exit."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlite_utils

from bot.core.clock import SystemClock
from bot.core.ports import Clock
from bot.storage.database import checkpoint, write_transaction

# Telegram lets a bot delete messages in a private chat for 48 hours.
DELETABLE_FOR = timedelta(hours=48)


class SqliteChatLog:
    def __init__(self, db: sqlite_utils.Database, clock: Clock | None = None) -> None:
        self._db = db
        self._clock = clock or SystemClock()

    def record(self, chat_id: int, message_id: int, at: datetime | None = None) -> None:
        when = (at or self._clock.now()).isoformat()
        self._db["chat_messages"].insert(  # type: ignore[union-attr]
            {"chat_id": chat_id, "message_id": message_id, "sent_at": when}, replace=True
        )

    def deletable(self, chat_id: int, now: datetime | None = None) -> list[int]:
        """Newest first; older ones are pruned because Telegram would refuse them anyway."""
        self.prune((now or self._clock.now()) - DELETABLE_FOR)
        rows = self._db.query(
            "SELECT message_id FROM chat_messages WHERE chat_id = ? ORDER BY message_id DESC",
            [chat_id],
        )
        return [int(row["message_id"]) for row in rows]

    def prune(self, before: datetime) -> int:
        """Retention: ids older than the quick exit can use (48 h by default) are dropped even
        for people who never press /exit."""
        with write_transaction(self._db):
            cursor = self._db.execute(
                "DELETE FROM chat_messages WHERE sent_at < ?", [before.isoformat()]
            )
        return int(cursor.rowcount)

    def forget_chat(self, chat_id: int) -> None:
        """/forget: not even the ids of the person's messages stay."""
        with write_transaction(self._db):
            self._db.execute("DELETE FROM chat_messages WHERE chat_id = ?", [chat_id])
        checkpoint(self._db)

    def forget(self, chat_id: int, message_ids: list[int]) -> None:
        with write_transaction(self._db):
            for message_id in message_ids:
                self._db.execute(
                    "DELETE FROM chat_messages WHERE chat_id = ? AND message_id = ?",
                    [chat_id, message_id],
                )
