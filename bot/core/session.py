"""What Waspada remembers about one person between messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.core.identity import UserKey
from bot.core.languages import Language


@dataclass
class Session:
    user_key: UserKey
    chosen_language: Language | None = None
    last_language: Language | None = None
    flow: str | None = None
    flow_state: dict[str, Any] = field(default_factory=dict)
    # What the last few minutes were about ({topic, risks, at}), so a short follow-up is read in
    # their light (`bot/core/safety_net.py`).
    context: dict[str, Any] = field(default_factory=dict)
    # Answers open for 👍/👎 and the redacted question behind the last one (`bot/core/ratings.py`).
    answered: dict[str, Any] = field(default_factory=dict)
    # Set by /forget within a turn: the store then deletes the person instead of saving them.
    forgotten: bool = False
