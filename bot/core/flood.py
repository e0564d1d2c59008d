"""A per-person flood policy: someone sending faster than anyone can read gets one kind word,
then silence until they slow down, so one chat cannot starve everyone else.

| what they did     | budget (default) | over budget, first time | after that          |
|-------------------|------------------|-------------------------|---------------------|
| messages, files…  | 8 per 10 s       | "please slow down"      | dropped, unanswered |
| button presses    | 20 per 10 s      | the same, as a notice   | dropped, unanswered |

Presses have the wider budget: going through a report or the menus is many quick taps, but 300
presses of one button must not make everyone else wait. Counted in this process's memory: a
second replica needs a shared counter behind the same `check`.
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass
from typing import Literal

from bot.core.identity import UserKey
from bot.core.messages import IncomingKind
from bot.core.ports import Clock

Verdict = Literal["ok", "warn", "drop"]


@dataclass(frozen=True)
class FloodBudget:
    messages: int = 8
    presses: int = 20
    window_s: float = 10.0


class FloodPolicy:
    def __init__(self, clock: Clock, budget: FloodBudget | None = None) -> None:
        self._clock = clock
        self._budget = budget or FloodBudget()
        self._seen: dict[tuple[UserKey, bool], deque[float]] = defaultdict(deque)
        self._warned: set[tuple[UserKey, bool]] = set()

    def check(self, key: UserKey, kind: IncomingKind) -> Verdict:
        pressed = kind == "button"
        limit = self._budget.presses if pressed else self._budget.messages
        now = self._clock.now().timestamp()
        seen = self._seen[key, pressed]
        while seen and now - seen[0] > self._budget.window_s:
            seen.popleft()
        seen.append(now)
        if len(seen) <= limit:
            self._warned.discard((key, pressed))
            return "ok"
        if (key, pressed) in self._warned:
            return "drop"
        self._warned.add((key, pressed))
        return "warn"

    def forget(self, key: UserKey) -> None:
        """After /forget nothing about the person is left, not even how fast they typed."""
        for pressed in (False, True):
            self._seen.pop((key, pressed), None)
            self._warned.discard((key, pressed))
