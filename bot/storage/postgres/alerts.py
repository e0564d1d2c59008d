"""Scam-alert subscriptions and broadcasts in PostgreSQL, shared by every replica's sender
(the row's life is drawn in `bot/delivery/broadcaster.py`).

With SQLite one sender per machine holds a file lock. Here each replica may send, so:

| concern                     | how it holds across replicas                                   |
|-----------------------------|----------------------------------------------------------------|
| a row sent once             | `due` claims rows `FOR UPDATE SKIP LOCKED` and leases them      |
|                             | (`claimed_until`); `record` settles or reschedules and drops   |
|                             | the claim. A sender that dies mid-send leaves the row to the   |
|                             | next after the lease: the same one-repeat window as a restart. |
| the overall rate cap        | `PostgresSendQuota`: every broadcast message takes a slot in   |
|                             | `alert_sends` under one advisory lock, counted in the server's |
|                             | clock, so N replicas together stay under the budget.           |
"""

from __future__ import annotations

from datetime import datetime, timedelta

from psycopg.types.json import Jsonb

from bot.core.alerts import Alert, BroadcastCounts, Delivery, Outcome
from bot.core.identity import UserKey
from bot.core.languages import Language
from bot.core.ports import Clock
from bot.storage.postgres.database import Connection, PostgresDatabase

LEASE = timedelta(minutes=2)
# The advisory lock every replica's quota check takes (a fixed number of ours).
QUOTA_LOCK = 0x5741_5350_414C_5254  # "WASPALRT"
_SETTLED = {
    Outcome.SENT: "sent",
    Outcome.GONE: "unsubscribed",
    Outcome.REFUSED: "failed",
}


class PostgresSubscriptions:
    def __init__(self, db: PostgresDatabase, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    def is_subscribed(self, user_key: UserKey) -> bool:
        with self._db.transaction() as conn:
            row = conn.execute(
                "SELECT 1 FROM alert_subscribers WHERE user_key = %s", [str(user_key)]
            ).fetchone()
        return row is not None

    def subscribe(self, user_key: UserKey, language: Language) -> None:
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT INTO alert_subscribers (user_key, language, since) VALUES (%s, %s, %s) "
                "ON CONFLICT (user_key) DO UPDATE SET language = excluded.language",
                [str(user_key), language, self._clock.now()],
            )

    def unsubscribe(self, user_key: UserKey) -> None:
        """Alerts still waiting for them are not sent either: they asked to stop."""
        with self._db.transaction() as conn:
            conn.execute("DELETE FROM alert_subscribers WHERE user_key = %s", [str(user_key)])
            conn.execute(
                "UPDATE alert_deliveries SET state = 'unsubscribed', settled_at = %s "
                "WHERE user_key = %s AND state = 'waiting'",
                [self._clock.now(), str(user_key)],
            )

    def follow_language(self, user_key: UserKey, language: Language) -> None:
        with self._db.transaction() as conn:
            conn.execute(
                "UPDATE alert_subscribers SET language = %s WHERE user_key = %s AND language != %s",
                [language, str(user_key), language],
            )

    def count(self) -> int:
        with self._db.transaction() as conn:
            row = conn.execute("SELECT count(*) AS n FROM alert_subscribers").fetchone()
        return int(row["n"]) if row else 0

    def by_language(self) -> dict[Language, int]:
        with self._db.transaction() as conn:
            rows = conn.execute(
                "SELECT language, count(*) AS n FROM alert_subscribers GROUP BY language"
            ).fetchall()
        return {str(row["language"]): int(row["n"]) for row in rows}


class PostgresBroadcasts:
    def __init__(self, db: PostgresDatabase, clock: Clock, lease: timedelta = LEASE) -> None:
        self._db = db
        self._clock = clock
        self._lease = lease

    def queue(self, alert: Alert) -> int | None:
        """The alert and one row per subscriber, or nothing if it was queued before (by any
        replica: the name's primary key decides)."""
        with self._db.transaction() as conn:
            inserted = conn.execute(
                "INSERT INTO alert_broadcasts (name, texts, topic, report, send_after, "
                "queued_at) VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (name) DO NOTHING",
                [
                    alert.name,
                    Jsonb(alert.texts),
                    alert.topic,
                    alert.report,
                    alert.send_after,
                    self._clock.now(),
                ],
            ).rowcount
            if not inserted:
                return None
            return conn.execute(
                "INSERT INTO alert_deliveries (alert, user_key, language, state, attempts, "
                "due_at) SELECT %s, user_key, language, 'waiting', 0, %s FROM alert_subscribers",
                [alert.name, alert.send_after],
            ).rowcount

    def alert(self, name: str) -> Alert | None:
        with self._db.transaction() as conn:
            row = conn.execute(
                "SELECT name, texts, topic, report, send_after FROM alert_broadcasts "
                "WHERE name = %s",
                [name],
            ).fetchone()
        if row is None:
            return None
        return Alert(
            name=row["name"],
            texts=dict(row["texts"]),
            send_after=row["send_after"],
            topic=row["topic"],
            report=row["report"],
        )

    def due(self, now: datetime, limit: int, skip: frozenset[tuple[str, str]]) -> list[Delivery]:
        """Waiting rows whose time has come, claimed for this replica's sender."""
        with self._db.transaction() as conn:
            rows = conn.execute(
                "SELECT alert, user_key, language, attempts FROM alert_deliveries "
                "WHERE state = 'waiting' AND due_at <= %s "
                "AND (claimed_until IS NULL OR claimed_until <= %s) "
                "ORDER BY due_at, alert, user_key LIMIT %s FOR UPDATE SKIP LOCKED",
                [now, now, limit + len(skip)],
            ).fetchall()
            found = [row for row in rows if (row["alert"], row["user_key"]) not in skip][:limit]
            for row in found:
                conn.execute(
                    "UPDATE alert_deliveries SET claimed_until = %s "
                    "WHERE alert = %s AND user_key = %s",
                    [now + self._lease, row["alert"], row["user_key"]],
                )
        return [
            Delivery(row["alert"], UserKey.parse(row["user_key"]), row["language"], row["attempts"])
            for row in found
        ]

    def record(
        self, delivery: Delivery, outcome: Outcome, now: datetime, retry_at: datetime | None
    ) -> None:
        key = str(delivery.user_key)
        with self._db.transaction() as conn:
            if outcome in _SETTLED:
                conn.execute(
                    "UPDATE alert_deliveries SET state = %s, attempts = attempts + 1, "
                    "settled_at = %s, claimed_until = NULL "
                    "WHERE alert = %s AND user_key = %s AND state = 'waiting'",
                    [_SETTLED[outcome], now, delivery.alert, key],
                )
            else:
                conn.execute(
                    "UPDATE alert_deliveries SET attempts = attempts + 1, due_at = %s, "
                    "claimed_until = NULL "
                    "WHERE alert = %s AND user_key = %s AND state = 'waiting'",
                    [retry_at or now, delivery.alert, key],
                )
            if outcome is Outcome.GONE:
                conn.execute("DELETE FROM alert_subscribers WHERE user_key = %s", [key])

    def counts(self, alert: str | None = None) -> BroadcastCounts:
        where, values = ("WHERE alert = %s", [alert]) if alert else ("", [])
        with self._db.transaction() as conn:
            rows = conn.execute(
                f"SELECT state, count(*) AS n FROM alert_deliveries {where} "  # noqa: S608
                "GROUP BY state",
                values,
            ).fetchall()
        found = {row["state"]: int(row["n"]) for row in rows}
        return BroadcastCounts(
            sent=found.get("sent", 0),
            waiting=found.get("waiting", 0),
            failed=found.get("failed", 0),
            unsubscribed=found.get("unsubscribed", 0),
        )

    def names(self) -> list[str]:
        with self._db.transaction() as conn:
            rows = conn.execute("SELECT name FROM alert_broadcasts ORDER BY queued_at").fetchall()
        return [row["name"] for row in rows]

    def anonymise_settled(self, before: datetime) -> int:
        """Retention: settled, old rows keep their state but not who they went to."""
        with self._db.transaction() as conn:
            return conn.execute(
                "UPDATE alert_deliveries SET user_key = 'settled:' || delivery_id "
                "WHERE state != 'waiting' AND settled_at < %s "
                "AND user_key NOT LIKE 'settled:%%'",
                [before],
            ).rowcount

    def next_due(self) -> datetime | None:
        with self._db.transaction() as conn:
            row = conn.execute(
                "SELECT min(greatest(due_at, coalesce(claimed_until, due_at))) AS at "
                "FROM alert_deliveries WHERE state = 'waiting'"
            ).fetchone()
        return row["at"] if row else None


class PostgresSendQuota:
    """The broadcast budget per second shared by every replica's sender (`SendQuota` in
    `bot/core/pacing.py`). A slot is taken before each broadcast message, under one advisory
    lock, and counted in the server's clock (`clock_timestamp()`), so replicas whose clocks
    differ still count the same second. Chat replies are each replica's own pacer's business:
    they never wait, and the `reserve` of the budget is kept for them."""

    def __init__(self, db: PostgresDatabase, per_second: int) -> None:
        self._db = db
        self._budget = per_second

    def take(self) -> float:
        """0 when a slot was taken now; otherwise the seconds until one frees up."""
        with self._db.transaction() as conn:
            conn.execute("SELECT pg_advisory_xact_lock(%s)", [QUOTA_LOCK])
            return _take(conn, self._budget)


def _take(conn: Connection, budget: int) -> float:
    conn.execute("DELETE FROM alert_sends WHERE sent_at < clock_timestamp() - interval '1 minute'")
    row = conn.execute(
        "SELECT count(*) AS n, clock_timestamp() AS now FROM alert_sends "
        "WHERE sent_at > clock_timestamp() - interval '1 second'"
    ).fetchone()
    assert row is not None  # noqa: S101 - an aggregate always has a row
    if int(row["n"]) < budget:
        conn.execute("INSERT INTO alert_sends (sent_at) VALUES (clock_timestamp())")
        return 0.0
    oldest = conn.execute(
        "SELECT sent_at FROM alert_sends WHERE sent_at > %s - interval '1 second' "
        "ORDER BY sent_at DESC OFFSET %s LIMIT 1",
        [row["now"], budget - 1],
    ).fetchone()
    if oldest is None:
        return 0.001
    waited: timedelta = oldest["sent_at"] + timedelta(seconds=1) - row["now"]
    return max(waited.total_seconds(), 0.001)


def forget_alerts(conn: Connection, user_key: UserKey) -> None:
    """Inside /forget's transaction: the subscription and every delivery row of theirs."""
    conn.execute("DELETE FROM alert_subscribers WHERE user_key = %s", [str(user_key)])
    conn.execute("DELETE FROM alert_deliveries WHERE user_key = %s", [str(user_key)])
