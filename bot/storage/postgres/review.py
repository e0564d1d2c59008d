"""The review queue in PostgreSQL: redacted messages the bot could not place, and staff labels
(the columns and their reasons: `bot/storage/review.py`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from psycopg.types.json import Jsonb

from bot.core.identity import UserKey
from bot.core.ports import Clock
from bot.core.review_entry import REVIEW_REASONS, ReviewEntry, ReviewItem, ReviewReason
from bot.storage.postgres.database import Connection, PostgresDatabase


def _reason(value: str) -> ReviewReason:
    for reason in REVIEW_REASONS:
        if reason == value:
            return reason
    raise ValueError(f"unknown review reason {value!r}")


def _entry(row: dict[str, Any]) -> ReviewEntry:
    return ReviewEntry(
        entry_id=int(row["entry_id"]),
        language=row["language"],
        reason=_reason(row["reason"]),
        text=row["text"],
        guesses=tuple((str(n), float(c)) for n, c in row["guesses"]),
        risks=tuple(row["risks"]),
        day=row["day"],
        label=row["label"],
        labelled_by=row["labelled_by"],
    )


class PostgresReviewQueue:
    def __init__(self, db: PostgresDatabase, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    def keep(self, item: ReviewItem) -> int:
        with self._db.transaction() as conn:
            row = conn.execute(
                "INSERT INTO review_entries (owner, language, reason, text, guesses, risks, "
                "day, kept_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) RETURNING entry_id",
                [
                    str(item.owner),
                    item.language,
                    item.reason,
                    item.text,
                    Jsonb([list(g) for g in item.guesses]),
                    Jsonb(list(item.risks)),
                    item.day,
                    self._clock.now(),
                ],
            ).fetchone()
        return int(row["entry_id"]) if row else 0

    def entry(self, entry_id: int) -> ReviewEntry | None:
        with self._db.transaction() as conn:
            row = conn.execute(
                "SELECT * FROM review_entries WHERE entry_id = %s", [entry_id]
            ).fetchone()
        return _entry(row) if row else None

    def pending(self) -> list[ReviewEntry]:
        return self._select("label IS NULL")

    def labelled(self) -> list[ReviewEntry]:
        return self._select("label IS NOT NULL")

    def _select(self, where: str) -> list[ReviewEntry]:
        with self._db.transaction() as conn:
            rows = conn.execute(
                f"SELECT * FROM review_entries WHERE {where} ORDER BY entry_id"  # noqa: S608
            ).fetchall()
        return [_entry(row) for row in rows]

    def set_label(self, entry_id: int, label: str, staff_name: str) -> None:
        with self._db.transaction() as conn:
            conn.execute(
                "UPDATE review_entries SET label = %s, labelled_by = %s, labelled_at = %s "
                "WHERE entry_id = %s",
                [label, staff_name, self._clock.now(), entry_id],
            )

    def drop_older(self, before: datetime) -> int:
        with self._db.transaction() as conn:
            return conn.execute("DELETE FROM review_entries WHERE kept_at < %s", [before]).rowcount


def forget_review(conn: Connection, user_key: UserKey) -> None:
    """/forget: the person's entries go, inside the caller's transaction."""
    conn.execute("DELETE FROM review_entries WHERE owner = %s", [str(user_key)])
