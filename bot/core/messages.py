"""Plain values that cross the boundary between channel adapters and the dialogue core."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Language = Literal["en", "ms", "zh"]
LANGUAGES: tuple[Language, ...] = ("en", "ms", "zh")

# media: photo, video, document, sticker, voice… (`text` names which); personal: location or
# contact; edited: a message changed after sending.
IncomingKind = Literal["text", "button", "media", "personal", "edited", "unsupported"]


@dataclass(frozen=True)
class Incoming:
    """One thing a person did, whatever the channel.

    `user_key` is channel-neutral ("tg:123", "term:local") so sessions survive adapter changes.
    `client_language` is the raw tag the client reports (Telegram's `language_code`), if any.
    """

    user_key: str
    kind: IncomingKind
    text: str = ""
    client_language: str | None = None


@dataclass(frozen=True)
class Button:
    """A choice; `url` buttons open a link instead of coming back to the bot."""

    label: str
    data: str = ""
    url: str | None = None


@dataclass(frozen=True)
class Reply:
    """Text in Waspada's small Markdown subset, plus buttons; adapters decide how to render it.
    `protect` asks the channel to stop forwarding and saving (sensitive answers)."""

    text: str
    buttons: tuple[Button, ...] = field(default_factory=tuple)
    language: Language = "en"
    protect: bool = False
