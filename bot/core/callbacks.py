"""Button data: short ASCII codes (Telegram allows 64 bytes) with a version prefix, so a button
from an older release is recognised as stale instead of being misread."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.core.messages import LANGUAGES, Language

VERSION = "v1"
MAX_BYTES = 64

Action = Literal["topic", "language", "language_menu", "menu"]
_CODES: dict[str, Action] = {"t": "topic", "l": "language", "lm": "language_menu", "m": "menu"}
_ACTIONS: dict[Action, str] = {action: code for code, action in _CODES.items()}


@dataclass(frozen=True)
class Callback:
    action: Action
    value: str = ""


def encode(action: Action, value: str = "") -> str:
    data = f"{VERSION}:{_ACTIONS[action]}" + (f":{value}" if value else "")
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
    return data


def decode(data: str) -> Callback | None:
    """None for anything stale, forged or malformed."""
    parts = data.split(":", 2)
    if len(parts) < 2 or parts[0] != VERSION or parts[1] not in _CODES:
        return None
    action = _CODES[parts[1]]
    value = parts[2] if len(parts) == 3 else ""
    if action == "language" and value not in LANGUAGES:
        return None
    if action == "topic" and not value.replace("_", "").isalnum():
        return None
    return Callback(action, value)


def language_value(callback: Callback) -> Language:
    value = callback.value
    if value not in LANGUAGES:
        raise ValueError(value)
    return value
