"""Sessions in SQLite, so a restart never loses a person's language or place in a flow."""

from __future__ import annotations

import json
from datetime import datetime

import sqlite_utils
from sqlite_utils.db import NotFoundError

from bot.core.clock import SystemClock
from bot.core.identity import UserKey
from bot.core.languages import Language
from bot.core.ports import Clock
from bot.core.session import Session
from bot.storage.database import checkpoint, write_transaction


def _language(value: object) -> Language | None:
    """Whether the language is still offered is the core's call (`Languages.known`)."""
    return value if isinstance(value, str) and value else None


class SqliteSessionStore:
    def __init__(self, db: sqlite_utils.Database, clock: Clock | None = None) -> None:
        self._db = db
        self._table = db.table("sessions")
        self._clock = clock or SystemClock()

    def load(self, user_key: UserKey) -> Session:
        try:
            row = self._table.get(str(user_key))
        except NotFoundError:
            return Session(user_key=user_key)
        return Session(
            user_key=user_key,
            chosen_language=_language(row["chosen_language"]),
            last_language=_language(row["last_language"]),
            flow=row["flow"],
            flow_state=json.loads(row["flow_state"] or "{}"),
            context=json.loads(row.get("context") or "{}"),
            answered=json.loads(row.get("answered") or "{}"),
        )

    def save(self, session: Session) -> None:
        self._table.upsert(
            {
                "user_key": str(session.user_key),
                "chosen_language": session.chosen_language,
                "last_language": session.last_language,
                "flow": session.flow,
                "flow_state": json.dumps(session.flow_state, ensure_ascii=False),
                "context": json.dumps(session.context, ensure_ascii=False),
                "answered": (
                    json.dumps(session.answered, ensure_ascii=False) if session.answered else None
                ),
                "updated_at": self._clock.now().isoformat(),
            },
            pk="user_key",
        )

    def drop_abandoned_flows(self, before: datetime) -> int:
        """Retention: a report (or checklist) left half way and untouched since `before` loses
        its place and everything typed into it, and answers left unrated lose the redacted
        question behind them; the person keeps their language."""
        with write_transaction(self._db):
            cursor = self._db.execute(
                "UPDATE sessions SET flow = NULL, flow_state = NULL, answered = NULL "
                "WHERE (flow IS NOT NULL OR flow_state IS NOT NULL OR answered IS NOT NULL) "
                "AND updated_at < ?",
                [before.isoformat()],
            )
        if cursor.rowcount:
            checkpoint(self._db)
        return int(cursor.rowcount)

    def forget(self, user_key: UserKey) -> None:
        """A forgotten person is a new user: no row at all, not a row of empty values."""
        self._table.delete_where("user_key = ?", [str(user_key)])
        checkpoint(self._db)
