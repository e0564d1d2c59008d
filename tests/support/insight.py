"""A person talking to a bot that counts questions and keeps unplaced ones for review: real
answers, a real SQLite file, fake NLU and clock."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.content.answer_book import FileAnswerBook
from bot.core import callbacks
from bot.core.dialogue import Dialogue
from bot.core.identity import UserKey
from bot.core.insight import Insight
from bot.core.messages import Incoming, Reply
from bot.core.risk import RiskClass
from bot.settings import PROJECT_ROOT
from bot.storage.database import open_database
from bot.storage.forget import SqliteForgetting
from bot.storage.review import SqliteReviewQueue
from bot.storage.sessions import SqliteSessionStore
from bot.storage.usage import SqliteUsageCounts
from tests.fakes.clock import FakeClock
from tests.fakes.doubles import FakeDetector, FakeNlu, FakeTranslator
from tests.support.people import person

ANSWERS = FileAnswerBook.load(PROJECT_ROOT / "responses")
CLIENT = {"en": "en", "ms": "ms", "zh": "zh-hans"}


class InsightBot:
    """The dialogue with its insight wired to SQLite in `database`; `user` is who talks."""

    def __init__(
        self,
        database: Path,
        table: dict[str, tuple[str, float]] | None = None,
        risks: dict[str, tuple[RiskClass, ...]] | None = None,
    ) -> None:
        self.clock = FakeClock()
        self.db = open_database(database)
        self.nlu = FakeNlu(table or {}, risks=risks or {})
        self.usage = SqliteUsageCounts(self.db, self.clock)
        self.queue = SqliteReviewQueue(self.db, self.clock)
        self.dialogue = Dialogue(
            nlu=self.nlu,
            detector=FakeDetector(),
            answers=ANSWERS,
            translator=FakeTranslator(),
            sessions=SqliteSessionStore(self.db, self.clock),
            clock=self.clock,
            forgetting=SqliteForgetting(self.db, self.clock),
            insight=Insight(self.clock, self.usage, self.queue),
        )
        self.user: UserKey = person(1)

    def send(self, incoming: Incoming) -> list[Reply]:
        return asyncio.run(self.dialogue.handle(incoming))

    def say(self, text: str, lang: str = "en") -> list[Reply]:
        return self.send(Incoming(self.user, "text", text, CLIENT[lang]))

    def press(self, data: str, lang: str = "en") -> list[Reply]:
        return self.send(Incoming(self.user, "button", data, CLIENT[lang]))

    def rate(self, topic: str, helpful: bool, lang: str = "en") -> list[Reply]:
        return self.press(callbacks.encode("helpful", f"{'u' if helpful else 'd'}.{topic}"), lang)


def rating_data(reply: Reply) -> list[str]:
    return [b.data for b in reply.buttons if b.data.startswith("v1:hp:")]
