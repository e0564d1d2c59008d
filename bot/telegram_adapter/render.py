"""Reply → Telegram HTML text and inline keyboard."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.channels.markup import to_telegram_html
from bot.core.messages import Reply

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


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(b.label, url=b.url)
                if b.url
                else InlineKeyboardButton(b.label, callback_data=b.data)
            ]
            for b in reply.buttons
        ]
    )


def render(reply: Reply) -> list[tuple[str, InlineKeyboardMarkup | None]]:
    """The keyboard goes on the last part, under the text it belongs to."""
    chunks = split_for_telegram(to_telegram_html(reply.text))
    return [
        (chunk, keyboard(reply) if i == len(chunks) - 1 else None) for i, chunk in enumerate(chunks)
    ]
