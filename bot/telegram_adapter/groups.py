"""What in a group is meant for us: commands (ours, not another bot's), mentions, and replies to
our messages. Everything else in a group is other people's conversation and is not read."""

from __future__ import annotations

import re

from telegram import Message


def addressed_text(message: Message, bot_username: str | None) -> str | None:
    """The text to handle with the mention removed, or None when the message is not for us."""
    text = message.text or ""
    name = (bot_username or "").lower()
    if text.startswith("/"):
        command = text.split(" ", 1)[0]
        target = command.partition("@")[2].lower()
        return text if not target or target == name else None
    mention = re.compile(rf"@{re.escape(name)}\b", re.IGNORECASE) if name else None
    if mention and mention.search(text):
        return mention.sub("", text).strip()
    replied = message.reply_to_message
    author = replied.from_user if replied else None
    if author and author.is_bot and name and (author.username or "").lower() == name:
        return text
    return None
