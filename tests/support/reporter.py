"""Someone going through the guided report in the core: real answers, real SQLite report store,
outbox and screenshots, a fake clock. Shared by the report, evidence and terminal tests."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

from bot.content.answer_book import FileAnswerBook
from bot.core import callbacks
from bot.core.dialogue import Dialogue
from bot.core.identity import UserKey
from bot.core.messages import Incoming, Reply
from bot.core.report_flow import ReportDesk
from bot.settings import PROJECT_ROOT
from bot.storage.database import open_database
from bot.storage.evidence import SqliteEvidenceStore
from bot.storage.forget import SqliteForgetting
from bot.storage.outbox import SqliteOutbox
from bot.storage.reports import SqliteReportStore
from bot.storage.sessions import SqliteSessionStore
from tests.fakes.clock import FakeClock
from tests.fakes.doubles import FakeDetector, FakeNlu, FakeTranslator
from tests.support.people import person

ANSWERS = FileAnswerBook.load(PROJECT_ROOT / "responses")
USER = person(4242)


def pseudonym(user_key: UserKey) -> str:
    return hashlib.sha256(b"test-key" + str(user_key).encode()).hexdigest()[:16]


class Person:
    """Someone talking to the bot; `database` may be a file so the bot can "restart"."""

    def __init__(self, database: Path | str = ":memory:", per_day: int = 5) -> None:
        self.clock = FakeClock()
        self.db = open_database(database)
        self.per_day = per_day
        self._stores()

    def _stores(self) -> None:
        self.store = SqliteReportStore(self.db, self.clock)
        self.outbox = SqliteOutbox(self.db, self.clock)
        self.evidence = SqliteEvidenceStore(self.db, self.clock)
        self.dialogue = self._dialogue()

    def _dialogue(self) -> Dialogue:
        return Dialogue(
            nlu=FakeNlu({"i want to report a tiktok video": ("report_content", 0.95)}),
            detector=FakeDetector(),
            answers=ANSWERS,
            translator=FakeTranslator(),
            sessions=SqliteSessionStore(self.db),
            reports=ReportDesk(
                self.store, self.clock, pseudonym, self.per_day, evidence=self.evidence
            ),
            forgetting=SqliteForgetting(self.db, self.clock),
        )

    def restart(self, database: Path) -> None:
        self.db = open_database(database)
        self._stores()

    def send(self, kind: str, text: str, client: str = "ms") -> list[Reply]:
        incoming = Incoming(USER, kind, text, client)  # type: ignore[arg-type]
        self.last = asyncio.run(self.dialogue.handle(incoming))
        return self.last

    def say(self, text: str) -> list[Reply]:
        return self.send("text", text)

    def press(self, step_choice: str) -> list[Reply]:
        return self.send("button", callbacks.encode("report_step", step_choice))

    @property
    def buttons(self) -> list[str]:
        return [b.data for b in self.last[-1].buttons]


def file_a_scam_report(person: Person) -> list[Reply]:
    person.say("/report")
    person.press("tri.none")
    person.press("cat.financial_fraud")
    person.press("plt.facebook")
    person.say("ni link dia https://www.facebook.com/scam.page/posts/123 tolong")
    person.say("Page ni jual barang tapi tak hantar, dah ramai kena tipu")
    person.say("semalam")
    person.press("chd.no")
    person.press("evd.done")
    person.press("cnt.anon")
    return person.press("sum.confirm")
