"""Guided reports on Telegram, end to end: `waspada run` as a subprocess, the fake Bot API and the
reference complaint API, each on its own socket of 127.0.0.1."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from bot.complaint_api.validation import validate_complaint
from bot.core import callbacks
from bot.core.language import language_from_client_tag
from bot.core.markup import to_telegram_html
from bot.core.messages import Language
from bot.core.report_status import status_change
from bot.i18n.translator import BabelTranslator
from bot.settings import PROJECT_ROOT
from tests.fakes.complaint_api import TOKEN, ComplaintApiServer
from tests.fakes.telegram_api import FakeTelegramApi, SentMessage
from tests.test_telegram_e2e import start_bot, stop_bot

pytestmark = [pytest.mark.e2e, pytest.mark.nlu]
TR = BabelTranslator(PROJECT_ROOT / "locales")
USER = 31337042  # a Telegram user id that cannot turn up in a hex pseudonym by chance
JPEG = b"\xff\xd8\xff\xe0" + bytes(500)
CONFIRMED = (
    "**Thank you. Your report is saved.** Your reference is **{reference}**.\n\n"
    "What happens next:\n"
    "1. I send it to the complaint system. If the connection is down, I keep trying: "
    "nothing is lost and it is never sent twice.\n"
    "2. When it is received, I will message you its official complaint number.\n"
    "3. I will tell you here when its status changes. Type /status any time."
)


@pytest.fixture
def api(complaint_api: ComplaintApiServer) -> ComplaintApiServer:
    return complaint_api


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


def eventually(check: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {timeout} s")
        time.sleep(0.1)


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
        return language_from_client_tag(self.language_code) or "en"

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
    confirmation = person.presses("sum.confirm", then="WSP-")
    found = re.search(r"WSP-[2-9A-HJKMNP-Z]{5}", confirmation.text)
    assert found, confirmation.text
    expected = TR.gettext(person.lang, CONFIRMED, reference=found[0])
    assert confirmation.text == to_telegram_html(expected)
    return found[0], file_id


def told(lang: Language, reference: str, complaint_id: str, official: str) -> str:
    """What the bot says when the complaint system answers, in the person's language."""
    reply = status_change(
        TR, lang, reference=reference, complaint_id=complaint_id, delivery="delivered",
        official=official,
    )  # fmt: skip
    return to_telegram_html(reply.text)


def test_a_chinese_report_on_telegram_arrives_once_and_its_status_comes_back_in_chinese(
    telegram: FakeTelegramApi, api: ComplaintApiServer, launch: Callable[..., subprocess.Popen[str]]
) -> None:
    link = "https://www.facebook.com/scam.page/posts/123"
    description = "这个脸书专页卖东西收了钱不发货，很多人被骗了"
    bot = launch(COMPLAINT_API_URL=api.base_url, COMPLAINT_API_TOKEN=TOKEN)
    person = Person(telegram, "zh-hans")
    yesterday = datetime.now(timezone(timedelta(hours=8))).date() - timedelta(days=1)
    reference, file_id = file_report(
        person, category="financial_fraud", link=link, description=description, when="昨天",
        photo=JPEG,
    )  # fmt: skip
    assert re.search(r"[\u4e00-\u9fff]", TR.gettext("zh", CONFIRMED, reference=reference))

    eventually(lambda: api.complaints() == 1, "the complaint reaches the API")
    [row] = api.all_complaints()
    complaint_id, body = row["complaint_id"], json.loads(row["body"])
    received = told("zh", reference, complaint_id, "received")
    wait_for(telegram, lambda m: m.chat_id == USER and m.text == received)
    assert complaint_id in received
    assert validate_complaint(body) == []
    assert (body["language"], body["channel"]) == ("zh", "telegram")
    assert (body["category"], body["platform"]) == ("financial_fraud", "facebook")
    assert (body["content_urls"], body["description"]) == ([link], description)
    assert body["involves_child"] is False
    reporter = body["reporter"]
    assert reporter["contact_consent"] is False
    assert (reporter["name"], reporter["phone"], reporter["email"]) == (None, None, None)
    assert reporter["telegram_user_ref"]
    assert str(USER) not in reporter["telegram_user_ref"]

    eventually(lambda: len(api.evidence(complaint_id)) == 1, "the screenshot reaches the API")
    [evidence] = api.evidence(complaint_id)
    assert (evidence["content_type"], evidence["size"]) == ("image/jpeg", len(JPEG))
    assert evidence["sha256"] == hashlib.sha256(JPEG).hexdigest()
    assert telegram.downloads == [file_id], "the screenshot is downloaded exactly once"

    api.set_status(complaint_id, "in_review")
    changed_at = time.monotonic()
    reviewed = told("zh", reference, complaint_id, "in_review")
    wait_for(telegram, lambda m: m.chat_id == USER and m.text == reviewed, timeout=15)
    assert time.monotonic() - changed_at < 10
    assert TR.gettext("zh", "being reviewed") in reviewed

    output = stop_bot(bot, telegram)
    assert api.complaints() == 1
    assert person.received(received) == 1 and person.received(reviewed) == 1
    for private in (description, link, f"telegram:{USER}"):
        assert private not in output, f"{private!r} leaked into the bot's logs"
    assert f"{reference} accepted" in output, "deliveries are logged, by reference only"
    assert body["incident_date"] == yesterday.isoformat(), "昨天 is the day before, in Malaysia"


def test_admins_hear_on_telegram_when_the_complaint_api_refuses_waspadas_credentials(
    telegram: FakeTelegramApi, api: ComplaintApiServer, launch: Callable[..., subprocess.Popen[str]]
) -> None:
    link = "https://www.facebook.com/bully.account.77"
    description = "This account keeps posting threats against my neighbour"
    wrong = "not-the-token-of-this-api"
    bot = launch(
        COMPLAINT_API_URL=api.base_url,
        COMPLAINT_API_TOKEN=wrong,
        WASPADA_ADMIN_CHAT_IDS="9001,9002",
    )
    person = Person(telegram, "en")
    file_report(person, category="harassment", link=link, description=description, when="today")

    admins = (9001, 9002)
    eventually(lambda: set(admins) <= {m.chat_id for m in telegram.sent}, "both admins hear")
    for alert in [m for m in telegram.sent if m.chat_id in admins]:
        assert alert.method == "sendMessage"
        assert "credentials" in alert.text and "held" in alert.text, alert.text
        for private in (description, link, wrong, str(USER)):
            assert private not in alert.text
    assert api.complaints() == 0
    output = stop_bot(bot, telegram)
    assert api.complaints() == 0, "a refused report is held, never sent"
    assert sum(m.chat_id in admins for m in telegram.sent) == 2, "each admin hears once"
    assert "ALERT: The complaint API refused Waspada's credentials" in output
    for private in (description, link, wrong):
        assert private not in output


def test_a_report_filed_while_the_api_is_down_arrives_once_after_it_comes_back(
    telegram: FakeTelegramApi, api: ComplaintApiServer, launch: Callable[..., subprocess.Popen[str]]
) -> None:
    bot = launch(COMPLAINT_API_URL=api.base_url, COMPLAINT_API_TOKEN=TOKEN)
    api.faults.fail_next = [503, 503, 503]
    person = Person(telegram, "ms")
    reference, _ = file_report(
        person, category="harassment", link="https://www.facebook.com/troll.page",
        description="Akaun ini menghantar ugutan kepada anak jiran saya", when="semalam",
    )  # fmt: skip
    eventually(lambda: not api.faults.fail_next, "the bot retries through the outage")
    eventually(lambda: api.complaints() == 1, "the report arrives once the API is back")
    [row] = api.all_complaints()
    received = told("ms", reference, row["complaint_id"], "received")
    wait_for(telegram, lambda m: m.chat_id == USER and m.text == received)

    status = person.types("/status", then=row["complaint_id"])
    assert TR.gettext("ms", "received") in status.text
    stop_bot(bot, telegram)
    assert api.complaints() == 1
    assert person.received(received) == 1
