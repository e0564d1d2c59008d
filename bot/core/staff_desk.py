"""Talk to a person: the ports behind a live hand-off from the bot to staff.

A *case* is one person's request for a person, known to staff only by a pseudonymous number
(H-7K2Q), their language, the topics they asked about and the risk flags: never their name or
channel id. The `StaffDesk` is where staff read and answer (a Telegram forum topic per case);
the `CaseStore` keeps cases in SQLite, so they survive a restart.

| event                       | case row                  | staff desk                        |
|-----------------------------|---------------------------|-----------------------------------|
| the person consents         | opened, thread attached   | `open_case`: topic + case card    |
| the person writes           | waiting (if it was not)   | `mirror`: their text in the topic |
| a crisis message            | flagged                   | `flag`: 🔴 in the name, alert pinned |
| staff write in the topic    | answered, not waiting     | (sent to the person as the bot)   |
| no reply for N office min.  | nudged                    | `post` a line (the person is told) |
| staff /close, person /end   | closed                    | `post` a line, then `close`       |
| person /forget              | deleted                   | `erase`: its copies go, then closed |
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from bot.core.identity import UserKey
from bot.core.languages import Language
from bot.core.office_hours import OfficeHours

# No 0/O, 1/I/L: staff read case numbers out loud.
CASE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
FLAG = "🔴"


class StaffDeskError(Exception):
    """The desk could not be reached (adapters translate their errors into this)."""


class PersonUnreachable(Exception):  # noqa: N818 - reads better at the raise site
    """A message to the person could not be delivered (Telegram refused it or could not be
    reached); raised by the console's sender, which has no update to answer instead."""


@dataclass(frozen=True)
class Case:
    case_id: str
    user_key: UserKey
    language: Language
    topics: tuple[str, ...]
    risks: tuple[str, ...]
    requested_at: datetime
    thread: str | None = None
    flagged: bool = False
    answered: bool = False
    closed_at: datetime | None = None
    # Since when the person has waited for a staff reply (None once staff answered), and
    # whether they were told that nobody has answered yet.
    waiting_since: datetime | None = None
    nudged: bool = False

    @property
    def title(self) -> str:
        """The topic's name in the staff group: `H-7K2Q · ms · scam_victim`."""
        tag = self.topics[0].removeprefix("faq_") if self.topics else "general"
        flag = f"{FLAG} " if self.flagged else ""
        return f"{flag}{self.case_id} · {self.language} · {tag}"[:128]

    def card(self) -> str:
        """What staff see first (plain text; the desk escapes it)."""
        topics = ", ".join(t.removeprefix("faq_") for t in self.topics) or "none yet"
        risks = ", ".join(self.risks) or "none"
        flag = f" {FLAG}" if self.flagged or self.risks else ""
        return "\n".join(
            (
                f"Case {self.case_id}{flag}",
                f"Language: {self.language}",
                f"Recent topics: {topics}",
                f"Risk flags: {risks}",
                f"Requested: {self.requested_at:%Y-%m-%d %H:%M} UTC",
                "Identity: not shared (no name, no account id).",
                "Write here to answer as Waspada. /note TEXT stays internal, "
                "/info shows this card, /close ends the case.",
            )
        )


def new_case_id() -> str:
    return "H-" + "".join(secrets.choice(CASE_ALPHABET) for _ in range(4))


class StaffDesk(Protocol):
    async def open_case(self, case: Case) -> str:
        """Opens the case's thread (a forum topic), posts its card; returns the thread id."""
        ...

    async def mirror(self, case: Case, text: str) -> None:
        """The person's own words, copied into the thread."""
        ...

    async def post(self, case: Case, text: str) -> None:
        """A line from the bot to staff in the thread (a closed case, the card again…)."""
        ...

    async def flag(self, case: Case, alert: str) -> None:
        """Marks the thread urgent: `case.title` (which then starts with 🔴) and `alert` pinned
        at its top, so the next staff member to look sees it first."""
        ...

    async def close(self, case: Case) -> None: ...

    async def erase(self, case: Case, line: str) -> None:
        """/forget: deletes the desk's own copies in the thread (the card, the person's words),
        leaves `line` and closes the thread. Staff's own messages are theirs to delete."""
        ...


class CaseStore(Protocol):
    def open(
        self,
        user_key: UserKey,
        language: Language,
        topics: tuple[str, ...],
        risks: tuple[str, ...],
        at: datetime,
    ) -> Case: ...

    def attach_thread(self, case: Case, thread: str) -> Case: ...

    def open_case_of(self, user_key: UserKey) -> Case | None: ...

    def cases_of(self, user_key: UserKey) -> list[Case]:
        """Open and closed, for /forget."""
        ...

    def by_thread(self, thread: str) -> Case | None: ...

    def flag(self, case: Case) -> Case: ...

    def answered(self, case: Case) -> Case:
        """A staff reply: the person no longer waits (and may be told again next time)."""
        ...

    def waiting(self, case: Case, since: datetime) -> Case:
        """The person wrote: they wait from `since`, unless they were waiting already."""
        ...

    def still_waiting(self) -> list[Case]:
        """Open cases whose person waits for a reply and was not told yet, oldest first."""
        ...

    def nudged(self, case: Case) -> None: ...

    def close(self, case: Case, at: datetime) -> bool:
        """False when it was already closed (two staff pressing /close)."""
        ...

    def queue_position(self, case: Case) -> int:
        """1 for the oldest open case nobody has answered yet."""
        ...

    def delete(self, case: Case) -> None: ...

    def feedback(self, user_key: UserKey, helped: bool) -> bool:
        """Counts the answer to "did this help?" once per closed case; False if none waits."""
        ...


@dataclass(frozen=True)
class HandoffDesk:
    """What the dialogue needs for hand-offs, built once in the composition root."""

    desk: StaffDesk
    cases: CaseStore
    hours: OfficeHours = field(default_factory=OfficeHours)
