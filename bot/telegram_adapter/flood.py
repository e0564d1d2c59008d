"""A per-person flood guard: someone sending faster than anyone can read gets one kind word,
then silence until they slow down, so one chat cannot starve everyone else."""

from __future__ import annotations

import time
from collections import defaultdict, deque
from collections.abc import Callable
from typing import Literal

Verdict = Literal["ok", "warn", "drop"]


class FloodGuard:
    def __init__(
        self, limit: int = 8, window: float = 10.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._limit = limit
        self._window = window
        self._clock = clock
        self._seen: dict[int, deque[float]] = defaultdict(deque)
        self._warned: set[int] = set()

    def check(self, user_id: int) -> Verdict:
        now = self._clock()
        seen = self._seen[user_id]
        while seen and now - seen[0] > self._window:
            seen.popleft()
        seen.append(now)
        if len(seen) <= self._limit:
            self._warned.discard(user_id)
            return "ok"
        if user_id in self._warned:
            return "drop"
        self._warned.add(user_id)
        return "warn"
