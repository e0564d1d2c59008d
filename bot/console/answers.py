"""The answers as citizens get them, for the console: each topic's reply in every language built
by the bot's own `ReplyKit` and rendered by the Telegram adapter's `render`, the "More" page,
the contacts it names, the answer check's problems, and how long ago the facts were checked.

Reading and checking ~40 YAML files takes seconds here (PyYAML in pure Python), so a folder's
view is kept until a file under it (or under `watch`) changes size or time, or the day turns:
an edit shows on the next page load."""

from __future__ import annotations

import os
import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bot.content.answer_book import FileAnswerBook, answer_files
from bot.content.problems import ContentProblem
from bot.core.buttons import ButtonMaker
from bot.core.content import ContactCard
from bot.core.languages import Language
from bot.core.messages import Reply
from bot.core.ports import Clock
from bot.core.replies import ReplyKit
from bot.core.safety_net import SafetyNet
from bot.i18n.translator import BabelTranslator
from bot.telegram_adapter.render import render

STALE_AFTER_DAYS = 180
_CONTACT = re.compile(r"\{contact\.([A-Za-z0-9_]+)\.")

Checker = Callable[[Path], list[ContentProblem]]
_KEPT = 8
_VIEWS: OrderedDict[tuple[object, ...], FolderView] = OrderedDict()


def fingerprint(*folders: Path) -> tuple[tuple[str, int, int], ...]:
    found = []
    for folder in folders:
        for root, _dirs, files in os.walk(folder):
            for name in files:
                file = Path(root) / name
                stat = file.stat()
                found.append((str(file), stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(found))


@dataclass(frozen=True)
class ShownButton:
    label: str
    url: str | None


@dataclass(frozen=True)
class ShownMessage:
    """One Telegram message: its HTML exactly as sent, and the buttons under it."""

    html: str
    buttons: tuple[ShownButton, ...] = ()


@dataclass(frozen=True)
class LanguageView:
    code: Language
    name: str
    title: str
    first: tuple[ShownMessage, ...]
    more: tuple[ShownMessage, ...]


@dataclass(frozen=True)
class TopicView:
    name: str
    reviewed: date | None
    age_days: int | None
    languages: tuple[LanguageView, ...] = ()
    contacts: tuple[ContactCard, ...] = ()
    problems: tuple[ContentProblem, ...] = ()
    loaded: bool = True

    @property
    def stale(self) -> bool:
        return self.age_days is not None and self.age_days > STALE_AFTER_DAYS


@dataclass(frozen=True)
class FolderView:
    """One folder of answers: the live one or a working copy."""

    label: str
    path: Path
    topics: dict[str, TopicView] = field(default_factory=dict)
    problems: tuple[ContentProblem, ...] = ()


def shown_messages(reply: Reply | None) -> tuple[ShownMessage, ...]:
    if reply is None:
        return ()
    shown = []
    for html, markup in render(reply):
        buttons = tuple(
            ShownButton(str(b.text), b.url)
            for row in (markup.inline_keyboard if markup else ())
            for b in row
        )
        shown.append(ShownMessage(html, buttons))
    return tuple(shown)


class AnswerViews:
    def __init__(
        self,
        locales_dir: Path,
        clock: Clock,
        checker: Checker,
        *,
        handoff: bool = False,
        watch: tuple[Path, ...] = (),
    ) -> None:
        """`watch`: folders besides the answers the checker reads (the NLU data)."""
        self._locales = locales_dir
        self._clock = clock
        self._checker = checker
        self._handoff = handoff
        self._watch = watch

    def folder(self, label: str, path: Path) -> FolderView:
        key = (
            label,
            str(path.resolve()),
            self._clock.now().date(),
            self._handoff,
            fingerprint(path, self._locales, *self._watch),
        )
        view = _VIEWS.get(key)
        if view is None:
            view = _VIEWS[key] = self._read(label, path)
            while len(_VIEWS) > _KEPT:
                _VIEWS.popitem(last=False)
        return view

    def _read(self, label: str, path: Path) -> FolderView:
        problems = tuple(self._checker(path))
        book, _ = FileAnswerBook.draft(path)
        if book is None:
            return FolderView(label, path, {}, problems)
        today = self._clock.now().date()
        tr = BabelTranslator(self._locales, book.languages)
        buttons = ButtonMaker(book, tr, scam_check=True, handoff=self._handoff)
        kit = ReplyKit(book, tr, buttons, SafetyNet(book, tr, buttons, self._clock))
        names = sorted(p.stem for p in answer_files(path))
        topics = {}
        for name in names:
            mine = tuple(p for p in problems if p.file == f"{name}.yml")
            found = book.topic_files.get(name)
            if found is None:
                topics[name] = TopicView(name, None, None, problems=mine, loaded=False)
                continue
            reviewed = found.reviewed
            languages = tuple(
                LanguageView(
                    info.code,
                    info.name,
                    book.title(name, info.code),
                    shown_messages(kit.topic(name, info.code)),
                    shown_messages(kit.more(name, info.code)),
                )
                for info in book.languages
            )
            raw = (path / f"{name}.yml").read_text(encoding="utf-8")
            keys = dict.fromkeys(_CONTACT.findall(raw))
            keys.update((s.value, None) for s in found.next_steps if s.kind == "contact")
            cards = (book.contact(key, book.languages.default) for key in keys)
            topics[name] = TopicView(
                name,
                reviewed,
                (today - reviewed).days if reviewed else None,
                languages,
                tuple(card for card in cards if card),
                mine,
            )
        return FolderView(label, path, topics, problems)
