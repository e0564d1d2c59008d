"""Renders Waspada's small Markdown subset (`**bold**`, `- ` bullets, bare URLs) per channel."""

from __future__ import annotations

import html
import re

_BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)


def to_plain(text: str) -> str:
    return _BOLD.sub(r"\1", text)


def to_telegram_html(text: str) -> str:
    """Everything is escaped first, so user or staff text can never inject Telegram HTML."""
    return _BOLD.sub(r"<b>\1</b>", html.escape(text, quote=False))
