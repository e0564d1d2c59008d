"""Sessions in PostgreSQL: the core's `SessionStore`, as `bot/storage/sessions.py` keeps them.

| column                              | holds                                              |
|-------------------------------------|----------------------------------------------------|
| user_key                            | `UserKey`'s text form                              |
| chosen_language, last_language      | language codes; whether still offered is the core's call |
| flow, flow_state                    | the flow in progress and its state (jsonb)         |
| context, answered                   | follow-up context; answers open for 👍/👎 (jsonb)   |
| updated_at                          | retention drops abandoned flows by it              |
"""

from __future__ import annotations

from datetime import datetime

from psycopg.types.json import Jsonb

from bot.core.clock import SystemClock
from bot.core.identity import UserKey
from bot.core.languages import Language
from bot.core.ports import Clock
from bot.core.session import Session
from bot.storage.postgres.database import PostgresDatabase


def _language(value: object) -> Language | None:
    return value if isinstance(value, str) and value else None


class PostgresSessionStore:
    def __init__(self, db: PostgresDatabase, clock: Clock | None = None) -> None:
        self._db = db
        self._clock = clock or SystemClock()

    def load(self, user_key: UserKey) -> Session:
        with self._db.transaction() as conn:
            row = conn.execute(
                "SELECT * FROM sessions WHERE user_key = %s", [str(user_key)]
            ).fetchone()
        if row is None:
            return Session(user_key=user_key)
        return Session(
            user_key=user_key,
            chosen_language=_language(row["chosen_language"]),
            last_language=_language(row["last_language"]),
            flow=row["flow"],
            flow_state=row["flow_state"] or {},
            context=row["context"] or {},
            answered=row["answered"] or {},
        )

    def save(self, session: Session) -> None:
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT INTO sessions (user_key, chosen_language, last_language, flow, "
                "flow_state, context, answered, updated_at) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (user_key) DO UPDATE SET "
                "chosen_language = excluded.chosen_language, "
                "last_language = excluded.last_language, flow = excluded.flow, "
                "flow_state = excluded.flow_state, context = excluded.context, "
                "answered = excluded.answered, updated_at = excluded.updated_at",
                [
                    str(session.user_key),
                    session.chosen_language,
                    session.last_language,
                    session.flow,
                    Jsonb(session.flow_state),
                    Jsonb(session.context),
                    Jsonb(session.answered) if session.answered else None,
                    self._clock.now(),
                ],
            )

    def drop_abandoned_flows(self, before: datetime) -> int:
        """Retention, as `SqliteSessionStore.drop_abandoned_flows`: the person keeps their
        language, loses a half-written report and unrated answers."""
        with self._db.transaction() as conn:
            cursor = conn.execute(
                "UPDATE sessions SET flow = NULL, flow_state = NULL, answered = NULL "
                "WHERE (flow IS NOT NULL OR flow_state IS NOT NULL OR answered IS NOT NULL) "
                "AND updated_at < %s",
                [before],
            )
        return cursor.rowcount

    def forget(self, user_key: UserKey) -> None:
        """A forgotten person is a new user: no row at all."""
        with self._db.transaction() as conn:
            conn.execute("DELETE FROM sessions WHERE user_key = %s", [str(user_key)])
