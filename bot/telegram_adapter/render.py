"""Reply → Telegram HTML text and inline keyboard."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.markup import to_telegram_html
from bot.core.messages import Button, Reply

MAX_MESSAGE_CHARS = 4096


def split_for_telegram(text: str, limit: int = MAX_MESSAGE_CHARS) -> list[str]:
    """Splits our markup (before it becomes HTML) at paragraphs, then lines, then spaces, so
    that every part fits the limit once rendered. Splitting the rendered HTML instead cut
    `&amp;` in half or left `<b>` without `</b>`, and Telegram refused the message. A bold span
    cut in two is closed at the end of one part and reopened in the next."""
    budget = limit - _BOLD_REPAIR
    parts: list[str] = []
    current = ""
    for paragraph in text.split("\n\n"):
        candidate = f"{current}\n\n{paragraph}" if current else paragraph
        if _rendered(candidate) <= budget:
            current = candidate
            continue
        if current:
            parts.append(current)
        while _rendered(paragraph) > budget:
            head = _longest_head(paragraph, budget)
            parts.append(head)
            paragraph = paragraph[len(head) :].lstrip("\n ")
        current = paragraph
    if current:
        parts.append(current)
    return _rebalance_bold(parts) or [""]


_BOLD_REPAIR = 8  # "**" closed at one end and reopened at the other


def _rendered(text: str) -> int:
    return len(to_telegram_html(text))


def _longest_head(text: str, budget: int) -> str:
    """The longest start of `text` that fits, cut after a line break or space if there is one
    in its second half."""
    low, high = 1, min(len(text), budget)  # escaping only ever makes text longer
    while low < high:
        middle = (low + high + 1) // 2
        if _rendered(text[:middle]) <= budget:
            low = middle
        else:
            high = middle - 1
    head = text[:low]
    for separator in ("\n", " "):
        cut = head.rfind(separator)
        if cut > len(head) // 2:
            return head[: cut + 1]
    return head


def _rebalance_bold(parts: list[str]) -> list[str]:
    balanced = []
    bold = False
    for part in parts:
        text = f"**{part}" if bold and part else part
        if part.count("**") % 2:
            bold = not bold
        balanced.append(f"{text}**" if bold else text)
    return balanced


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
    rows: list[list[InlineKeyboardButton]] = []
    for button in reply.buttons:
        rendered = _button(button, bot_username)
        if rendered is None:
            continue
        if button.same_row and rows:
            rows[-1].append(rendered)
        else:
            rows.append([rendered])
    return InlineKeyboardMarkup(rows) if rows else None


def render(
    reply: Reply, *, bot_username: str | None = None
) -> list[tuple[str, InlineKeyboardMarkup | None]]:
    """The keyboard goes on the last part, under the text it belongs to. `bot_username` turns
    deep-link buttons into t.me links into a private chat with us."""
    chunks = [to_telegram_html(part) for part in split_for_telegram(reply.text)]
    markup = keyboard(reply, bot_username)
    return [(chunk, markup if i == len(chunks) - 1 else None) for i, chunk in enumerate(chunks)]
