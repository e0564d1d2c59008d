"""The conversation service owns a turn. An adapter turns what a person did into an `Incoming`
and says how to deliver replies; everything in between happens here, the same for every
channel, so a new channel is only translation and rendering.

The life of one turn:

| step | what happens                                             | why here                    |
|------|----------------------------------------------------------|-----------------------------|
| 1    | flood policy, on arrival                                 | a flood must not queue      |
| 2    | wait for the person's earlier turns (`TurnLocks`)        | one turn at a time, in order|
| 3    | `Dialogue.handle`: session, flows, risk screen, NLU,     | the conversation's rules    |
|      | answer; the session is saved                             |                             |
| 4    | `deliver(replies)`, still holding the person's lock      | replies never overtake      |
| 5    | work that waits for delivery (a crisis line to staff)    | the person's card first     |

`deliver` is called exactly once per turn, with no replies for a dropped flood, so a channel
can always finish what it started (stop a pressed button's spinner).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.core.dialogue import Dialogue
from bot.core.flood import FloodPolicy
from bot.core.identity import UserKey
from bot.core.languages import Language, Languages
from bot.core.messages import Incoming, Reply
from bot.core.ports import Translator
from bot.core.turn_locks import LocalTurnLocks, TurnLocks

Deliver = Callable[[list[Reply]], Awaitable[None]]


class Conversation:
    def __init__(
        self,
        dialogue: Dialogue,
        translator: Translator,
        *,
        locks: TurnLocks | None = None,
        flood: FloodPolicy | None = None,
    ) -> None:
        """`flood`: None for a channel only its operator can type into (the terminal), where
        pasting 150 test messages is not a flood."""
        self._dialogue = dialogue
        self._tr = translator
        self._locks = locks or LocalTurnLocks()
        self._flood = flood

    async def turn(self, incoming: Incoming, deliver: Deliver) -> None:
        flood = self._flood
        verdict = flood.check(incoming.user_key, incoming.kind) if flood else "ok"
        async with self._locks.hold(incoming.user_key):
            if verdict == "ok":
                replies = await self._dialogue.handle(incoming)
                if flood and any(reply.forgets_person for reply in replies):
                    flood.forget(incoming.user_key)
            elif verdict == "warn":
                replies = [self._slow_down(incoming)]
            else:
                replies = []
            await deliver(replies)
            await self._dialogue.after_delivery(incoming.user_key)

    @property
    def languages(self) -> Languages:
        return self._dialogue.languages

    def language_of(self, key: UserKey, client_language: str | None, text: str = "") -> Language:
        """For words outside a turn (an apology after an error), by the rules of every answer."""
        return self._dialogue.language_of(key, client_language, text)

    def _slow_down(self, incoming: Incoming) -> Reply:
        lang = self.language_of(incoming.user_key, incoming.client_language)
        text = self._tr.gettext(
            lang,
            "You are sending messages very fast. Please wait a moment, "
            "then send your question again.",
        )
        return Reply(text, language=lang, notice=True)
