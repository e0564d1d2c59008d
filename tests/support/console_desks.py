"""The people on the other side of the console's desks: someone who asked for a person through
the real PTB Application (`StaffedChat`, against the fake Bot API), and people who turned scam
alerts on; plus the bot's broadcaster, run once the way `waspada alerts deliver --once` does."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from telegram import Bot

from bot.app_alerts import new_pacer
from bot.content.answer_book import FileAnswerBook
from bot.core import callbacks
from bot.core.staff_desk import Case
from bot.delivery.broadcaster import Broadcaster
from bot.i18n.translator import BabelTranslator
from bot.settings import PROJECT_ROOT, Settings
from bot.storage.alerts import SqliteBroadcasts, SqliteSubscriptions
from bot.storage.database import open_database
from bot.telegram_adapter.alert_channel import TelegramAlertChannel
from tests.fakes.clock import FakeClock
from tests.fakes.doubles import FakeDetector, FakeNlu
from tests.fakes.telegram_api import FakeTelegramApi
from tests.support.people import person
from tests.support.staff_chat import StaffedChat

PERSON = 777
ASK_FOR_A_PERSON = "nak cakap dengan orang"
THEIR_WORDS = "Dia minta RM500 & cepat"


@dataclass
class WaitingPerson:
    chat: StaffedChat
    case: Case
    thread: int


def person_waiting_for_staff(api: FakeTelegramApi, database: Path) -> WaitingPerson:
    """A Malay speaker asks for a person, agrees to share, and writes one message: their case
    has a Telegram topic, and they wait for a staff reply."""
    nlu = FakeNlu({ASK_FOR_A_PERSON: ("human_handoff", 0.96)})
    detector = FakeDetector({ASK_FOR_A_PERSON: "ms", THEIR_WORDS: "ms"})
    chat = StaffedChat(api, database, nlu, detector, FakeClock())
    chat.say(ASK_FOR_A_PERSON, "ms")
    chat.press(callbacks.encode("handoff", "yes"), "ms")
    chat.say(THEIR_WORDS, "ms")
    case = chat.cases.open_case_of(person(PERSON))
    assert case is not None and case.thread is not None and case.waiting_since is not None
    return WaitingPerson(chat, case, int(case.thread))


def subscribe(database: Path, clock: FakeClock, people: dict[int, str]) -> None:
    """People (chat id → language) who sent /alerts earlier."""
    db = open_database(database)
    subscriptions = SqliteSubscriptions(db, clock)
    for chat_id, language in people.items():
        subscriptions.subscribe(person(chat_id), language)
    db.close()


def deliver_alerts(api: FakeTelegramApi, database: Path, clock: FakeClock) -> None:
    """The bot's broadcaster sends what is due, as `waspada alerts deliver --once` does."""

    async def run() -> None:
        book = FileAnswerBook.load(PROJECT_ROOT / "responses")
        translator = BabelTranslator(PROJECT_ROOT / "locales", book.languages)
        async with Bot(api.token, base_url=api.base_url) as bot:
            broadcaster = Broadcaster(
                SqliteBroadcasts(open_database(database), clock),
                TelegramAlertChannel(bot),
                book,
                translator,
                clock,
                new_pacer(Settings(data_dir=database.parent)),
            )
            await broadcaster.drain()

    asyncio.run(run())
