"""The core's conversation service, on its own: one person's turns one at a time and in order,
never holding up anyone else, and their replies delivered in the same order."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.core.conversation import Conversation
from bot.core.flood import FloodBudget, FloodPolicy
from bot.core.identity import UserKey
from bot.core.languages import Language
from bot.core.messages import Incoming, Reply
from tests.fakes.clock import FakeClock
from tests.fakes.doubles import FakeTranslator
from tests.support.people import person


class SlowDialogue:
    """Answers with the text it got; a message saying "wait" holds its turn until released."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.running: list[str] = []

    async def handle(self, incoming: Incoming) -> list[Reply]:
        self.running.append(incoming.text)
        if incoming.text.startswith("wait"):
            await self.release.wait()
        self.running.remove(incoming.text)
        return [Reply(incoming.text)]

    def language_of(self, key: UserKey, client: str | None, text: str = "") -> Language:
        return "en"

    async def after_delivery(self, key: UserKey) -> None:
        """Nothing waits for delivery here (a staff desk's crisis line would)."""


def conversation(dialogue: SlowDialogue, **options: Any) -> Conversation:
    return Conversation(dialogue, FakeTranslator(), **options)  # type: ignore[arg-type]


def test_a_persons_second_message_waits_for_the_first_but_others_do_not() -> None:
    async def scenario() -> list[tuple[UserKey, str]]:
        dialogue = SlowDialogue()
        service = conversation(dialogue)
        delivered: list[tuple[UserKey, str]] = []

        def deliver_to(key: UserKey) -> Any:
            async def deliver(replies: list[Reply]) -> None:
                delivered.extend((key, r.text) for r in replies)

            return deliver

        first = asyncio.create_task(
            service.turn(Incoming(person(1), "text", "wait for me"), deliver_to(person(1)))
        )
        await asyncio.sleep(0)
        second = asyncio.create_task(
            service.turn(Incoming(person(1), "text", "then me"), deliver_to(person(1)))
        )
        await service.turn(Incoming(person(2), "text", "someone else"), deliver_to(person(2)))
        assert delivered == [(person(2), "someone else")], "person 2 did not wait for person 1"
        assert dialogue.running == ["wait for me"], "person 1's second turn has not started"
        dialogue.release.set()
        await asyncio.gather(first, second)
        return delivered

    delivered = asyncio.run(scenario())
    assert delivered[1:] == [(person(1), "wait for me"), (person(1), "then me")]


def test_a_flood_gets_one_notice_then_nothing_but_every_turn_is_delivered() -> None:
    async def scenario() -> list[list[Reply]]:
        policy = FloodPolicy(FakeClock(), FloodBudget(messages=2, presses=2, window_s=10))
        service = conversation(SlowDialogue(), flood=policy)
        seen: list[list[Reply]] = []

        async def deliver(replies: list[Reply]) -> None:
            seen.append(replies)

        for number in range(4):
            await service.turn(Incoming(person(1), "text", f"message {number}"), deliver)
        return seen

    seen = asyncio.run(scenario())
    assert [r[0].text for r in seen[:2]] == ["message 0", "message 1"]
    assert seen[2][0].notice and "[en] You are sending messages very fast" in seen[2][0].text
    assert seen[3] == [], "dropped, but the channel is still told the turn is over"
