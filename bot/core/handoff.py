"""Talk to a person, the person's side: consent first, then a case where what they write goes
to staff (`bot/core/staff_desk.py`) and the risk screen keeps running.

```mermaid
stateDiagram-v2
    [*] --> consent: /human, "Talk to a person", human_handoff
    consent --> [*]: No, or anything else
    consent --> open: Yes (case row, then the staff thread)
    open --> open: text mirrored (crisis: card first, thread flagged)
    open --> [*]: /end, End button, staff /close (asked "did this help?")
    open --> open: no staff reply for N office minutes (told once; bot/core/staff_watch.py)
    open --> [*]: /exit, /forget (the bot's copies in the thread and the case rows go too)
```

The case row in SQLite is the truth: a session saying "handoff" after staff closed the case is
simply let go. Words to staff are English and plain; words to the person are translated.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable

from bot.core import callbacks
from bot.core.identity import UserKey
from bot.core.languages import Language
from bot.core.messages import Button, Incoming, Reply
from bot.core.ports import AnswerBook, Clock, Nlu, Translator
from bot.core.replies import ReplyKit
from bot.core.safety_net import SafetyNet
from bot.core.session import Session
from bot.core.staff_desk import FLAG, Case, HandoffDesk, StaffDeskError

HANDOFF_FLOW = "handoff"
HANDOFF_TOPIC = "human_handoff"
# The lines given when staff are away, or cannot be reached (responses/contacts.yml).
URGENT_CONTACTS = ("emergency", "nsrc", "talian_kasih", "talian_heal")
MIRROR_CHARS = 4000
ENDING = frozenset({"end", "cancel"})


async def nothing_later(_user_key: UserKey) -> None:
    """`after_delivery` where no staff desk is configured."""


async def not_handed(_session: Session, _incoming: Incoming, _lang: Language) -> None:
    """`handle` where no staff desk is configured: every turn is the dialogue's."""


def urgent_lines(answers: AnswerBook, lang: Language) -> str:
    cards = [answers.contact(key, lang) for key in URGENT_CONTACTS]
    return "\n".join(f"- **{c.name}**: {c.phone}" for c in cards if c and c.phone)


def contact_buttons(answers: AnswerBook, lang: Language) -> list[Button]:
    return [
        Button("📞 " + c.name, callbacks.encode("contact", c.key))
        for c in (answers.contact(key, lang) for key in URGENT_CONTACTS[:2])
        if c
    ]


def end_button(tr: Translator, lang: Language) -> Button:
    return Button("✖ " + tr.gettext(lang, "End the chat"), callbacks.encode("handoff", "end"))


def feedback_question(tr: Translator, lang: Language, lead: str) -> Reply:
    """The last words of a case, with 👍/👎 (counted, never tied to the person)."""
    question = tr.gettext(lang, "Did talking to our staff help?")
    text = f"{lead}\n\n{question}"
    buttons = (
        Button("👍 " + tr.gettext(lang, "Yes, it helped"), callbacks.encode("handoff", "up")),
        Button("👎 " + tr.gettext(lang, "No"), callbacks.encode("handoff", "down")),
    )
    return Reply(text, buttons, language=lang)


class HandoffFlow:
    def __init__(
        self,
        handoff: HandoffDesk,
        kit: ReplyKit,
        safety: SafetyNet,
        nlu: Nlu,
        answers: AnswerBook,
        translator: Translator,
        clock: Clock,
    ) -> None:
        self._desk = handoff.desk
        self._cases = handoff.cases
        self._hours = handoff.hours
        self._kit = kit
        self._safety = safety
        self._nlu = nlu
        self._answers = answers
        self._tr = translator
        self._clock = clock
        # Desk work that waits until the person's replies are delivered (a crisis card first).
        self._later: dict[UserKey, list[Callable[[], Awaitable[None]]]] = {}

    async def handle(
        self, session: Session, incoming: Incoming, lang: Language
    ) -> list[Reply] | None:
        """The replies when this turn is the hand-off's business; None lets the dialogue go on
        (after closing the case, for /exit and /forget)."""
        if incoming.in_group:
            return None
        case = self._current(session)
        if incoming.kind == "button":
            return await self._on_button(session, case, incoming.text, lang)
        word, payload = _command(incoming)
        if word == "human" or (word == "start" and payload == "human"):
            return self.start(session, lang)
        if case is None:
            if session.flow == HANDOFF_FLOW:  # asked for consent, got something else
                session.flow, session.flow_state = None, {}
            return None
        if word in ENDING:
            return await self.end(session, case, lang)
        if word == "exit":
            await self._close(case, "The person left the chat (quick exit).")
            return None
        if word is not None:
            return None
        if incoming.kind == "text":
            return await self._relay(session, case, incoming.text, lang)
        if incoming.kind == "media":
            text = self._kit.t(
                lang,
                "I don't pass on photos, files or voice notes, not even to staff. Please "
                "describe what it shows in words, or send a link to it.",
            )
            return [self._kit.reply(lang, text, [self._end_button(lang)])]
        return None

    async def after_delivery(self, user_key: UserKey) -> None:
        """Called by the conversation once this turn's replies are out, still in turn order."""
        for work in self._later.pop(user_key, []):
            with contextlib.suppress(StaffDeskError):  # the person has their card already
                await work()

    def start(self, session: Session, lang: Language) -> list[Reply]:
        case = self._current(session)
        if case is not None:
            return [self._already(case, lang)]
        session.flow, session.flow_state = HANDOFF_FLOW, {"step": "consent"}
        t = self._kit.t
        shared = t(
            lang,
            "A member of Waspada's staff can take over this chat. Before anything is shared, "
            "here is what they will see:\n\n"
            "- the messages you send from now on\n"
            "- the topics you asked about here recently\n"
            "- risk flags, for example if someone may be in danger\n\n"
            "They will not see your name or your Telegram account. "
            "Photos and files are never passed on.",
        )
        hours = self._hours.describe(self._tr, lang)
        no = Button(t(lang, "No, thanks"), callbacks.encode("handoff", "no"))
        if self._hours.is_open(self._clock.now()):
            when = t(
                lang,
                "Staff are at the desk now ({hours}, Malaysia time). A reply usually comes "
                "within 15 minutes, longer when many people are waiting.",
                hours=hours,
            )
            ask = t(lang, "Do you agree to share this with staff?")
            yes = Button(t(lang, "Yes, connect me"), callbacks.encode("handoff", "yes"))
            return [self._kit.reply(lang, f"{shared}\n\n{when}\n\n{ask}", [yes, no])]
        away = t(
            lang,
            "Staff are away now. Office hours are {hours}, Malaysia time. If it is urgent, "
            "contact one of these now:",
            hours=hours,
        )
        later = t(
            lang,
            "Or I can open your case now, and staff will answer when the office opens. "
            "Do you agree to share what is listed above?",
        )
        yes = Button(t(lang, "Yes, open my case"), callbacks.encode("handoff", "yes"))
        text = f"{shared}\n\n{away}\n{self._urgent_lines(lang)}\n\n{later}"
        return [self._kit.reply(lang, text, [yes, no, *self._contact_buttons(lang)])]

    async def end(self, session: Session, case: Case, lang: Language) -> list[Reply]:
        await self._close(case, "The person ended the chat.")
        session.flow, session.flow_state = None, {}
        lead = self._kit.t(lang, "You ended the chat with staff (case {case}).", case=case.case_id)
        return [feedback_question(self._tr, lang, lead)]

    # ---- inside --------------------------------------------------------------------------
    def _current(self, session: Session) -> Case | None:
        case = self._cases.open_case_of(session.user_key)
        if case is not None and case.thread is None:  # the desk never confirmed it
            self._cases.delete(case)
            case = None
        if case is None and session.flow == HANDOFF_FLOW and "case" in session.flow_state:
            session.flow, session.flow_state = None, {}  # staff closed it meanwhile
        return case

    async def _on_button(
        self, session: Session, case: Case | None, data: str, lang: Language
    ) -> list[Reply] | None:
        callback = callbacks.decode(data)
        if callback is None:
            return None
        if callback.action == "forget" and callback.value == "yes":
            await self._forget(session)
            return None
        if callback.action != "handoff":
            return None
        value = callback.value
        if value == "start":
            return self.start(session, lang)
        if value == "yes":
            return await self._consent(session, lang)
        if value == "end" and case is not None:
            return await self.end(session, case, lang)
        if value in ("up", "down"):
            self._cases.feedback(session.user_key, helped=value == "up")
            return [self._kit.menu(lang, self._kit.t(lang, "Thank you for telling us."))]
        if value == "no" and case is None:
            session.flow, session.flow_state = None, {}
            text = self._kit.t(lang, "OK, nothing was shared with staff.")
            return [self._kit.menu(lang, text)]
        if case is not None:
            return [self._already(case, lang)]
        text = self._kit.t(lang, "That chat with staff has already ended.")
        return [self._kit.menu(lang, text)]

    async def _consent(self, session: Session, lang: Language) -> list[Reply]:
        if (case := self._current(session)) is not None:
            return [self._already(case, lang)]
        now = self._clock.now()
        recent = self._safety.recent(session)
        topics = (recent.topic,) if recent and recent.topic else ()
        case = self._cases.open(session.user_key, lang, topics, recent.risks if recent else (), now)
        try:
            case = self._cases.attach_thread(case, await self._desk.open_case(case))
        except StaffDeskError:
            self._cases.delete(case)
            session.flow, session.flow_state = None, {}
            text = self._kit.t(
                lang,
                "Sorry, I could not reach our staff just now. Please try again later. "
                "If it is urgent, contact one of these now:",
            )
            text = f"{text}\n{self._urgent_lines(lang)}"
            return [self._kit.reply(lang, text, self._contact_buttons(lang))]
        session.flow, session.flow_state = HANDOFF_FLOW, {"case": case.case_id}
        t = self._kit.t
        text = t(
            lang,
            "Your case number is **{case}**. You are number {position} in the queue. Write "
            "your message here and staff will answer in this chat.",
            case=case.case_id,
            position=self._cases.queue_position(case),
        )
        if not self._hours.is_open(now):
            hours = self._hours.describe(self._tr, lang)
            later = t(lang, "Staff will answer when the office opens ({hours}).", hours=hours)
            text = f"{text}\n\n{later}"
        finish = t(lang, "To finish, press “End the chat” or send /end.")
        return [self._kit.reply(lang, f"{text}\n\n{finish}", [self._end_button(lang)])]

    async def _relay(self, session: Session, case: Case, text: str, lang: Language) -> list[Reply]:
        """No topic answers during a case; the risk screen still runs, and its card reaches the
        person before anything goes to staff."""
        result = await self._nlu.parse(text[:MIRROR_CHARS])
        crisis = self._safety.cards(result.risks, lang)
        self._safety.remember(session, None, result.risks)
        if crisis is not None:
            newly = not case.flagged
            flagged, flags = self._cases.flag(case), ", ".join(result.risks)

            async def tell_staff() -> None:
                await self._desk.mirror(flagged, text[:MIRROR_CHARS])
                line = f"{FLAG} Risk flag: {flags}. The person was shown the crisis card."
                if newly:  # Telegram refuses a rename to the same name
                    await self._desk.flag(flagged, line)
                else:
                    await self._desk.post(flagged, line)

            self._wait(case)
            self._later.setdefault(session.user_key, []).append(tell_staff)
            return [crisis]
        replies: list[Reply] = []
        try:
            await self._desk.mirror(case, text[:MIRROR_CHARS])
            self._wait(case)
        except StaffDeskError:
            sorry = self._kit.t(
                lang,
                "I could not pass that message on to staff just now. "
                "Please send it again in a minute.",
            )
            replies.append(self._kit.reply(lang, sorry))
        return replies

    def _wait(self, case: Case) -> None:
        """A new wait starts only when staff had answered the last one."""
        if case.waiting_since is None:
            self._cases.waiting(case, self._clock.now())

    async def _close(self, case: Case, line: str) -> None:
        """Closes the case here first: a desk that cannot be reached must not keep it open."""
        if not self._cases.close(case, self._clock.now()):
            return
        try:
            await self._desk.post(case, line)
            await self._desk.close(case)
        except StaffDeskError:
            pass  # the row is closed; staff see no more messages from this person

    async def _forget(self, session: Session) -> None:
        """Every case of theirs, open or closed: the desk deletes its copies of their words.
        The rows go with the rest of the person's data (`bot/storage/forget.py`)."""
        for case in self._cases.cases_of(session.user_key):
            self._cases.close(case, self._clock.now())
            if case.thread is None:
                continue
            with contextlib.suppress(StaffDeskError):
                await self._desk.erase(
                    case,
                    "The person asked Waspada to forget them: the bot's copies of their "
                    "messages here were deleted, and the case is closed.",
                )
        session.flow, session.flow_state = None, {}

    def _already(self, case: Case, lang: Language) -> Reply:
        text = self._kit.t(
            lang,
            "You are already talking with our staff (case {case}). Write your message here, "
            "or send /end to finish.",
            case=case.case_id,
        )
        return self._kit.reply(lang, text, [self._end_button(lang)])

    def _end_button(self, lang: Language) -> Button:
        return end_button(self._tr, lang)

    def _urgent_lines(self, lang: Language) -> str:
        return urgent_lines(self._answers, lang)

    def _contact_buttons(self, lang: Language) -> list[Button]:
        return contact_buttons(self._answers, lang)


def _command(incoming: Incoming) -> tuple[str | None, str]:
    text = incoming.text.strip()
    if incoming.kind != "text" or not text.startswith("/"):
        return None, ""
    name, _, payload = text.partition(" ")
    return name[1:].split("@", 1)[0].lower(), payload.strip().lower()
