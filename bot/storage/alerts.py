"""Scam-alert subscriptions and broadcasts in SQLite. A subscription is the person's key and
language, nothing more. Queueing writes the alert and one row per subscriber in one transaction,
so a broadcast is either fully queued or not at all (see `bot/delivery/broadcaster.py` for how
a row moves)."""

from __future__ import annotations

import contextlib
import fcntl
import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import sqlite_utils

from bot.core.alerts import Alert, BroadcastCounts, Delivery, Outcome
from bot.core.identity import UserKey
from bot.core.languages import Language
from bot.core.ports import Clock
from bot.storage.database import open_database, write_transaction
from bot.storage.timestamps import iso, parse_iso

_SETTLED = {
    Outcome.SENT: "sent",
    Outcome.GONE: "unsubscribed",
    Outcome.REFUSED: "failed",
}


class SqliteSubscriptions:
    def __init__(self, db: sqlite_utils.Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    def is_subscribed(self, user_key: UserKey) -> bool:
        row = self._db.execute(
            "SELECT 1 FROM alert_subscribers WHERE user_key = ?", [str(user_key)]
        ).fetchone()
        return row is not None

    def subscribe(self, user_key: UserKey, language: Language) -> None:
        with write_transaction(self._db):
            self._db.execute(
                "INSERT INTO alert_subscribers (user_key, language, since) VALUES (?, ?, ?) "
                "ON CONFLICT (user_key) DO UPDATE SET language = excluded.language",
                [str(user_key), language, iso(self._clock.now())],
            )

    def unsubscribe(self, user_key: UserKey) -> None:
        """Alerts still waiting for them are not sent either: they asked to stop."""
        with write_transaction(self._db):
            self._db.execute("DELETE FROM alert_subscribers WHERE user_key = ?", [str(user_key)])
            self._db.execute(
                "UPDATE alert_deliveries SET state = 'unsubscribed', settled_at = ? "
                "WHERE user_key = ? AND state = 'waiting'",
                [iso(self._clock.now()), str(user_key)],
            )

    def follow_language(self, user_key: UserKey, language: Language) -> None:
        with write_transaction(self._db):
            self._db.execute(
                "UPDATE alert_subscribers SET language = ? WHERE user_key = ? AND language != ?",
                [language, str(user_key), language],
            )

    def count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM alert_subscribers").fetchone()[0])

    def by_language(self) -> dict[Language, int]:
        rows = self._db.execute(
            "SELECT language, count(*) FROM alert_subscribers GROUP BY language"
        ).fetchall()
        return {str(language): int(count) for language, count in rows}


class SqliteBroadcasts:
    def __init__(self, db: sqlite_utils.Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    def queue(self, alert: Alert) -> int | None:
        now = iso(self._clock.now())
        with write_transaction(self._db):
            if self._db.execute(
                "SELECT 1 FROM alert_broadcasts WHERE name = ?", [alert.name]
            ).fetchone():
                return None
            self._db.execute(
                "INSERT INTO alert_broadcasts (name, texts, topic, report, send_after, queued_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [
                    alert.name,
                    json.dumps(alert.texts, ensure_ascii=False),
                    alert.topic,
                    int(alert.report),
                    iso(alert.send_after),
                    now,
                ],
            )
            cursor = self._db.execute(
                "INSERT INTO alert_deliveries "
                "(alert, user_key, language, state, attempts, due_at) "
                "SELECT ?, user_key, language, 'waiting', 0, ? FROM alert_subscribers",
                [alert.name, iso(alert.send_after)],
            )
            return int(cursor.rowcount)

    def alert(self, name: str) -> Alert | None:
        row = self._db.execute(
            "SELECT name, texts, topic, report, send_after FROM alert_broadcasts WHERE name = ?",
            [name],
        ).fetchone()
        if row is None:
            return None
        return Alert(
            name=row[0],
            texts=dict(json.loads(row[1])),
            send_after=parse_iso(row[4]),
            topic=row[2],
            report=bool(row[3]),
        )

    def due(self, now: datetime, limit: int, skip: frozenset[tuple[str, str]]) -> list[Delivery]:
        rows = self._db.execute(
            "SELECT alert, user_key, language, attempts FROM alert_deliveries "
            "WHERE state = 'waiting' AND due_at <= ? ORDER BY due_at, alert, user_key LIMIT ?",
            [iso(now), limit + len(skip)],
        ).fetchall()
        found = [
            Delivery(alert, UserKey.parse(key), language, attempts)
            for alert, key, language, attempts in rows
            if (alert, key) not in skip
        ]
        return found[:limit]

    def record(
        self, delivery: Delivery, outcome: Outcome, now: datetime, retry_at: datetime | None
    ) -> None:
        key = str(delivery.user_key)
        with write_transaction(self._db):
            if outcome in _SETTLED:
                self._db.execute(
                    "UPDATE alert_deliveries SET state = ?, attempts = attempts + 1, "
                    "settled_at = ? WHERE alert = ? AND user_key = ? AND state = 'waiting'",
                    [_SETTLED[outcome], iso(now), delivery.alert, key],
                )
            else:
                self._db.execute(
                    "UPDATE alert_deliveries SET attempts = attempts + 1, due_at = ? "
                    "WHERE alert = ? AND user_key = ? AND state = 'waiting'",
                    [iso(retry_at or now), delivery.alert, key],
                )
            if outcome is Outcome.GONE:
                self._db.execute("DELETE FROM alert_subscribers WHERE user_key = ?", [key])

    def counts(self, alert: str | None = None) -> BroadcastCounts:
        where, values = ("WHERE alert = ?", [alert]) if alert else ("", [])
        found = dict(
            self._db.execute(
                f"SELECT state, count(*) FROM alert_deliveries {where} GROUP BY state",  # noqa: S608
                values,
            ).fetchall()
        )
        return BroadcastCounts(
            sent=found.get("sent", 0),
            waiting=found.get("waiting", 0),
            failed=found.get("failed", 0),
            unsubscribed=found.get("unsubscribed", 0),
        )

    def names(self) -> list[str]:
        return [
            row[0]
            for row in self._db.execute("SELECT name FROM alert_broadcasts ORDER BY queued_at")
        ]

    def anonymise_settled(self, before: datetime) -> int:
        """Retention: once a row is settled and old, who it went to is dropped and only its
        state stays, so `alerts status` keeps its counts."""
        with write_transaction(self._db):
            cursor = self._db.execute(
                "UPDATE alert_deliveries SET user_key = 'settled:' || rowid "
                "WHERE state != 'waiting' AND settled_at < ? AND user_key NOT LIKE 'settled:%'",
                [iso(before)],
            )
        return int(cursor.rowcount)

    def next_due(self) -> datetime | None:
        row = self._db.execute(
            "SELECT min(due_at) FROM alert_deliveries WHERE state = 'waiting'"
        ).fetchone()
        return parse_iso(row[0]) if row[0] else None


def open_sender_database(path: Path | str) -> sqlite_utils.Database:
    """The alert sender's own connection. A recipient's row is written right after Telegram
    answers, and a kill before that write means a second copy after the restart. With
    `synchronous=NORMAL` the write is a WAL append without an fsync, which survives the death
    of the process (only a power cut may lose it), so that gap shrinks from one fsync to a few
    hundred microseconds. Reports keep the fully synced default on their connections."""
    db = open_database(path)
    db.execute("PRAGMA synchronous=NORMAL")
    return db


@contextlib.contextmanager
def sender_lock(db_path: Path) -> Iterator[bool]:
    """True while this process is the one alert sender. An OS lock on a file beside the
    database, so a killed sender releases it at once and its restart can carry on."""
    if str(db_path) == ":memory:":
        yield True
        return
    path = db_path.with_name(db_path.name + ".alerts.lock")
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def forget_alerts(db: sqlite_utils.Database, user_key: UserKey) -> None:
    """Inside /forget's transaction: the subscription and every delivery row of theirs."""
    db.execute("DELETE FROM alert_subscribers WHERE user_key = ?", [str(user_key)])
    db.execute("DELETE FROM alert_deliveries WHERE user_key = ?", [str(user_key)])
