"""`TurnLocks` for several replicas: one person's turns run one at a time, in arrival order,
whichever replica each update reached.

    turn ──LocalTurnLocks (this process, FIFO)──▶ connection from the pool
         ──BEGIN; pg_advisory_xact_lock(hash of the key)──▶ the turn runs ──ROLLBACK──▶ next

- **The local lock first**: turns of one person in one process queue in asyncio's FIFO order
  without holding a connection each; only the first of them waits in PostgreSQL.
- **A transaction-scoped advisory lock**: PostgreSQL grants waiters of one lock in the order
  they asked, and a transaction's lock can never outlive it: a replica killed mid-turn drops
  its connection, the server ends the transaction, and the next turn goes ahead. Nothing is
  written in that transaction; it exists to hold the lock, and ends with ROLLBACK.
- **One connection per turn in progress**: an advisory lock belongs to the connection that
  took it, so the stores' shared connection (`database.py`) cannot hold it. The pool keeps up
  to `max_connections` async connections (a turn beyond that waits for one), and up to
  `max_idle` of them open between turns.
- **The key** is the first 8 bytes of BLAKE2b of `UserKey`'s text, as a signed bigint: stable
  across processes and versions (Python's `hash` is salted, PostgreSQL's `hashtext` is not
  promised stable). Two people sharing a hash only wait for each other; nothing is mixed up.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import psycopg

from bot.core.identity import UserKey
from bot.core.turn_locks import LocalTurnLocks

log = logging.getLogger(__name__)


def lock_key(key: UserKey) -> int:
    digest = hashlib.blake2b(str(key).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class PostgresTurnLocks:
    def __init__(self, url: str, *, max_connections: int = 10, max_idle: int = 4) -> None:
        self._url = url
        self._local = LocalTurnLocks()
        self._slots = asyncio.Semaphore(max_connections)
        self._idle: list[psycopg.AsyncConnection[tuple[object, ...]]] = []
        self._max_idle = max_idle

    @asynccontextmanager
    async def hold(self, key: UserKey) -> AsyncIterator[None]:
        async with self._local.hold(key), self._slots:
            conn = await self._checkout()
            try:
                await conn.execute("BEGIN")
                await conn.execute("SELECT pg_advisory_xact_lock(%s)", [lock_key(key)])
            except BaseException:
                await conn.close()  # a cancelled wait must not leave a lock request behind
                raise
            try:
                yield
            finally:
                await self._release(conn)

    async def aclose(self) -> None:
        idle, self._idle = self._idle, []
        for conn in idle:
            await conn.close()

    async def _checkout(self) -> psycopg.AsyncConnection[tuple[object, ...]]:
        while self._idle:
            conn = self._idle.pop()
            if not conn.closed and not conn.broken:
                return conn
        return await psycopg.AsyncConnection.connect(self._url, autocommit=True)

    async def _release(self, conn: psycopg.AsyncConnection[tuple[object, ...]]) -> None:
        """Ends the transaction, which releases the lock; a broken connection is dropped (the
        server released its lock when the connection died)."""
        try:
            await conn.execute("ROLLBACK")
        except psycopg.Error as error:
            log.warning("turn lock connection dropped: %s", type(error).__name__)
            await conn.close()
            return
        except BaseException:
            await conn.close()  # cancelled mid-ROLLBACK: closing ends the transaction too
            raise
        if len(self._idle) < self._max_idle:
            self._idle.append(conn)
        else:
            await conn.close()
