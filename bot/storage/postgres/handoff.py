"""Talk-to-a-person cases in PostgreSQL (`bot/core/staff_desk.py`; the row is described in
`bot/storage/handoff.py`), so a staff reply reaching any replica finds its person. Case numbers
are unique by the primary key: two replicas drawing the same number at once is caught by the
insert, and the loser draws again."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from bot.core.identity import UserKey
from bot.core.languages import Language
from bot.core.staff_desk import Case, new_case_id
from bot.storage.postgres.database import Connection, PostgresDatabase

_OPEN = "closed_at IS NULL"
CASE_ID_ATTEMPTS = 20


def _case(row: dict[str, Any]) -> Case:
    return Case(
        case_id=row["case_id"],
        user_key=UserKey.parse(row["user_key"]),
        language=row["language"],
        topics=tuple(row["topics"] or ()),
        risks=tuple(row["risks"] or ()),
        requested_at=row["requested_at"],
        thread=row["thread"],
        flagged=row["flagged"],
        answered=row["answered"],
        closed_at=row["closed_at"],
        waiting_since=row["waiting_since"],
        nudged=row["nudged"],
    )


class PostgresCaseStore:
    def __init__(self, db: PostgresDatabase) -> None:
        self._db = db

    def open(
        self,
        user_key: UserKey,
        language: Language,
        topics: tuple[str, ...],
        risks: tuple[str, ...],
        at: datetime,
    ) -> Case:
        for _ in range(CASE_ID_ATTEMPTS):
            case = Case(new_case_id(), user_key, language, topics, risks, at, waiting_since=at)
            try:
                with self._db.transaction() as conn:
                    conn.execute(
                        "INSERT INTO handoff_cases (case_id, user_key, language, topics, risks, "
                        "requested_at, waiting_since) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                        [
                            case.case_id,
                            str(user_key),
                            language,
                            Jsonb(list(topics)),
                            Jsonb(list(risks)),
                            at,
                            at,
                        ],
                    )
            except psycopg.errors.UniqueViolation:
                continue
            return case
        raise RuntimeError("no free case number after several attempts")

    def attach_thread(self, case: Case, thread: str) -> Case:
        self._update(case, "thread = %s", [thread])
        return replace(case, thread=thread)

    def open_case_of(self, user_key: UserKey) -> Case | None:
        return self._one(f"user_key = %s AND {_OPEN}", [str(user_key)])

    def cases_of(self, user_key: UserKey) -> list[Case]:
        with self._db.transaction() as conn:
            rows = conn.execute(
                "SELECT * FROM handoff_cases WHERE user_key = %s ORDER BY requested_at",
                [str(user_key)],
            ).fetchall()
        return [_case(row) for row in rows]

    def by_thread(self, thread: str) -> Case | None:
        return self._one("thread = %s", [thread])

    def flag(self, case: Case) -> Case:
        self._update(case, "flagged = true", [])
        return replace(case, flagged=True)

    def answered(self, case: Case) -> Case:
        self._update(case, "answered = true, waiting_since = NULL, nudged = false", [])
        return replace(case, answered=True, waiting_since=None, nudged=False)

    def waiting(self, case: Case, since: datetime) -> Case:
        with self._db.transaction() as conn:
            conn.execute(
                "UPDATE handoff_cases SET waiting_since = %s "
                "WHERE case_id = %s AND waiting_since IS NULL",
                [since, case.case_id],
            )
        return self._one("case_id = %s", [case.case_id]) or case

    def still_waiting(self) -> list[Case]:
        with self._db.transaction() as conn:
            rows = conn.execute(
                f"SELECT * FROM handoff_cases WHERE {_OPEN} AND thread IS NOT NULL "  # noqa: S608
                "AND waiting_since IS NOT NULL AND NOT nudged ORDER BY waiting_since"
            ).fetchall()
        return [_case(row) for row in rows]

    def open_cases(self) -> list[Case]:
        """Every open case, oldest first (the staff console's list)."""
        with self._db.transaction() as conn:
            rows = conn.execute(
                f"SELECT * FROM handoff_cases WHERE {_OPEN} ORDER BY requested_at"  # noqa: S608
            ).fetchall()
        return [_case(row) for row in rows]

    def case(self, case_id: str) -> Case | None:
        return self._one("case_id = %s", [case_id])

    def nudged(self, case: Case) -> None:
        self._update(case, "nudged = true", [])

    def close(self, case: Case, at: datetime) -> bool:
        with self._db.transaction() as conn:
            cursor = conn.execute(
                "UPDATE handoff_cases SET closed_at = %s, feedback_due = true "  # noqa: S608
                f"WHERE case_id = %s AND {_OPEN}",
                [at, case.case_id],
            )
        return cursor.rowcount > 0

    def queue_position(self, case: Case) -> int:
        with self._db.transaction() as conn:
            row = conn.execute(
                f"SELECT count(*) AS n FROM handoff_cases WHERE {_OPEN} AND NOT answered "  # noqa: S608
                "AND thread IS NOT NULL AND requested_at <= %s",
                [case.requested_at],
            ).fetchone()
        return max(1, int(row["n"]) if row else 0)

    def delete(self, case: Case) -> None:
        with self._db.transaction() as conn:
            conn.execute("DELETE FROM handoff_cases WHERE case_id = %s", [case.case_id])

    def feedback(self, user_key: UserKey, helped: bool) -> bool:
        answer = "helped" if helped else "not_helped"
        with self._db.transaction() as conn:
            cursor = conn.execute(
                "UPDATE handoff_cases SET feedback_due = false WHERE case_id = ("
                "SELECT case_id FROM handoff_cases WHERE user_key = %s AND feedback_due "
                "ORDER BY closed_at DESC LIMIT 1 FOR UPDATE)",
                [str(user_key)],
            )
            if not cursor.rowcount:
                return False
            conn.execute(
                "INSERT INTO handoff_feedback (answer, count) VALUES (%s, 1) "
                "ON CONFLICT (answer) DO UPDATE SET count = handoff_feedback.count + 1",
                [answer],
            )
        return True

    def drop_closed(self, before: datetime) -> int:
        """Retention: closed cases go, with the ids of the desk's copies (counts stay)."""
        with self._db.transaction() as conn:
            conn.execute(
                "DELETE FROM staff_copies WHERE thread IN (SELECT thread FROM handoff_cases "
                "WHERE closed_at IS NOT NULL AND closed_at < %s)",
                [before],
            )
            return conn.execute(
                "DELETE FROM handoff_cases WHERE closed_at IS NOT NULL AND closed_at < %s",
                [before],
            ).rowcount

    def feedback_counts(self) -> dict[str, int]:
        with self._db.transaction() as conn:
            rows = conn.execute("SELECT answer, count FROM handoff_feedback").fetchall()
        return {row["answer"]: int(row["count"]) for row in rows}

    def _one(self, where: str, values: list[Any]) -> Case | None:
        with self._db.transaction() as conn:
            row = conn.execute(
                f"SELECT * FROM handoff_cases WHERE {where} "  # noqa: S608 - fixed clauses
                "ORDER BY requested_at DESC LIMIT 1",
                values,
            ).fetchone()
        return _case(row) if row else None

    def _update(self, case: Case, assignments: str, values: list[Any]) -> None:
        with self._db.transaction() as conn:
            conn.execute(
                f"UPDATE handoff_cases SET {assignments} WHERE case_id = %s",  # noqa: S608
                [*values, case.case_id],
            )


def forget_cases(conn: Connection, user_key: UserKey) -> None:
    """Inside /forget's transaction (the desk erased its copies in the thread before)."""
    conn.execute(
        "DELETE FROM staff_copies WHERE thread IN "
        "(SELECT thread FROM handoff_cases WHERE user_key = %s)",
        [str(user_key)],
    )
    conn.execute("DELETE FROM handoff_cases WHERE user_key = %s", [str(user_key)])


class PostgresStaffCopies:
    """The ids of the bot's own messages in each staff thread, nothing else."""

    def __init__(self, db: PostgresDatabase) -> None:
        self._db = db

    def record(self, thread: str, message_id: int, at: datetime) -> None:
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT INTO staff_copies (thread, message_id, sent_at) VALUES (%s, %s, %s) "
                "ON CONFLICT (thread, message_id) DO UPDATE SET sent_at = excluded.sent_at",
                [thread, message_id, at],
            )

    def since(self, thread: str, after: datetime) -> list[int]:
        with self._db.transaction() as conn:
            rows = conn.execute(
                "SELECT message_id FROM staff_copies WHERE thread = %s AND sent_at >= %s "
                "ORDER BY message_id",
                [thread, after],
            ).fetchall()
        return [int(row["message_id"]) for row in rows]

    def drop(self, thread: str) -> None:
        with self._db.transaction() as conn:
            conn.execute("DELETE FROM staff_copies WHERE thread = %s", [thread])
