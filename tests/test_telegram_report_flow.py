"""The guided report through the real PTB Application and the fake Bot API, in the three client
languages Telegram reports: buttons edit the menu in place, a screenshot is downloaded once, a
child's image never is, and what the person typed comes back escaped."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import sqlite_utils

from bot.core import callbacks
from bot.core.report_flow import ReportDesk
from bot.storage.evidence import SqliteEvidenceStore
from bot.storage.reports import SqliteReportStore
from tests.fakes.clock import FakeClock
from tests.fakes.telegram_api import FakeTelegramApi
from tests.support.telegram_chat import CLIENTS, Chat, ui

pytestmark = pytest.mark.e2e
JPEG = b"\xff\xd8\xff\xe0" + bytes(700)
CHILD_IMAGES_REFUSED = (
    "Please don't send images when a child is involved: I don't open or keep them, "
    "and no one should download, screenshot or forward them. Only the link is needed."
)
STORIES = {
    "en": ("This page <b>sells</b> fake iPhones & never delivers", "2 days ago"),
    "ms": ("Page ni <b>jual</b> iPhone palsu & tak hantar barang", "2 hari lepas"),
    "zh-hans": ("这个专页<b>卖</b>假iPhone & 收钱不发货", "2天前"),
}


def report_desk(db: sqlite_utils.Database) -> ReportDesk:
    clock = FakeClock()
    return ReportDesk(
        SqliteReportStore(db, clock),
        clock,
        lambda key: hashlib.sha256(str(key).encode()).hexdigest()[:16],
        per_day=5,
        evidence=SqliteEvidenceStore(db, clock),
    )


@pytest.fixture
def api(telegram: FakeTelegramApi) -> FakeTelegramApi:
    return telegram


@pytest.fixture
def reporter(api: FakeTelegramApi, tmp_path: Path) -> Chat:
    return Chat(api, tmp_path / "waspada.db", reports=report_desk)


def step(choice: str) -> str:
    return callbacks.encode("report_step", choice)


@pytest.mark.parametrize("client", CLIENTS)
def test_a_scam_report_with_a_screenshot_goes_through_telegram_in_the_clients_language(
    reporter: Chat, api: FakeTelegramApi, client: str
) -> None:
    lang = CLIENTS[client]
    description, when = STORIES[client]
    reporter.say("/report", client)
    for choice in ("tri.none", "cat.financial_fraud"):
        [edited] = reporter.press(step(choice), client)
        assert edited.method == "editMessageText", "a pressed menu is replaced in place"
    reporter.press(step("plt.facebook"), client)
    reporter.say("https://www.facebook.com/fake.iphone.my/posts/42", client)
    reporter.say(description, client)
    reporter.say(when, client)
    [screenshots] = reporter.press(step("chd.no"), client)
    no_screenshots = ui(lang, "No screenshots, continue")
    assert no_screenshots in [b["text"] for b in screenshots.buttons]

    [added] = reporter.send_photo(JPEG, client)

    assert ui(lang, "Screenshot {count} of {limit} added.", count=1, limit=3) in added.text
    assert step("evd.done") in added.button_data
    assert len(api.downloads) == 1
    reporter.press(step("evd.done"), client)
    [summary] = reporter.press(step("cnt.anon"), client)
    assert ui(lang, "Please check your report before it is sent:") in summary.text
    assert "&lt;b&gt;" in summary.text and "<b>sells" not in summary.text, "typed HTML is escaped"
    [thanks] = reporter.press(step("sum.confirm"), client)
    assert "WSP-" in thanks.text
    row = next(reporter.db.query("SELECT language, category, description FROM reports"))
    assert row == {"language": lang, "category": "financial_fraud", "description": description}
    states = [r["state"] for r in reporter.db.query("SELECT state FROM evidence")]
    assert states == ["attached"]


@pytest.mark.parametrize("client", CLIENTS)
def test_an_image_sent_in_a_child_abuse_report_is_never_downloaded(
    reporter: Chat, api: FakeTelegramApi, client: str
) -> None:
    lang = CLIENTS[client]
    reporter.say("/report", client)
    warning, _ = reporter.press(step("tri.child"), client)
    assert warning.protect_content

    refused, _ = reporter.send_photo(JPEG, client)

    assert refused.text == ui(lang, CHILD_IMAGES_REFUSED)
    assert "getFile" not in api.calls
    assert api.downloads == []
    assert list(reporter.db.query("SELECT * FROM evidence")) == []
