"""/forget as one unit of work over every PostgreSQL store, in one transaction: reports (their
words, and the outbox entries of those not yet sent), screenshots, notices, the alert
subscription, talk-to-a-person cases, messages kept for review, and the session. The rules are
`SqliteForgetting`'s (`bot/storage/forget.py`); the anonymous usage counts hold no one and stay.

The person's report rows are locked first (`FOR UPDATE`): a replica's dispatcher recording a
delivery at that moment waits for the erasure, then records the complaint id on the reduced
row, as with SQLite.
"""

from __future__ import annotations

from bot.core.identity import UserKey
from bot.core.ports import Clock
from bot.storage.postgres.alerts import forget_alerts
from bot.storage.postgres.database import PostgresDatabase
from bot.storage.postgres.evidence import forget_evidence
from bot.storage.postgres.handoff import forget_cases
from bot.storage.postgres.report_rows import erase_reports
from bot.storage.postgres.review import forget_review


class PostgresForgetting:
    def __init__(self, db: PostgresDatabase, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    def forget(self, user_key: UserKey) -> int:
        """Erases what we hold about this person; returns how many reports were touched."""
        now = self._clock.now()
        key = str(user_key)
        with self._db.transaction() as conn:
            ids = [
                row["report_id"]
                for row in conn.execute(
                    "SELECT report_id FROM reports WHERE user_key = %s FOR UPDATE", [key]
                )
            ]
            if ids:
                conn.execute("DELETE FROM outbox WHERE report_id = ANY(%s)", [ids])
                conn.execute(
                    "UPDATE reports SET withdrawn_at = %s "
                    "WHERE report_id = ANY(%s) AND delivery IN ('queued', 'held')",
                    [now, ids],
                )
                erase_reports(conn, ids, now, forget_person=True)
            forget_evidence(conn, user_key, ids)
            conn.execute("DELETE FROM notices WHERE user_key = %s", [key])
            forget_alerts(conn, user_key)
            forget_cases(conn, user_key)
            forget_review(conn, user_key)
            conn.execute("DELETE FROM sessions WHERE user_key = %s", [key])
        return len(ids)
