"""/forget as one unit of work over every store: reports, their outbox entries, screenshots,
notices waiting for the person, their alert subscription, their talk-to-a-person cases, their
messages kept for review, and the session, in one transaction. The anonymous usage counts hold
no one and stay.
Afterwards the person is exactly like a new user; the chat's message ids are the channel's to
drop (`forgets_person`)."""

from __future__ import annotations

import sqlite_utils

from bot.core.identity import UserKey
from bot.core.ports import Clock
from bot.storage.alerts import forget_alerts
from bot.storage.database import checkpoint, write_transaction
from bot.storage.evidence import forget_evidence
from bot.storage.handoff import forget_cases
from bot.storage.report_rows import erase_reports, placeholders
from bot.storage.review import forget_review
from bot.storage.timestamps import iso


class SqliteForgetting:
    def __init__(self, db: sqlite_utils.Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    def forget(self, user_key: UserKey) -> int:
        """Erases what we hold about this person; returns how many reports were touched.

        Every report of theirs is reduced to report_id, reference, complaint_id, category, dates
        and states: the description, URLs, contact details, user key and reporter ref are
        erased. A report not yet delivered is also withdrawn (its outbox entry, the body that
        would have been sent, is deleted): the person asked us to forget, and sending their
        words on after that would break the promise. Their session row goes too.
        A send already in flight may still land; `mark_delivered` then records the complaint
        id on the reduced row, so staff can still match it with the API.
        """
        now = iso(self._clock.now())
        with write_transaction(self._db):
            ids = [
                row["report_id"]
                for row in self._db.query(
                    "SELECT report_id FROM reports WHERE user_key = ?", [str(user_key)]
                )
            ]
            if ids:
                marks = placeholders(ids)
                self._db.execute(f"DELETE FROM outbox WHERE report_id IN ({marks})", ids)  # noqa: S608
                self._db.execute(
                    "UPDATE reports SET withdrawn_at = ? "  # noqa: S608 - placeholders only
                    f"WHERE report_id IN ({marks}) AND delivery IN ('queued', 'held')",
                    [now, *ids],
                )
                erase_reports(self._db, ids, now, forget_person=True)
            forget_evidence(self._db, user_key, ids)
            self._db.execute("DELETE FROM notices WHERE user_key = ?", [str(user_key)])
            forget_alerts(self._db, user_key)
            forget_cases(self._db, user_key)
            forget_review(self._db, user_key)
            if self._db.table("sessions").exists():
                self._db.table("sessions").delete_where("user_key = ?", [str(user_key)])
        checkpoint(self._db)
        return len(ids)
