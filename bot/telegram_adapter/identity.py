"""Telegram's people as the core knows them. The private chat with a person has the same id as
the person, so one key serves both."""

from __future__ import annotations

from bot.core.identity import UserKey

CHANNEL = "telegram"


def telegram_user(user_id: int) -> UserKey:
    return UserKey(CHANNEL, str(user_id))


def telegram_chat(chat_id: int) -> UserKey:
    return UserKey(CHANNEL, str(chat_id))


def chat_id_of(key: UserKey) -> int | None:
    """The chat to message for `key`, or None if it is not a Telegram person."""
    if key.channel != CHANNEL or not key.id.lstrip("-").isdigit():
        return None
    return int(key.id)
