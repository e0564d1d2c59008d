from __future__ import annotations

from bot.core.flood import FloodBudget, FloodPolicy
from tests.fakes.clock import FakeClock
from tests.support.people import person


def test_someone_flooding_is_warned_once_then_ignored_until_they_slow_down() -> None:
    clock = FakeClock()
    policy = FloodPolicy(clock, FloodBudget(messages=3, presses=5, window_s=10))
    assert [policy.check(person(1), "text") for _ in range(3)] == ["ok", "ok", "ok"]
    assert policy.check(person(1), "text") == "warn"
    assert policy.check(person(1), "text") == "drop"
    assert policy.check(person(2), "text") == "ok", "one person's flood does not affect another"
    assert policy.check(person(1), "button") == "ok", "pressing through a menu has its own budget"
    clock.advance(seconds=30)
    assert policy.check(person(1), "text") == "ok"


def test_after_forget_a_flooder_starts_again_like_a_new_user() -> None:
    clock = FakeClock()
    policy = FloodPolicy(clock, FloodBudget(messages=1, presses=1, window_s=10))
    assert [policy.check(person(1), "text") for _ in range(3)] == ["ok", "warn", "drop"]
    policy.forget(person(1))
    assert policy.check(person(1), "text") == "ok"
