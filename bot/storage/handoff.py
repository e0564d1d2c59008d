"""Talk-to-a-person cases in SQLite (`bot/core/staff_desk.py`), so a staff reply after a
restart still finds its person. A row holds the case number, the person's key (never shown to
staff), language, recent topics and risk flags, the staff thread and its state. /forget deletes
the rows (`bot/storage/forget.py`); the 👍/👎 counts are not tied to anyone and stay."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from typing import Any

import sqlite_utils

from bot.core.identity import UserKey
from bot.core.languages import Language
from bot.core.staff_desk import Case, new_case_id
from bot.storage.database import checkpoint, write_transaction
from bot.storage.timestamps import iso, parse_iso

_OPEN = "closed_at IS NULL"


def _case(row: dict[str, Any]) -> Case:
    return Case(
        case_id=row["case_id"],
        user_key=UserKey.parse(row["user_key"]),
        language=row["language"],
        topics=tuple(json.loads(row["topics"] or "[]")),
        risks=tuple(json.loads(row["risks"] or "[]")),
        requested_at=parse_iso(row["requested_at"]),
        thread=row["thread"],
        flagged=bool(row["flagged"]),
        answered=bool(row["answered"]),
        closed_at=parse_iso(row["closed_at"]) if row["closed_at"] else None,
        waiting_since=parse_iso(row["waiting_since"]) if row["waiting_since"] else None,
        nudged=bool(row["nudged"]),
    )


class SqliteCaseStore:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def open(
        self,
        user_key: UserKey,
        language: Language,
        topics: tuple[str, ...],
        risks: tuple[str, ...],
        at: datetime,
    ) -> Case:
        with write_transaction(self._db):
            taken = {r["case_id"] for r in self._db.query("SELECT case_id FROM handoff_cases")}
            case_id = new_case_id()
            while case_id in taken:
                case_id = new_case_id()
            case = Case(case_id, user_key, language, topics, risks, at, waiting_since=at)
            self._db["handoff_cases"].insert(  # type: ignore[union-attr]
                {
                    "case_id": case_id,
                    "user_key": str(user_key),
                    "language": language,
                    "topics": json.dumps(list(topics)),
                    "risks": json.dumps(list(risks)),
                    "requested_at": iso(at),
                    "waiting_since": iso(at),
                }
            )
        return case

    def attach_thread(self, case: Case, thread: str) -> Case:
        self._update(case, {"thread": thread})
        return replace(case, thread=thread)

    def open_case_of(self, user_key: UserKey) -> Case | None:
        return self._one(f"user_key = ? AND {_OPEN}", [str(user_key)])

    def cases_of(self, user_key: UserKey) -> list[Case]:
        rows = self._db.query(
            "SELECT * FROM handoff_cases WHERE user_key = ? ORDER BY requested_at",
            [str(user_key)],
        )
        return [_case(row) for row in rows]

    def by_thread(self, thread: str) -> Case | None:
        return self._one("thread = ?", [thread])

    def flag(self, case: Case) -> Case:
        self._update(case, {"flagged": 1})
        return replace(case, flagged=True)

    def answered(self, case: Case) -> Case:
        self._update(case, {"answered": 1, "waiting_since": None, "nudged": 0})
        return replace(case, answered=True, waiting_since=None, nudged=False)

    def waiting(self, case: Case, since: datetime) -> Case:
        with write_transaction(self._db):
            self._db.execute(
                "UPDATE handoff_cases SET waiting_since = ? "
                "WHERE case_id = ? AND waiting_since IS NULL",
                [iso(since), case.case_id],
            )
        return self._one("case_id = ?", [case.case_id]) or case

    def still_waiting(self) -> list[Case]:
        rows = self._db.query(
            f"SELECT * FROM handoff_cases WHERE {_OPEN} AND thread IS NOT NULL "  # noqa: S608
            "AND waiting_since IS NOT NULL AND nudged = 0 ORDER BY waiting_since"
        )
        return [_case(row) for row in rows]

    def open_cases(self) -> list[Case]:
        """Every open case, oldest first (the staff console's list)."""
        rows = self._db.query(
            f"SELECT * FROM handoff_cases WHERE {_OPEN} ORDER BY requested_at"  # noqa: S608
        )
        return [_case(row) for row in rows]

    def case(self, case_id: str) -> Case | None:
        return self._one("case_id = ?", [case_id])

    def nudged(self, case: Case) -> None:
        self._update(case, {"nudged": 1})

    def close(self, case: Case, at: datetime) -> bool:
        with write_transaction(self._db):
            cursor = self._db.execute(
                f"UPDATE handoff_cases SET closed_at = ?, feedback_due = 1 "  # noqa: S608
                f"WHERE case_id = ? AND {_OPEN}",
                [iso(at), case.case_id],
            )
        return bool(cursor.rowcount)

    def queue_position(self, case: Case) -> int:
        row = self._db.execute(
            f"SELECT count(*) FROM handoff_cases WHERE {_OPEN} AND answered = 0 "  # noqa: S608
            "AND thread IS NOT NULL AND requested_at <= ?",
            [iso(case.requested_at)],
        ).fetchone()
        return max(1, int(row[0]))

    def delete(self, case: Case) -> None:
        with write_transaction(self._db):
            self._db.execute("DELETE FROM handoff_cases WHERE case_id = ?", [case.case_id])
        checkpoint(self._db)

    def feedback(self, user_key: UserKey, helped: bool) -> bool:
        answer = "helped" if helped else "not_helped"
        with write_transaction(self._db):
            cursor = self._db.execute(
                "UPDATE handoff_cases SET feedback_due = 0 WHERE case_id = ("
                "SELECT case_id FROM handoff_cases WHERE user_key = ? AND feedback_due = 1 "
                "ORDER BY closed_at DESC LIMIT 1)",
                [str(user_key)],
            )
            if not cursor.rowcount:
                return False
            self._db.execute(
                "INSERT INTO handoff_feedback (answer, count) VALUES (?, 1) "
                "ON CONFLICT (answer) DO UPDATE SET count = count + 1",
                [answer],
            )
        return True

    def drop_closed(self, before: datetime) -> int:
        """Retention: cases closed before `before` go, with the ids of the desk's copies (the
        👍/👎 counts stay)."""
        with write_transaction(self._db):
            self._db.execute(
                "DELETE FROM staff_copies WHERE thread IN (SELECT thread FROM handoff_cases "
                "WHERE closed_at IS NOT NULL AND closed_at < ?)",
                [iso(before)],
            )
            cursor = self._db.execute(
                "DELETE FROM handoff_cases WHERE closed_at IS NOT NULL AND closed_at < ?",
                [iso(before)],
            )
        if cursor.rowcount:
            checkpoint(self._db)
        return int(cursor.rowcount)

    def feedback_counts(self) -> dict[str, int]:
        return {r["answer"]: r["count"] for r in self._db.query("SELECT * FROM handoff_feedback")}

    def _one(self, where: str, values: list[str]) -> Case | None:
        rows = self._db.query(
            f"SELECT * FROM handoff_cases WHERE {where} "  # noqa: S608 - fixed clauses only
            "ORDER BY requested_at DESC LIMIT 1",
            values,
        )
        row = next(iter(rows), None)
        return _case(row) if row else None

    def _update(self, case: Case, changes: dict[str, Any]) -> None:
        with write_transaction(self._db):
            self._db["handoff_cases"].update(case.case_id, changes)  # type: ignore[union-attr]


def forget_cases(db: sqlite_utils.Database, user_key: UserKey) -> None:
    """Inside /forget's transaction (the desk erased its copies in the thread before)."""
    db.execute(
        "DELETE FROM staff_copies WHERE thread IN "
        "(SELECT thread FROM handoff_cases WHERE user_key = ?)",
        [str(user_key)],
    )
    db.execute("DELETE FROM handoff_cases WHERE user_key = ?", [str(user_key)])


class SqliteStaffCopies:
    """The ids of the bot's own messages in each staff thread: nothing else, so /forget can
    delete them (`bot/telegram_adapter/staff.py`)."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def record(self, thread: str, message_id: int, at: datetime) -> None:
        with write_transaction(self._db):
            self._db["staff_copies"].insert(  # type: ignore[union-attr]
                {"thread": thread, "message_id": message_id, "sent_at": iso(at)}, replace=True
            )

    def since(self, thread: str, after: datetime) -> list[int]:
        """The ids sent after `after` (older ones Telegram no longer lets the bot delete)."""
        rows = self._db.query(
            "SELECT message_id FROM staff_copies WHERE thread = ? AND sent_at >= ? "
            "ORDER BY message_id",
            [thread, iso(after)],
        )
        return [int(r["message_id"]) for r in rows]

    def drop(self, thread: str) -> None:
        with write_transaction(self._db):
            self._db.execute("DELETE FROM staff_copies WHERE thread = ?", [thread])
