"""Hand-off cases in the console, a second staff desk: a person who asked for a person waits;
a staff member sees the case and how long they have waited (office time), answers from the
browser, and the person gets it through the fake Bot API exactly as a reply written in the
Telegram topic, while the topic gets a copy. Then the case is closed from the browser."""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.core.console_desk import MAX_REPLY
from tests.fakes.telegram_api import FakeTelegramApi
from tests.support.console_browser import (
    STAFF_NAME,
    ConsoleServer,
    StaffBrowser,
    logged_in_client,
    start_console,
)
from tests.support.console_desks import PERSON, THEIR_WORDS, WaitingPerson, person_waiting_for_staff
from tests.support.staff_chat import STAFF_GROUP
from tests.support.telegram_chat import TR

pytestmark = pytest.mark.e2e
REPLY = "Boleh hantar <pautan> mesej itu? Jangan bayar apa-apa & tunggu kami."


@pytest.fixture
def desk(
    tmp_path: Path, telegram: FakeTelegramApi
) -> Iterator[tuple[ConsoleServer, WaitingPerson]]:
    console = start_console(tmp_path, telegram=telegram)
    console.add_account(STAFF_NAME)
    waiting = person_waiting_for_staff(telegram, console.db_path)
    yield console, waiting
    console.stop()


@pytest.mark.browser
def test_staff_answer_a_waiting_person_from_the_browser_and_close_the_case(
    chromium: object,
    desk: tuple[ConsoleServer, WaitingPerson],
    telegram: FakeTelegramApi,
) -> None:
    console, waiting = desk
    case_id = waiting.case.case_id
    console.clock.advance(minutes=12)  # Tuesday 17:12 in Malaysia: office time
    staff = StaffBrowser(chromium, console)
    staff.log_in(STAFF_NAME)

    staff.open("/cases")
    row = staff.text(f"#case-{case_id}")
    assert "ms" in row and "12 min" in staff.text(f"#case-{case_id} .waited")
    assert str(PERSON) not in staff.text("main") and "Aisyah" not in staff.text("main")
    staff.screenshot("console-cases")

    staff.click(f"#case-{case_id} a")
    assert staff.text("#case-id") == case_id
    assert "Language: ms" in staff.text("#card")
    assert staff.driver.find_element("id", "topic-link").get_attribute("href") == (
        f"https://t.me/c/{str(STAFF_GROUP).removeprefix('-100')}/{waiting.thread}"
    )
    staff.type_into("#reply-text", REPLY)
    staff.screenshot("console-case-reply")
    staff.click("#send-reply")
    assert "Sent to the person" in staff.text("#message")
    assert staff.text("#waited") == "answered"

    reply = telegram.sent_to(PERSON)[-1]
    officer = TR.gettext("ms", "Waspada officer")
    assert reply.text == f"<b>{officer}:</b> {html.escape(REPLY, quote=False)}"
    assert reply.message_thread_id is None
    copy = telegram.in_thread(waiting.thread)[-1]
    assert copy.chat_id == STAFF_GROUP
    assert f"{STAFF_NAME} answered from the staff console" in copy.text
    assert html.escape(REPLY, quote=False) in copy.text
    answered = waiting.chat.cases.case(case_id)
    assert answered is not None and answered.waiting_since is None and answered.answered

    staff.click("#close-case")
    assert f"Case {case_id} closed" in staff.text("#message")
    assert staff.text("#no-cases") == "No open cases."
    closing = telegram.sent_to(PERSON)[-1]
    assert case_id in closing.text and closing.button_data, "asked whether it helped"
    assert telegram.topics[waiting.thread][1].closed

    staff.open("/audit")
    log = staff.text("main")
    assert f"replied to case {case_id}: SENT" in log and f"closed case {case_id}: CLOSED" in log
    assert REPLY not in log and "pautan" not in log, "the audit log holds actions, not words"


def test_a_reply_without_the_session_token_is_refused_and_nothing_is_sent(
    desk: tuple[ConsoleServer, WaitingPerson], telegram: FakeTelegramApi
) -> None:
    console, waiting = desk
    client, _csrf = logged_in_client(console)
    before = len(telegram.sent)
    answer = client.post(f"/cases/{waiting.case.case_id}/reply", data={"text": "hello"})
    assert answer.status_code == 403
    answer = client.post(f"/cases/{waiting.case.case_id}/close", data={"csrf": "forged"})
    assert answer.status_code == 403
    assert len(telegram.sent) == before
    assert httpx.get(console.url + "/cases", follow_redirects=False).status_code == 303


def test_a_reply_telegram_refuses_keeps_the_text_and_the_wait(
    desk: tuple[ConsoleServer, WaitingPerson], telegram: FakeTelegramApi
) -> None:
    console, waiting = desk
    client, csrf = logged_in_client(console)
    telegram.blocked.add(PERSON)
    answer = client.post(f"/cases/{waiting.case.case_id}/reply", data={"csrf": csrf, "text": REPLY})
    assert answer.status_code == 502
    assert "Not sent" in answer.text and html.escape(REPLY) in answer.text
    case = waiting.chat.cases.case(waiting.case.case_id)
    assert case is not None and case.waiting_since is not None, "the person still waits"


def test_empty_and_overlong_replies_are_refused_with_a_reason(
    desk: tuple[ConsoleServer, WaitingPerson], telegram: FakeTelegramApi
) -> None:
    console, waiting = desk
    client, csrf = logged_in_client(console)
    before = len(telegram.sent)
    path = f"/cases/{waiting.case.case_id}/reply"
    empty = client.post(path, data={"csrf": csrf, "text": "   "})
    assert empty.status_code == 400 and "write a reply first" in empty.text
    long = client.post(path, data={"csrf": csrf, "text": "x" * (MAX_REPLY + 1)})
    assert long.status_code == 400 and f"at most {MAX_REPLY}" in long.text
    assert len(telegram.sent) == before


def test_the_persons_words_and_identity_are_not_on_the_console(
    desk: tuple[ConsoleServer, WaitingPerson],
) -> None:
    console, waiting = desk
    client, _csrf = logged_in_client(console)
    for path in ("/cases", f"/cases/{waiting.case.case_id}"):
        page = client.get(path).text
        assert waiting.case.case_id in page
        assert "RM500" not in page and THEIR_WORDS not in page and str(PERSON) not in page


def test_without_a_staff_group_there_is_no_cases_page(tmp_path: Path) -> None:
    console = start_console(tmp_path)
    console.add_account(STAFF_NAME)
    try:
        client, _csrf = logged_in_client(console)
        assert client.get("/cases").status_code == 404
        assert 'href="/cases"' not in client.get("/answers").text
    finally:
        console.stop()
