"""The connection every PostgreSQL store of one process shares.

Why one connection guarded by a lock, not a pool: the stores are synchronous, like the SQLite
ones they stand in for, and the bot calls them from its event loop, one call at a time; a pool
would hold idle connections without adding concurrency. The lock makes the rare caller in a
worker thread safe, and keeps a transaction's statements together. What must run in parallel
has its own connections: each replica is a process of its own, and the turn lock
(`turn_locks.py`) keeps one connection per turn in progress, since an advisory lock is held
by the connection that took it.

A connection the server dropped (a restart, a fail-over) is replaced on the next call; the
call that found it broken fails, as a SQLite "database is locked" does, and the caller's usual
retry (the outbox's next pass, the person's next message) finds a fresh one.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg.rows import dict_row

from bot.storage.postgres.migrate import apply_migrations

Connection = psycopg.Connection[dict[str, Any]]


def connect(url: str) -> Connection:
    """Autocommit, so a read outside `transaction()` leaves no transaction open; times in UTC."""
    return psycopg.connect(url, autocommit=True, row_factory=dict_row, options="-c TimeZone=UTC")


class PostgresDatabase:
    def __init__(self, url: str, *, migrate: bool = True) -> None:
        self._url = url
        self._lock = threading.RLock()
        self._conn: Connection | None = None
        if migrate:
            with self._lock:
                apply_migrations(self._connection())

    @property
    def url(self) -> str:
        return self._url

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One transaction on the shared connection; nested calls become savepoints."""
        with self._lock:
            conn = self._connection()
            with conn.transaction():
                yield conn

    def ping(self) -> bool:
        """For /readyz."""
        try:
            with self.transaction() as conn:
                conn.execute("SELECT 1").fetchone()
        except psycopg.Error:
            return False
        return True

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def _connection(self) -> Connection:
        if self._conn is None or self._conn.closed or self._conn.broken:
            self._conn = connect(self._url)
        return self._conn
