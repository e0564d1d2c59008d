"""The review queue in SQLite: redacted messages the bot could not place (`bot/core/insight.py`),
and the labels staff give them (`bot/core/review.py`).

| column        | why it is there                                                      |
|---------------|----------------------------------------------------------------------|
| owner         | the person's user key, as every other table keeps it, only for /forget|
| text          | the message after `redact`; the raw words are never written          |
| guesses, risks| JSON: the model's top intents and the risk classes raised            |
| day, kept_at  | the Malaysian day shown to staff; the UTC time retention goes by     |
| label…        | what staff decided, by whom, when                                     |

Entries are deleted 30 days after they were kept, labelled or not (`drop_older`): a label that
went into training data lives on there, without an owner.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import sqlite_utils

from bot.core.identity import UserKey
from bot.core.ports import Clock
from bot.core.review_entry import REVIEW_REASONS, ReviewEntry, ReviewItem, ReviewReason
from bot.storage.database import checkpoint, write_transaction
from bot.storage.timestamps import iso


def _reason(value: str) -> ReviewReason:
    for reason in REVIEW_REASONS:
        if reason == value:
            return reason
    raise ValueError(f"unknown review reason {value!r}")


def _entry(row: dict[str, Any]) -> ReviewEntry:
    return ReviewEntry(
        entry_id=row["entry_id"],
        language=row["language"],
        reason=_reason(row["reason"]),
        text=row["text"],
        guesses=tuple((str(n), float(c)) for n, c in json.loads(row["guesses"])),
        risks=tuple(json.loads(row["risks"])),
        day=date.fromisoformat(row["day"]),
        label=row["label"],
        labelled_by=row["labelled_by"],
    )


class SqliteReviewQueue:
    def __init__(self, db: sqlite_utils.Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    def keep(self, item: ReviewItem) -> int:
        with write_transaction(self._db):
            cursor = self._db.execute(
                "INSERT INTO review_entries (owner, language, reason, text, guesses, risks, day, "
                "kept_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    str(item.owner),
                    item.language,
                    item.reason,
                    item.text,
                    json.dumps([list(g) for g in item.guesses]),
                    json.dumps(list(item.risks)),
                    item.day.isoformat(),
                    iso(self._clock.now()),
                ],
            )
        return int(cursor.lastrowid or 0)

    def entry(self, entry_id: int) -> ReviewEntry | None:
        rows = list(self._db.query("SELECT * FROM review_entries WHERE entry_id = ?", [entry_id]))
        return _entry(rows[0]) if rows else None

    def pending(self) -> list[ReviewEntry]:
        """Entries no one has labelled yet, oldest first."""
        return self._select("label IS NULL")

    def labelled(self) -> list[ReviewEntry]:
        return self._select("label IS NOT NULL")

    def _select(self, where: str) -> list[ReviewEntry]:
        return [
            _entry(r)
            for r in self._db.query(
                f"SELECT * FROM review_entries WHERE {where} ORDER BY entry_id"  # noqa: S608
            )
        ]

    def set_label(self, entry_id: int, label: str, staff_name: str) -> None:
        with write_transaction(self._db):
            self._db.execute(
                "UPDATE review_entries SET label = ?, labelled_by = ?, labelled_at = ? "
                "WHERE entry_id = ?",
                [label, staff_name, iso(self._clock.now()), entry_id],
            )

    def drop_older(self, before: datetime) -> int:
        """Retention: entries kept before `before` go, labelled or not."""
        with write_transaction(self._db):
            cursor = self._db.execute("DELETE FROM review_entries WHERE kept_at < ?", [iso(before)])
        if cursor.rowcount:
            checkpoint(self._db)
        return int(cursor.rowcount)


def forget_review(db: sqlite_utils.Database, user_key: UserKey) -> None:
    """/forget: the person's entries go, inside the caller's transaction."""
    db.execute("DELETE FROM review_entries WHERE owner = ?", [str(user_key)])
