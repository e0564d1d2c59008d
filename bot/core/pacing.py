"""How fast a broadcast may go. Telegram allows about 30 messages a second overall and one a
second per chat; going over earns 429s and, repeated, a ban. PTB's rate limiter lets bursts
through, so the broadcaster asks this pacer before every send.

Every message counts, chat replies included (the channel reports them with `note`), but only a
broadcast ever waits: replies to people asking questions are never held back, and `reserve`
sends a second are left free for them. A new pacer counts the last second as full, so a
restart cannot start with a burst on top of what the previous process sent just before dying.
Broadcast messages are also spread evenly (one every 1/budget s) rather than sent in bursts as
the window allows: fewer are in flight at any moment, which is what a crash can catch.
"""

from __future__ import annotations

from collections import deque
from typing import Protocol

WINDOW = 1.0


class SendQuota(Protocol):
    """The broadcast budget shared by several senders (replicas on one database): each
    broadcast message takes a slot after the local pacer allowed it."""

    def take(self) -> float:
        """0 when a slot was taken now; else the seconds to wait before asking again."""
        ...


class SendPacer:
    def __init__(
        self, now: float, *, per_second: int, reserve: int = 0, per_chat_gap: float = 1.0
    ) -> None:
        if per_second - reserve < 1:
            raise ValueError("the rate must leave at least one send a second for broadcasts")
        self._budget = per_second - reserve
        self._gap = per_chat_gap
        self._sends: deque[float] = deque([now] * per_second)
        self._last_to: dict[str, float] = {}
        self._next_broadcast = now

    def note(self, now: float, chat: str, *, broadcast: bool = False) -> None:
        """A message went out: a broadcast's, or a chat reply."""
        self._sends.append(now)
        self._last_to[chat] = now
        if broadcast:
            self._next_broadcast = now + 1.0 / self._budget

    def wait(self, now: float, chat: str) -> float:
        """Seconds until a broadcast message to `chat` may go; 0 means now."""
        while self._sends and self._sends[0] <= now - WINDOW:
            self._sends.popleft()
        overall = 0.0
        if len(self._sends) >= self._budget:
            overall = self._sends[len(self._sends) - self._budget] + WINDOW - now
        last = self._last_to.get(chat)
        per_chat = last + self._gap - now if last is not None else 0.0
        if len(self._last_to) > 10_000:
            self._last_to = {c: t for c, t in self._last_to.items() if t > now - self._gap}
        return max(overall, per_chat, self._next_broadcast - now, 0.0)
