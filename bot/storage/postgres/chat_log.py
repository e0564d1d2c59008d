"""Which messages are in each chat, by id only, for the quick exit (as `bot/storage/chat_log.py`).
Every replica records what it sent, so /exit on any of them deletes the whole conversation."""

from __future__ import annotations

from datetime import datetime

from bot.core.clock import SystemClock
from bot.core.ports import Clock
from bot.storage.chat_log import DELETABLE_FOR
from bot.storage.postgres.database import PostgresDatabase


class PostgresChatLog:
    def __init__(self, db: PostgresDatabase, clock: Clock | None = None) -> None:
        self._db = db
        self._clock = clock or SystemClock()

    def record(self, chat_id: int, message_id: int, at: datetime | None = None) -> None:
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT INTO chat_messages (chat_id, message_id, sent_at) VALUES (%s, %s, %s) "
                "ON CONFLICT (chat_id, message_id) DO UPDATE SET sent_at = excluded.sent_at",
                [chat_id, message_id, at or self._clock.now()],
            )

    def deletable(self, chat_id: int, now: datetime | None = None) -> list[int]:
        """Newest first; ids older than Telegram allows deleting are pruned first."""
        self.prune((now or self._clock.now()) - DELETABLE_FOR)
        with self._db.transaction() as conn:
            rows = conn.execute(
                "SELECT message_id FROM chat_messages WHERE chat_id = %s ORDER BY message_id DESC",
                [chat_id],
            ).fetchall()
        return [int(row["message_id"]) for row in rows]

    def prune(self, before: datetime) -> int:
        with self._db.transaction() as conn:
            return conn.execute("DELETE FROM chat_messages WHERE sent_at < %s", [before]).rowcount

    def forget_chat(self, chat_id: int) -> None:
        """/forget: not even the ids of the person's messages stay."""
        with self._db.transaction() as conn:
            conn.execute("DELETE FROM chat_messages WHERE chat_id = %s", [chat_id])

    def forget(self, chat_id: int, message_ids: list[int]) -> None:
        with self._db.transaction() as conn:
            conn.execute(
                "DELETE FROM chat_messages WHERE chat_id = %s AND message_id = ANY(%s)",
                [chat_id, message_ids],
            )
