"""The staff console as a second staff desk: the open talk-to-a-person cases with how long each
person has waited (office time), and a reply or a close from the browser.

A reply takes the path of a reply written in the case's Telegram topic (`StaffRoom.reply`): the
person gets it in their language, signed "Waspada officer" (or the staff member's name when
names are shown), and no longer waits. A copy then goes into the topic, so staff there see what
was said; what the person wrote stays in the topic only (it is not stored).

| outcome       | when                                          | the person | the topic        |
|---------------|-----------------------------------------------|------------|------------------|
| SENT          | an open case, text of 1-`MAX_REPLY` characters| gets it    | a copy           |
| COPY_FAILED   | sent, but the topic could not be reached      | gets it    | nothing          |
| NOT_SENT      | Telegram refused or could not be reached      | nothing    | nothing          |
| EMPTY         | blank text                                    | nothing    | nothing          |
| TOO_LONG      | longer than `MAX_REPLY`                       | nothing    | nothing          |
| CLOSED        | the case was closed (by anyone, anywhere)     | nothing    | nothing          |
| NO_SUCH_CASE  | an unknown number, or a forgotten case        | nothing    | nothing          |
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum
from typing import Protocol

from bot.core.identity import UserKey
from bot.core.messages import Reply
from bot.core.office_hours import OfficeHours
from bot.core.ports import Clock
from bot.core.staff_desk import Case, PersonUnreachable, StaffDesk, StaffDeskError
from bot.core.staff_room import StaffRoom

Send = Callable[[UserKey, Reply], Awaitable[None]]
# What the Telegram desk copies of the person's words; a reply fits in one message too.
MAX_REPLY = 4000


class CaseList(Protocol):
    """The cases' read side for the console (`bot/storage/handoff.py`)."""

    def open_cases(self) -> list[Case]: ...

    def case(self, case_id: str) -> Case | None: ...


class ReplyOutcome(Enum):
    SENT = "sent"
    COPY_FAILED = "copy_failed"
    NOT_SENT = "not_sent"
    EMPTY = "empty"
    TOO_LONG = "too_long"
    CLOSED = "closed"
    NO_SUCH_CASE = "no_such_case"


class CloseOutcome(Enum):
    CLOSED = "closed"
    # Closed in the database; the person or the topic could not be told (Telegram unreachable).
    CLOSED_UNTOLD = "closed_untold"
    ALREADY_CLOSED = "already_closed"
    NO_SUCH_CASE = "no_such_case"


@dataclass(frozen=True)
class OpenCase:
    case: Case
    # Office time the person has waited for a staff reply; None once staff answered.
    waited: timedelta | None
    # Office time since they asked for a person.
    open_for: timedelta

    @property
    def waited_minutes(self) -> int | None:
        return None if self.waited is None else int(self.waited.total_seconds() // 60)

    @property
    def open_minutes(self) -> int:
        return int(self.open_for.total_seconds() // 60)


class ConsoleDesk:
    def __init__(
        self,
        cases: CaseList,
        room: StaffRoom,
        desk: StaffDesk,
        send: Send,
        hours: OfficeHours,
        clock: Clock,
    ) -> None:
        self._cases = cases
        self._room = room
        self._desk = desk
        self._send = send
        self._hours = hours
        self._clock = clock

    @property
    def office_open(self) -> bool:
        return self._hours.is_open(self._clock.now())

    @property
    def hours(self) -> OfficeHours:
        return self._hours

    def open_cases(self) -> list[OpenCase]:
        """Flagged cases first, then whoever has waited longest; answered cases last."""
        found = [self._view(c) for c in self._cases.open_cases() if c.thread is not None]
        return sorted(
            found,
            key=lambda o: (
                not o.case.flagged,
                o.waited is None,
                -(o.waited or timedelta(0)),
                o.case.requested_at,
            ),
        )

    def case(self, case_id: str) -> OpenCase | None:
        case = self._cases.case(case_id)
        return self._view(case) if case is not None and case.closed_at is None else None

    async def reply(self, case_id: str, text: str, staff_name: str) -> ReplyOutcome:
        case = self._cases.case(case_id)
        text = text.strip()
        if case is None or case.thread is None:
            return ReplyOutcome.NO_SUCH_CASE
        if case.closed_at is not None:
            return ReplyOutcome.CLOSED
        if not text:
            return ReplyOutcome.EMPTY
        if len(text) > MAX_REPLY:
            return ReplyOutcome.TOO_LONG
        try:
            await self._room.reply(case, text, staff_name, self._send)
        except PersonUnreachable:
            return ReplyOutcome.NOT_SENT
        try:
            await self._desk.post(case, f"💻 {staff_name} answered from the staff console:\n{text}")
        except StaffDeskError:
            return ReplyOutcome.COPY_FAILED
        return ReplyOutcome.SENT

    async def close(self, case_id: str, staff_name: str) -> CloseOutcome:
        case = self._cases.case(case_id)
        if case is None or case.thread is None:
            return CloseOutcome.NO_SUCH_CASE
        line = f"Case closed from the staff console by {staff_name}."
        try:
            closed = await self._room.close(case, self._send, line=line)
        except (PersonUnreachable, StaffDeskError):
            return CloseOutcome.CLOSED_UNTOLD
        return CloseOutcome.CLOSED if closed else CloseOutcome.ALREADY_CLOSED

    def _view(self, case: Case) -> OpenCase:
        now = self._clock.now()
        waited = (
            self._hours.open_time(case.waiting_since, now)
            if case.waiting_since is not None
            else None
        )
        return OpenCase(case, waited, self._hours.open_time(case.requested_at, now))
