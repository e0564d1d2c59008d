"""A real PTB Application with a staff forum group, fed updates in-process against the fake Bot
API: what a person sends and what staff write in their topic go through the same handlers as in
production."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.core.conversation import Conversation
from bot.core.dialogue import Dialogue
from bot.core.flood import FloodPolicy
from bot.core.office_hours import OfficeHours
from bot.core.staff_desk import HandoffDesk
from bot.core.staff_room import StaffRoom
from bot.storage.chat_log import SqliteChatLog
from bot.storage.database import open_database
from bot.storage.forget import SqliteForgetting
from bot.storage.handoff import SqliteCaseStore, SqliteStaffCopies
from bot.storage.sessions import SqliteSessionStore
from bot.telegram_adapter.application import Options, build_application
from bot.telegram_adapter.staff import StaffRouting, TelegramStaffDesk
from tests.fakes.clock import FakeClock
from tests.fakes.doubles import FakeDetector, FakeNlu
from tests.fakes.telegram_api import FakeTelegramApi, SentMessage
from tests.support.telegram_chat import ANSWERS, TR, feed_updates

STAFF_GROUP = -1001234567890


class StaffedChat:
    """One bot process: a person's private chat and the staff group. Build a second one over the
    same database file for a restart."""

    def __init__(
        self,
        api: FakeTelegramApi,
        database: Path,
        nlu: FakeNlu,
        detector: FakeDetector,
        clock: FakeClock,
        staff_ids: frozenset[str] = frozenset(),
    ) -> None:
        self.api = api
        db = open_database(database)
        self.cases = SqliteCaseStore(db)
        desk = TelegramStaffDesk(STAFF_GROUP, SqliteStaffCopies(db), clock)
        dialogue = Dialogue(
            nlu=nlu,
            detector=detector,
            answers=ANSWERS,
            translator=TR,
            sessions=SqliteSessionStore(db, clock),
            clock=clock,
            forgetting=SqliteForgetting(db, clock),
            handoff=HandoffDesk(desk, self.cases, OfficeHours()),
        )
        room = StaffRoom(self.cases, desk, TR, clock, staff_ids=staff_ids)
        self.app = build_application(
            api.token,
            Conversation(dialogue, TR, flood=FloodPolicy(clock)),
            TR,
            SqliteChatLog(db),
            base_url=api.base_url,
            options=Options(rate_limit=False),
            staff=StaffRouting(room, desk),
        )

    def feed(self, *updates: dict[str, Any]) -> list[SentMessage]:
        return feed_updates(self.app, self.api, updates)

    def say(self, text: str, client: str = "ms", **how: Any) -> list[SentMessage]:
        return self.feed({"message": self.api.text_update(text, language_code=client, **how)})

    def press(self, data: str, client: str = "ms") -> list[SentMessage]:
        return self.feed({"callback_query": self.api.button_update(data, language_code=client)})

    def staff(self, text: str, thread: int | None, **how: Any) -> list[SentMessage]:
        """`how`: chat_id (the staff group unless given), user_id, first_name."""
        how.setdefault("chat_id", STAFF_GROUP)
        return self.feed({"message": self.api.staff_update(text, thread=thread, **how)})
