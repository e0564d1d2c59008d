"""Plain values that cross the boundary between channel adapters and the dialogue core."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Literal

from bot.core.identity import UserKey
from bot.core.languages import Language

# media: photo, video, document, sticker, voice… (`text` names which); personal: location or
# contact; edited: a message changed after sending.
IncomingKind = Literal["text", "button", "media", "personal", "edited", "unsupported"]


@dataclass(frozen=True)
class Attachment:
    """A file a person sent, not yet downloaded: the core looks at what the channel declares and
    calls `fetch` only when it wants the bytes, so a refused file never leaves the channel."""

    content_type: str | None
    size: int | None
    fetch: Callable[[], Awaitable[bytes]] = field(compare=False, repr=False)


@dataclass(frozen=True)
class Incoming:
    """One thing a person did, whatever the channel.

    `user_key` names the channel as a field, so sessions survive adapter changes.
    `client_language` is the raw tag the client reports (Telegram's `language_code`), if any.
    `in_group`: others can read the replies, so nothing personal is asked or shown there.
    """

    user_key: UserKey
    kind: IncomingKind
    text: str = ""
    client_language: str | None = None
    in_group: bool = False
    attachment: Attachment | None = None
    # Forwarded from another chat: a pasted scam message, more often than not.
    forwarded: bool = False


@dataclass(frozen=True)
class Button:
    """A choice; `url` buttons open a link instead of coming back to the bot, and `deep_link`
    buttons open a private chat with the bot started with that payload (from a group).
    `same_row` is layout only: channels that show one button a line may ignore it."""

    label: str
    data: str = ""
    url: str | None = None
    deep_link: str | None = None
    # Shown beside the button before it rather than under it (👍 👎), where the channel can.
    same_row: bool = False


@dataclass(frozen=True)
class Reply:
    """Text in Waspada's small Markdown subset, plus buttons; adapters decide how to render it.
    `protect` asks the channel to stop forwarding and saving (sensitive answers).
    `replaces_menu`: the next step of the menu whose button was pressed, so a channel that can
    edit messages shows it in place of that menu. `clears_chat`: quick exit — the channel removes
    what it can of the conversation before showing this (neutral) text. `forgets_person`: /forget
    went through — the channel drops what it keeps about this chat (message ids) and keeps
    nothing of this reply either. `notice`: a word about the conversation itself, not an answer
    (please slow down); a channel may show it as a pop-up where a button was pressed."""

    text: str
    buttons: tuple[Button, ...] = field(default_factory=tuple)
    language: Language = "en"
    protect: bool = False
    replaces_menu: bool = False
    clears_chat: bool = False
    forgets_person: bool = False
    notice: bool = False
    # For the core's own composition, ignored by channels: the answer's topic, and whether this
    # is a "did you mean…?" question rather than an answer.
    topic: str | None = None
    guessing: bool = False
