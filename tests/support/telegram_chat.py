"""A real PTB Application fed updates in-process, against the fake Bot API."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlite_utils
from telegram import Update
from telegram.ext import Application

from bot.content.answer_book import FileAnswerBook
from bot.core.clock import SystemClock
from bot.core.conversation import Conversation
from bot.core.dialogue import Dialogue
from bot.core.flood import FloodPolicy
from bot.core.insight import Insight
from bot.core.languages import Language
from bot.core.markup import to_telegram_html
from bot.core.report_flow import ReportDesk
from bot.i18n.translator import BabelTranslator
from bot.settings import PROJECT_ROOT
from bot.storage.chat_log import SqliteChatLog
from bot.storage.database import open_database
from bot.storage.forget import SqliteForgetting
from bot.storage.review import SqliteReviewQueue
from bot.storage.sessions import SqliteSessionStore
from bot.storage.updates import SqliteUpdateLedger
from bot.storage.usage import SqliteUsageCounts
from bot.telegram_adapter.application import Options, build_application
from tests.fakes.doubles import FakeDetector, FakeNlu
from tests.fakes.telegram_api import FakeTelegramApi, SentMessage
from tests.support.languages import LANGUAGES

CLIENTS: dict[str, Language] = {"en": "en", "ms": "ms", "zh-hans": "zh"}


ANSWERS = FileAnswerBook.load(PROJECT_ROOT / "responses")
TR = BabelTranslator(PROJECT_ROOT / "locales", LANGUAGES)


def feed_updates(
    app: Application[Any, Any, Any, Any, Any, Any],
    api: FakeTelegramApi,
    updates: tuple[dict[str, Any], ...],
) -> list[SentMessage]:
    """Runs the updates through the application in order; returns what the bot sent meanwhile."""
    before = len(api.sent)

    async def run() -> None:
        async with app:
            for number, update in enumerate(updates, start=1):
                await app.process_update(Update.de_json({"update_id": number, **update}, app.bot))

    asyncio.run(run())
    return api.sent[before:]


class Chat:
    """One person's chat with the bot: what they send goes through PTB, what comes back is read
    from the fake Bot API."""

    def __init__(
        self,
        api: FakeTelegramApi,
        database: Path,
        nlu: FakeNlu | None = None,
        reports: Callable[[sqlite_utils.Database], ReportDesk] | None = None,
        *,
        insight: bool = False,
        once_per_update: bool = False,
    ) -> None:
        """`insight`: questions are counted and answers carry 👍/👎 (`self.usage`);
        `once_per_update`: update ids are claimed in the SQLite file, as `waspada run` does."""
        self.api = api
        self.db = db = open_database(database)
        clock = SystemClock()
        self.usage = SqliteUsageCounts(db, clock)
        self.dialogue = Dialogue(
            nlu=nlu or FakeNlu(),
            detector=FakeDetector(),
            answers=ANSWERS,
            translator=TR,
            sessions=SqliteSessionStore(db),
            reports=reports(db) if reports else None,
            forgetting=SqliteForgetting(db, SystemClock()),
            insight=Insight(clock, self.usage, SqliteReviewQueue(db, clock)) if insight else None,
        )
        self.app = build_application(
            api.token,
            Conversation(self.dialogue, TR, flood=FloodPolicy(SystemClock())),
            TR,
            SqliteChatLog(db),
            base_url=api.base_url,
            options=Options(rate_limit=False),
            updates=SqliteUpdateLedger(db, clock) if once_per_update else None,
        )

    def feed(self, *updates: dict[str, Any]) -> list[SentMessage]:
        """Handles the updates in order and returns what the bot sent meanwhile."""
        return feed_updates(self.app, self.api, updates)

    def say(self, text: str, client: str | None = "en", **how: Any) -> list[SentMessage]:
        return self.feed({"message": self.api.text_update(text, language_code=client, **how)})

    def send(self, extra: dict[str, Any], client: str | None = "en") -> list[SentMessage]:
        return self.feed({"message": self.api.other_update(extra, language_code=client)})

    def send_photo(self, data: bytes, client: str | None = "en") -> list[SentMessage]:
        """Like the fake API's send_photo, but handled at once through `feed`."""
        before = len(self.api.updates)
        self.api.send_photo(data, language_code=client)
        [update] = self.api.updates[before:]
        self.api.updates.remove(update)
        return self.feed(update)

    def press(self, data: str, client: str | None = "en", **how: Any) -> list[SentMessage]:
        return self.feed(
            {"callback_query": self.api.button_update(data, language_code=client, **how)}
        )


def ui(lang: Language, message: str, **values: object) -> str:
    return to_telegram_html(TR.gettext(lang, message, **values))
