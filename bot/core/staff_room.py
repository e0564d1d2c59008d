"""Talk to a person, the staff's side: what staff write in a case's thread goes to the person as
the bot; `/close`, `/note TEXT` and `/info` steer the case. The adapter hands over only
messages from the configured staff group; `staff_ids`, when set, narrows it to those people.

Staff's own words are sent as written (the channel escapes them), under "Waspada officer" in
the person's language, or the staff member's display name when `show_names` is on.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.core.handoff import feedback_question
from bot.core.identity import UserKey
from bot.core.messages import Reply
from bot.core.ports import Clock, Translator
from bot.core.staff_desk import Case, CaseStore, StaffDesk

Send = Callable[[UserKey, Reply], Awaitable[None]]
HELP = "/close ends the case, /note TEXT stays internal, /info shows the case card."


@dataclass(frozen=True)
class StaffMessage:
    """One message in a staff thread; `text` is None for a photo, a file, a sticker…"""

    thread: str
    sender_id: str
    sender_name: str
    text: str | None


class StaffRoom:
    def __init__(
        self,
        cases: CaseStore,
        desk: StaffDesk,
        translator: Translator,
        clock: Clock,
        *,
        staff_ids: frozenset[str] = frozenset(),
        show_names: bool = False,
    ) -> None:
        self._cases = cases
        self._desk = desk
        self._tr = translator
        self._clock = clock
        self._staff_ids = staff_ids
        self._show_names = show_names

    async def on_message(self, message: StaffMessage, send: Send) -> None:
        if self._staff_ids and message.sender_id not in self._staff_ids:
            return
        case = self._cases.by_thread(message.thread)
        if case is None:
            return  # the group's general chat, or a topic that is not a case
        text = (message.text or "").strip()
        if text.startswith("/"):
            await self._command(case, text, send)
        elif case.closed_at is not None:
            await self._desk.post(case, "This case is closed: nothing was sent.")
        elif not text:
            await self._desk.post(case, "Only text is passed on: nothing was sent.")
        else:
            await self.reply(case, text, message.sender_name, send)

    async def reply(self, case: Case, text: str, sender_name: str, send: Send) -> None:
        """Staff's words to the person of an open case, from any desk (the Telegram topic, the
        console): signed in the person's language, and the person no longer waits."""
        lang = case.language
        officer = self._tr.gettext(lang, "Waspada officer")
        who = sender_name if self._show_names and sender_name else officer
        await send(case.user_key, Reply(f"**{who}:** {text}", language=lang))
        if case.waiting_since is not None or not case.answered:
            self._cases.answered(case)

    async def close(self, case: Case, send: Send, *, line: str = "Case closed.") -> bool:
        """Ends an open case from any desk: the person is asked whether it helped and the
        thread closes. False when it was closed already (two staff at once)."""
        if case.closed_at is not None or not self._cases.close(case, self._clock.now()):
            return False
        lang = case.language
        lead = self._tr.gettext(lang, "Our staff closed your case {case}.", case=case.case_id)
        await send(case.user_key, feedback_question(self._tr, lang, lead))
        await self._desk.post(case, f"{line} The person was asked whether it helped.")
        await self._desk.close(case)
        return True

    async def _command(self, case: Case, text: str, send: Send) -> None:
        word = text.split(maxsplit=1)[0][1:].split("@", 1)[0].lower()
        if word == "info":
            await self._desk.post(case, case.card())
        elif word == "note":
            await self._desk.post(case, "📝 Internal note: not sent to the person.")
        elif word == "close" and case.closed_at is None:
            await self.close(case, send)
        elif word == "close":
            await self._desk.post(case, "This case is already closed.")
        else:
            await self._desk.post(case, f"Unknown command. {HELP}")
