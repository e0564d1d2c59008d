"""Scam alerts from the console: a staff member writes an alert in English, Malay and Chinese,
gets a clear list of what is wrong without losing a word of it, previews it as Telegram shows
it, and queues it; the bot's broadcaster then sends it to the people who opted in, each in
their language, through the fake Bot API."""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.storage.alerts import SqliteBroadcasts
from bot.storage.database import open_database
from tests.fakes.telegram_api import FakeTelegramApi
from tests.support.console_browser import (
    STAFF_NAME,
    ConsoleServer,
    StaffBrowser,
    logged_in_client,
    start_console,
)
from tests.support.console_desks import deliver_alerts, subscribe
from tests.support.telegram_chat import ANSWERS, TR

pytestmark = pytest.mark.e2e
SUBSCRIBERS = {901: "ms", 902: "en", 903: "zh"}
STRANGER = 904  # never sent /alerts
NAME = "2026-11-24-fake-lhdn-refund"  # the console's clock: Tuesday 24 November in Malaysia
TEXTS = {
    "en": "⚠️ **Fake LHDN refund SMS** are going round. Never type your <OTP> & PIN into a link. "
    "Already paid? Call NSRC {contact.nsrc.phone} now.",
    "ms": "⚠️ **SMS palsu bayaran balik LHDN** sedang tersebar. Jangan masukkan OTP & PIN. "
    "Sudah bayar? Hubungi NSRC {contact.nsrc.phone} sekarang.",
    "zh": "⚠️ **假冒LHDN退税短信**正在流传。不要在链接里输入OTP和密码。"
    "已经付钱？立刻拨打NSRC {contact.nsrc.phone}。",
}


@pytest.fixture
def desk(tmp_path: Path, telegram: FakeTelegramApi) -> Iterator[ConsoleServer]:
    console = start_console(tmp_path, telegram=telegram)
    console.add_account(STAFF_NAME)
    subscribe(console.db_path, console.clock, SUBSCRIBERS)
    yield console
    console.stop()


def form(csrf: str, **changes: str) -> dict[str, str]:
    found = {"csrf": csrf, "slug": "fake-lhdn-refund", "send_after": "", "button": "faq_phishing"}
    found.update({f"text_{lang}": text for lang, text in TEXTS.items()})
    found.update(changes)
    return found


@pytest.mark.browser
def test_staff_compose_preview_and_send_an_alert_that_reaches_subscribers(
    chromium: object, desk: ConsoleServer, telegram: FakeTelegramApi
) -> None:
    staff = StaffBrowser(chromium, desk)
    staff.log_in(STAFF_NAME)
    staff.click("#nav-alerts")
    assert staff.text("#subscribers") == "en 1, ms 1, zh 1"

    # A first try: no Chinese yet, and a phone number typed in instead of the contact.
    staff.type_into("#slug", "fake-lhdn-refund")
    staff.type_into("#text-en", TEXTS["en"].replace("{contact.nsrc.phone}", "03-2610 1559"))
    staff.type_into("#text-ms", TEXTS["ms"])
    staff.click("#preview-alert")
    problems = staff.text("#problems")
    assert "Nothing was queued" in problems and "the zh text is missing or empty" in problems
    assert "`" not in problems.replace("`03-2610 1559`", ""), "no file keys in the form's words"
    assert "`03-2610 1559` is typed into the en text" in problems
    assert staff.value("#text-ms") == TEXTS["ms"], "nothing typed is lost"
    assert "03-2610 1559" in staff.value("#text-en")
    assert staff.value("#slug") == "fake-lhdn-refund"

    staff.type_into("#text-en", TEXTS["en"])
    staff.type_into("#text-zh", TEXTS["zh"])
    from selenium.webdriver.support.ui import Select

    Select(staff.driver.find_element("id", "button")).select_by_value("faq_phishing")
    staff.click("#preview-alert")
    nsrc = ANSWERS.contact("nsrc", "en")
    assert nsrc is not None and nsrc.phone
    for lang in ("en", "ms", "zh"):
        shown = staff.text(f"#preview-{lang}")
        assert "1 subscriber(s)" in shown
        assert TR.gettext(lang, "To stop these alerts, send /alerts.") in shown
        assert ANSWERS.title("faq_phishing", lang) in shown, "the button under the alert"
        assert nsrc.phone in shown and "{contact" not in shown
    bold = staff.driver.find_element("css selector", "#preview-en .bubble b")
    assert bold.text == "Fake LHDN refund SMS"
    assert "<OTP> & PIN" in staff.text("#preview-en"), "escaped, shown as typed"
    staff.screenshot("console-alert-preview")

    staff.click("#send-alert")
    assert staff.text("#message") == (
        f"Queued {NAME} for 3 subscriber(s). The bot sends it from the time given."
    )
    assert staff.text(f"#sent-{NAME} .waiting") == "3"

    deliver_alerts(telegram, desk.db_path, desk.clock)
    for chat_id, lang in SUBSCRIBERS.items():
        [alert] = telegram.sent_to(chat_id)
        assert html.escape(TEXTS[lang].split("**")[1], quote=False) in alert.text
        assert alert.button_data, "the answer's button"
    assert "&lt;OTP&gt; &amp; PIN" in telegram.sent_to(902)[0].text
    assert telegram.sent_to(STRANGER) == []

    staff.open("/alerts")
    assert staff.text(f"#sent-{NAME} .sent") == "3"
    staff.screenshot("console-alerts")
    staff.open("/audit")
    assert f"{STAFF_NAME} queued alert {NAME} for 3 subscriber(s)" in staff.text("main")


def test_an_alert_post_without_the_session_token_queues_nothing(desk: ConsoleServer) -> None:
    client, _csrf = logged_in_client(desk)
    for path in ("/alerts/send", "/alerts/preview"):
        assert client.post(path, data=form("forged")).status_code == 403
    assert SqliteBroadcasts(open_database(desk.db_path), desk.clock).names() == []


def test_the_same_alert_is_queued_once_and_the_second_try_keeps_the_text(
    desk: ConsoleServer,
) -> None:
    client, csrf = logged_in_client(desk)
    first = client.post("/alerts/send", data=form(csrf))
    assert first.status_code == 303
    again = client.post("/alerts/send", data=form(csrf))
    assert again.status_code == 409 and "nobody gets a second copy" in again.text
    assert html.escape(TEXTS["zh"]) in again.text
    counts = SqliteBroadcasts(open_database(desk.db_path), desk.clock).counts(NAME)
    assert counts.waiting == 3


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"slug": "Fake LHDN!"}, "lowercase letters, digits and dashes"),
        ({"text_ms": "x" * 401}, "limit 400"),
        ({"button": "faq_no_such_answer"}, "the button must open one answer or the report form"),
        ({"send_after": "tomorrow morning"}, "not a date and time"),
    ],
)
def test_bad_input_is_named_and_nothing_is_queued(
    desk: ConsoleServer, changes: dict[str, str], says: str
) -> None:
    client, csrf = logged_in_client(desk)
    answer = client.post("/alerts/send", data=form(csrf, **changes))
    assert answer.status_code == 400
    assert says in html.unescape(answer.text)
    assert html.escape(TEXTS["en"]) in answer.text, "what was typed is still in the form"
    assert SqliteBroadcasts(open_database(desk.db_path), desk.clock).names() == []
