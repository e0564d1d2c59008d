"""Nobody answering: a person who has waited `after` office time for a staff reply is told so,
once, and given the urgent lines; the case stays open and staff see a line in the thread.

| the person…                          | the watch                                   |
|--------------------------------------|---------------------------------------------|
| waits, office open, wait < `after`   | nothing yet                                 |
| waits, office open, wait ≥ `after`   | tells them (once), posts ⏰ to the thread   |
| waits, office closed                 | nothing: they were told the hours at consent |
| got a staff reply                    | nothing; their next message starts a new wait |

Only office time counts (`OfficeHours.open_time`): a case opened on Saturday is not "ten minutes
late" at 08:30 on Monday.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from datetime import timedelta

from bot.core.handoff import contact_buttons, end_button, urgent_lines
from bot.core.identity import UserKey
from bot.core.messages import Reply
from bot.core.ports import AnswerBook, Clock, Translator
from bot.core.staff_desk import Case, HandoffDesk, StaffDeskError

Send = Callable[[UserKey, Reply], Awaitable[None]]


class StaffWatch:
    def __init__(
        self,
        handoff: HandoffDesk,
        answers: AnswerBook,
        translator: Translator,
        clock: Clock,
        *,
        after: timedelta,
    ) -> None:
        self._cases = handoff.cases
        self._desk = handoff.desk
        self._hours = handoff.hours
        self._answers = answers
        self._tr = translator
        self._clock = clock
        self._after = after

    async def tell_the_waiting(self, send: Send) -> int:
        """Returns how many people were told."""
        now = self._clock.now()
        if not self._hours.is_open(now):
            return 0
        told = 0
        for case in self._cases.still_waiting():
            since = case.waiting_since
            if since is None or self._hours.open_time(since, now) < self._after:
                continue
            self._cases.nudged(case)
            await send(case.user_key, self._message(case))
            minutes = int(self._after.total_seconds() // 60)
            with contextlib.suppress(StaffDeskError):
                await self._desk.post(
                    case,
                    f"⏰ No staff reply for {minutes} minutes: the person was told the case "
                    "stays open, and given the urgent lines.",
                )
            told += 1
        return told

    def _message(self, case: Case) -> Reply:
        lang = case.language
        lead = self._tr.gettext(
            lang,
            "Sorry, nobody from our staff has answered yet: they are busy with other people. "
            "Your case {case} stays open, and the answer will come here. If you cannot wait, "
            "contact one of these now:",
            case=case.case_id,
        )
        text = f"{lead}\n{urgent_lines(self._answers, lang)}"
        buttons = (*contact_buttons(self._answers, lang), end_button(self._tr, lang))
        return Reply(text, buttons, language=lang)
