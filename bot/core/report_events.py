"""What the dispatcher tells the rest of Waspada when a report's fate changes.

Pure values: the Telegram adapter turns a `StatusChange` into a message in the person's language;
standalone (`waspada outbox deliver`) it is handed to the bot (`bot/storage/notices.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.core.identity import UserKey
from bot.core.languages import Language

# The official statuses of the complaint API, plus "not_accepted": the API refused the report
# itself (400/422), so nobody will look at it unless the person reports again.
ChangeStatus = Literal[
    "received", "in_review", "action_taken", "closed", "rejected", "not_accepted"
]


@dataclass(frozen=True)
class StatusChange:
    """`user_key` is who to tell (None for staff-entered reports: nobody to message)."""

    user_key: UserKey | None
    reference: str
    complaint_id: str | None
    status: ChangeStatus
    language: Language
