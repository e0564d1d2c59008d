from __future__ import annotations

from bot.telegram_adapter.flood import FloodGuard


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_someone_flooding_is_warned_once_then_ignored_until_they_slow_down() -> None:
    clock = Clock()
    guard = FloodGuard(limit=3, window=10, clock=clock)
    assert [guard.check(1) for _ in range(3)] == ["ok", "ok", "ok"]
    assert guard.check(1) == "warn"
    assert guard.check(1) == "drop"
    assert guard.check(2) == "ok", "one person's flood does not affect another"
    clock.now = 30
    assert guard.check(1) == "ok"
