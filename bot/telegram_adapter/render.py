"""Reply → Telegram HTML text and inline keyboard."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.channels.markup import to_telegram_html
from bot.core.messages import Button, Reply

MAX_MESSAGE_CHARS = 4096


def split_for_telegram(text: str, limit: int = MAX_MESSAGE_CHARS) -> list[str]:
    """Splits at paragraph boundaries (then lines, then hard) so no part exceeds the limit."""
    parts: list[str] = []
    current = ""
    for paragraph in text.split("\n\n"):
        candidate = f"{current}\n\n{paragraph}" if current else paragraph
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            parts.append(current)
        while len(paragraph) > limit:
            cut = paragraph.rfind("\n", 0, limit)
            cut = cut if cut > 0 else limit
            parts.append(paragraph[:cut])
            paragraph = paragraph[cut:].lstrip("\n")
        current = paragraph
    if current:
        parts.append(current)
    return parts or [""]


def _button(button: Button, bot_username: str | None) -> InlineKeyboardButton | None:
    if button.url:
        return InlineKeyboardButton(button.label, url=button.url)
    if button.deep_link is not None:
        if not bot_username:
            return None
        link = f"https://t.me/{bot_username}?start={button.deep_link}"
        return InlineKeyboardButton(button.label, url=link)
    return InlineKeyboardButton(button.label, callback_data=button.data)


def keyboard(reply: Reply, bot_username: str | None = None) -> InlineKeyboardMarkup | None:
    rows = [[b] for b in (_button(b, bot_username) for b in reply.buttons) if b is not None]
    return InlineKeyboardMarkup(rows) if rows else None


def render(
    reply: Reply, *, bot_username: str | None = None
) -> list[tuple[str, InlineKeyboardMarkup | None]]:
    """The keyboard goes on the last part, under the text it belongs to. `bot_username` turns
    deep-link buttons into t.me links into a private chat with us."""
    chunks = split_for_telegram(to_telegram_html(reply.text))
    markup = keyboard(reply, bot_username)
    return [(chunk, markup if i == len(chunks) - 1 else None) for i, chunk in enumerate(chunks)]
