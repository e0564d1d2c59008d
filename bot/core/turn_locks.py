"""One person's turns run one at a time, in the order they arrived: the session is read,
changed and written by one turn at a time, and replies go out in order.

`TurnLocks` is the port. `LocalTurnLocks` serves one process; several replicas need a lock they
all see (a database advisory lock on the key), behind the same `hold`.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Protocol

from bot.core.identity import UserKey


class TurnLocks(Protocol):
    def hold(self, key: UserKey) -> AbstractAsyncContextManager[None]:
        """Waits for the person's earlier turns; first come, first served."""
        ...


class LocalTurnLocks:
    """asyncio locks are first come, first served, which keeps a person's order. A lock lives
    while someone holds or waits for it, so idle people cost no memory."""

    def __init__(self) -> None:
        self._locks: weakref.WeakValueDictionary[UserKey, asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )

    @asynccontextmanager
    async def hold(self, key: UserKey) -> AsyncIterator[None]:
        lock = self._locks.get(key)
        if lock is None:
            lock = self._locks[key] = asyncio.Lock()
        async with lock:
            yield
