"""Staff edits reach the running bot within seconds — but only edits that pass every check.
A broken file is logged and the previous answers keep serving."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path

from bot.content.answer_book import FileAnswerBook
from bot.core.content import Answer, Checklist, ContactCard
from bot.core.languages import Language, Languages
from bot.core.risk import RiskClass

log = logging.getLogger(__name__)
RELOAD_SECONDS = 2.0


def _signature(directory: Path) -> tuple[tuple[str, int, int], ...]:
    return tuple(
        (str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(directory.rglob("*.yml"))
    )


class LiveAnswerBook:
    def __init__(
        self,
        directory: Path,
        *,
        nlu_dir: Path | None = None,
        on_problem: Callable[[str], None] | None = None,
    ) -> None:
        self._directory = directory
        self._nlu_dir = nlu_dir
        self._on_problem = on_problem
        self._book = FileAnswerBook.load(directory, nlu_dir=nlu_dir)
        self._signature = _signature(directory)
        self.last_problems: list[str] = []

    def refresh(self) -> bool:
        """Swaps in the edited answers if they changed and pass; True when swapped."""
        signature = _signature(self._directory)
        if signature == self._signature:
            return False
        self._signature = signature
        book, problems = FileAnswerBook.check(self._directory, nlu_dir=self._nlu_dir)
        if book is None:
            self.last_problems = [str(p) for p in problems]
            log.error(
                "answer files not reloaded; the previous answers keep serving:\n%s",
                "\n".join(self.last_problems),
            )
            if self._on_problem:
                self._on_problem("\n".join(self.last_problems))
            return False
        self._book = book
        self.last_problems = []
        log.info("answer files reloaded (%d topics)", len(book.topics()))
        return True

    async def watch(self, interval: float = RELOAD_SECONDS) -> None:
        while True:
            await asyncio.sleep(interval)
            try:
                await asyncio.to_thread(self.refresh)
            except OSError as exc:  # a file vanished mid-save: try again next round
                log.warning("answer files could not be read: %s", type(exc).__name__)

    @property
    def languages(self) -> Languages:
        return self._book.languages

    def topics(self) -> frozenset[str]:
        return self._book.topics()

    def menu(self) -> tuple[str, ...]:
        return self._book.menu()

    def title(self, topic: str, language: Language) -> str:
        return self._book.title(topic, language)

    def answer(self, topic: str, language: Language) -> Answer | None:
        return self._book.answer(topic, language)

    def contact(self, key: str, language: Language) -> ContactCard | None:
        return self._book.contact(key, language)

    def crisis(self, risk: RiskClass, language: Language) -> Answer | None:
        return self._book.crisis(risk, language)

    def checklist(self, name: str, language: Language) -> Checklist | None:
        return self._book.checklist(name, language)
