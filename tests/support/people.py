"""The people in the tests: Telegram users by number."""

from __future__ import annotations

from bot.core.identity import UserKey


def person(number: int) -> UserKey:
    return UserKey("telegram", str(number))


FIRST = person(1)
