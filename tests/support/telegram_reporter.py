"""Someone reporting through the real bot process (`waspada run`), one step at a time, and the
fixture that starts that bot."""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.core import callbacks
from bot.core.languages import Language
from bot.core.markup import to_telegram_html
from bot.core.report_status import status_change
from bot.i18n.translator import BabelTranslator
from bot.settings import PROJECT_ROOT
from tests.fakes.telegram_api import FakeTelegramApi, SentMessage
from tests.support.bot_process import start_bot
from tests.support.languages import LANGUAGES

TR = BabelTranslator(PROJECT_ROOT / "locales", LANGUAGES)
CONFIRMED = (
    "**Thank you. Your report is saved.** Your reference is **{reference}**.\n\n"
    "What happens next:\n"
    "1. I send it to the complaint system. If the connection is down, I keep trying: "
    "nothing is lost and it is never sent twice.\n"
    "2. When it is received, I will message you its official complaint number.\n"
    "3. I will tell you here when its status changes. Type /status any time."
)


USER = 31337042  # a Telegram user id that cannot turn up in a hex pseudonym by chance


@pytest.fixture
def launch(
    telegram: FakeTelegramApi, data_dir: Path
) -> Iterator[Callable[..., subprocess.Popen[str]]]:
    """Starts the bot with extra environment; a bot the test did not stop is killed."""
    started: list[subprocess.Popen[str]] = []

    def launch(**env: str) -> subprocess.Popen[str]:
        started.append(start_bot(telegram, data_dir, WASPADA_STATUS_POLL_SECONDS="1", **env))
        return started[-1]

    yield launch
    for process in started:
        if process.poll() is None:
            process.kill()
            process.communicate()


def wait_for(
    telegram: FakeTelegramApi,
    wanted: Callable[[SentMessage], bool],
    after: int = 0,
    timeout: float = 30.0,
) -> SentMessage:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [m for m in list(telegram.sent)[after:] if wanted(m)]
        if found:
            return found[0]
        time.sleep(0.05)
    seen = "\n".join(f"{m.chat_id}: {m.text[:100]!r}" for m in telegram.sent)
    pytest.fail(f"no such message within {timeout} s; the bot sent:\n{seen}")


def step(choice: str) -> str:
    return callbacks.encode("report_step", choice)


@dataclass
class Person:
    """Someone in a private chat with the bot, doing one thing at a time and reading the answer."""

    telegram: FakeTelegramApi
    language_code: str
    user_id: int = USER

    @property
    def how(self) -> dict[str, Any]:
        return {"user_id": self.user_id, "language_code": self.language_code}

    @property
    def lang(self) -> Language:
        return LANGUAGES.from_client_tag(self.language_code) or LANGUAGES.default

    def _then(self, act: Callable[[], object], shows: str, timeout: float = 30.0) -> SentMessage:
        before = len(self.telegram.sent)
        act()
        return wait_for(
            self.telegram,
            lambda m: m.chat_id == self.user_id and (shows in m.button_data or shows in m.text),
            after=before,
            timeout=timeout,
        )

    def types(self, text: str, then: str, timeout: float = 30.0) -> SentMessage:
        return self._then(lambda: self.telegram.send_text(text, **self.how), then, timeout)

    def presses(self, choice: str, then: str) -> SentMessage:
        return self._then(lambda: self.telegram.press_button(step(choice), **self.how), then)

    def sends_photo(self, data: bytes) -> str:
        ids: list[str] = []
        # "Remove the screenshots" is offered only once the bot holds one.
        self._then(
            lambda: ids.append(self.telegram.send_photo(data, **self.how)), step("evd.clear")
        )
        return ids[0]

    def received(self, text: str) -> int:
        return sum(m.chat_id == self.user_id and m.text == text for m in self.telegram.sent)


def file_report(
    person: Person, *, category: str, link: str, description: str, when: str, photo: bytes = b""
) -> tuple[str, str]:
    """Walks the whole guided report, anonymously; returns (reference, screenshot file id)."""
    person.types("/report", then=step("tri.cancel"), timeout=60)
    person.presses("tri.none", then=step("cat.cancel"))
    person.presses(f"cat.{category}", then=step("plt.cancel"))
    person.presses("plt.facebook", then=step("lnk.cancel"))
    person.types(link, then=step("dsc.cancel"))
    person.types(description, then=step("whn.cancel"))
    person.types(when, then=step("chd.cancel"))
    person.presses("chd.no", then=step("evd.cancel"))
    file_id = person.sends_photo(photo) if photo else ""
    person.presses("evd.done", then=step("cnt.cancel"))
    summary = person.presses("cnt.anon", then=step("sum.confirm"))
    assert to_telegram_html(description) in summary.text
    before = len(person.telegram.sent)
    person.telegram.press_button(step("sum.confirm"), **person.how)
    # The complaint system may answer so fast that "received" overtakes the confirmation.
    confirmation = wait_for(
        person.telegram,
        lambda m: m.chat_id == person.user_id and m.text == confirmed(person.lang, m.text),
        after=before,
    )
    found = re.search(REFERENCE, confirmation.text)
    assert found, confirmation.text
    return found[0], file_id


REFERENCE = r"WSP-[2-9A-HJKMNP-Z]{5}"


def confirmed(lang: Language, text: str) -> str:
    """The confirmation the bot sends for the reference in `text`, or "" if it names none."""
    found = re.search(REFERENCE, text)
    return to_telegram_html(TR.gettext(lang, CONFIRMED, reference=found[0])) if found else ""


def told(lang: Language, reference: str, complaint_id: str, official: str) -> str:
    """What the bot says when the complaint system answers, in the person's language."""
    reply = status_change(
        TR, lang, reference=reference, complaint_id=complaint_id, delivery="delivered",
        official=official,
    )  # fmt: skip
    return to_telegram_html(reply.text)
