"""People's keys as SQLite keeps them: `UserKey`'s text form, NULL once a report is forgotten."""

from __future__ import annotations

from bot.core.identity import UserKey


def stored(key: UserKey | None) -> str | None:
    return None if key is None else str(key)


def loaded(value: object) -> UserKey | None:
    return UserKey.parse(value) if isinstance(value, str) and value else None
