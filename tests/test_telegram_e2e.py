"""`waspada run` as a subprocess against a fake Telegram Bot API server on 127.0.0.1."""

from __future__ import annotations

import json
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.content.answer_book import FileAnswerBook
from bot.core import callbacks
from bot.core.markup import to_telegram_html
from bot.settings import PROJECT_ROOT
from tests.fakes.telegram_api import STICKER, FakeTelegramApi
from tests.support.bot_process import start_bot, stop_bot
from tests.support.ports import free_port

pytestmark = [pytest.mark.e2e, pytest.mark.nlu, pytest.mark.usefixtures("nlu_as_a_service")]
ANSWERS = FileAnswerBook.load(PROJECT_ROOT / "responses")


@pytest.fixture
def bot(telegram: FakeTelegramApi, data_dir: Path) -> Iterator[subprocess.Popen[str]]:
    process = start_bot(telegram, data_dir)
    yield process
    if process.poll() is None:
        stop_bot(process, telegram)


def test_start_and_a_question_are_answered_through_send_message(
    telegram: FakeTelegramApi, data_dir: Path
) -> None:
    """`make run` with a token, as a newcomer has it: the model loaded inside the bot."""
    bot = start_bot(telegram, data_dir, model_inside=True)
    try:
        _start_and_a_question(telegram)
    finally:
        stop_bot(bot, telegram)


def _start_and_a_question(telegram: FakeTelegramApi) -> None:
    telegram.send_text("/start", language_code="ms")
    [welcome] = telegram.wait_for_messages(1, timeout=120)
    assert welcome.chat_id == 777
    assert welcome.parse_mode == "HTML"
    assert callbacks.encode("topic", "faq_child_photos") in welcome.button_data
    assert "Hai!" in welcome.text
    assert "<b>Waspada</b>" in welcome.text

    telegram.send_text("孩子的照片可以发到网上吗？", language_code="ms")
    answer = telegram.wait_for_messages(2)[1]
    assert "<b>" in answer.text
    assert "aduan.mcmc.gov.my" in answer.text
    first_words = ANSWERS.answer("faq_child_photos", "zh").text[:12]  # type: ignore[union-attr]
    assert first_words in answer.text

    telegram.press_button(callbacks.encode("topic", "faq_scam_victim"), language_code="ms")
    scam = telegram.wait_for_messages(3)[2]
    assert "997" in scam.text.splitlines()[0]
    assert "answerCallbackQuery" in telegram.calls


def test_a_parent_runs_the_photo_check_on_telegram(
    telegram: FakeTelegramApi, bot: subprocess.Popen[str]
) -> None:
    checklist = ANSWERS.checklist("photo_check", "zh")
    assert checklist is not None
    telegram.press_button(callbacks.encode("check", "photo_check"), language_code="zh-hans")
    [first] = telegram.wait_for_messages(1, timeout=120)
    assert checklist.questions[0].ask in first.text
    assert callbacks.encode("answer", "0y") in first.button_data
    for step in range(len(checklist.questions)):
        telegram.press_button(callbacks.encode("answer", f"{step}n"), language_code="zh-hans")
    advice = telegram.wait_for_messages(len(checklist.questions) + 1)[-1]
    assert checklist.all_clear.splitlines()[0][:20] in advice.text
    assert callbacks.encode("report") in advice.button_data


PHOTO = [{"file_id": "p1", "file_unique_id": "pu1", "width": 90, "height": 90}]


def test_menus_stickers_photos_places_edits_and_throttling_on_telegram(
    telegram: FakeTelegramApi, bot: subprocess.Popen[str]
) -> None:
    telegram.send_text("/help", language_code="ms")
    telegram.wait_for_messages(1, timeout=120)
    registered = {
        p.get("language_code", ""): p["commands"]
        for m, p in telegram.requests
        if m == "setMyCommands"
    }
    assert set(registered) == {"", "en", "ms", "zh"}
    assert {"command": "language", "description": "Tukar bahasa"} in registered["ms"]
    assert {"command": "language", "description": "更换语言"} in registered["zh"]

    telegram.send_other({"sticker": STICKER}, language_code="ms")
    sticker = telegram.wait_for_messages(2)[-1]
    assert "hanya boleh membaca teks" in sticker.text

    telegram.send_other({"photo": PHOTO}, language_code="zh-hans")
    photo = telegram.wait_for_messages(3)[-1]
    assert "只需要链接" in photo.text
    assert callbacks.encode("report") in photo.button_data
    assert "getFile" not in telegram.calls, "a photo must never be downloaded"

    telegram.send_other({"location": {"latitude": 3.1, "longitude": 101.7}})
    assert "location" in telegram.wait_for_messages(4)[-1].text

    telegram.edit_text("edited question")
    assert "new message" in telegram.wait_for_messages(5)[-1].text

    telegram.fail_next_sends_with_429 = 1
    telegram.retry_after = 1
    asked_at = time.monotonic()
    telegram.send_text("/verify")
    verify = telegram.wait_for_messages(6, timeout=30)[-1]
    assert "OTP" in verify.text
    assert telegram.sent_at[-1] - asked_at >= 1.0, "Telegram's retry_after was not honoured"


def test_people_with_english_malay_and_chinese_phones_are_greeted_in_their_language(
    telegram: FakeTelegramApi, bot: subprocess.Popen[str]
) -> None:
    for user_id, client in ((1, "en"), (2, "ms"), (3, "zh-hans")):
        telegram.send_text("/start", user_id=user_id, language_code=client)
    greetings = {m.chat_id: m.text for m in telegram.wait_for_messages(3, timeout=120)}
    for user_id, lang in ((1, "en"), (2, "ms"), (3, "zh")):
        greet = ANSWERS.answer("greet", lang)
        assert greet is not None
        assert to_telegram_html(greet.text).splitlines()[0] in greetings[user_id]


def test_language_switch_and_a_group_mention_on_telegram(
    telegram: FakeTelegramApi, bot: subprocess.Popen[str]
) -> None:
    telegram.send_text("/language", language_code="en")
    [menu] = telegram.wait_for_messages(1, timeout=120)
    telegram.press_button(callbacks.encode("language", "zh"), on_message=menu.message_id)
    switched = telegram.wait_for_messages(2)[-1]
    assert switched.method == "editMessageText"
    assert switched.message_id == menu.message_id
    telegram.send_text("/help", language_code="en")
    helped = telegram.wait_for_messages(3)[-1]
    bot_help = ANSWERS.answer("bot_help", "zh")
    assert bot_help is not None
    assert to_telegram_html(bot_help.text).splitlines()[0] in helped.text

    telegram.send_text("what a nice day", chat_id=-100900, chat_type="supergroup")
    telegram.send_text("@waspada_test_bot /report", chat_id=-100900, chat_type="supergroup")
    telegram.send_text("/report", chat_id=-100900, chat_type="supergroup")
    moved = telegram.wait_for_messages(5)[3:]
    assert all(m.chat_id == -100900 for m in moved)
    assert moved[-1].button_urls == ["https://t.me/waspada_test_bot?start=report"]


def test_a_restart_mid_conversation_keeps_language_and_place(
    telegram: FakeTelegramApi, data_dir: Path
) -> None:
    checklist = ANSWERS.checklist("photo_check", "ms")
    assert checklist is not None
    first = start_bot(telegram, data_dir)
    telegram.press_button(callbacks.encode("language", "ms"), language_code="en")
    telegram.press_button(callbacks.encode("check", "photo_check"), language_code="en")
    telegram.press_button(callbacks.encode("answer", "0y"), language_code="en")
    telegram.wait_for_messages(3, timeout=120)
    stop_bot(first, telegram)

    second = start_bot(telegram, data_dir)
    try:
        telegram.press_button(callbacks.encode("answer", "1n"), language_code="en")
        resumed = telegram.wait_for_messages(4, timeout=120)[-1]
        assert checklist.questions[2].ask in resumed.text, "the check goes on at question 3"
        telegram.press_button(callbacks.encode("answer", "1n"), language_code="en")
        stale = telegram.wait_for_messages(5)[-1]
        assert "tamat tempoh" in stale.text, "an old button is recognised as stale, in Malay"
    finally:
        stop_bot(second, telegram)


def test_webhook_mode_accepts_only_telegrams_secret_and_finishes_work_on_shutdown(
    telegram: FakeTelegramApi, data_dir: Path
) -> None:
    port = free_port()
    secret = "s3cret-from-the-test"  # noqa: S105 - a test value
    process = start_bot(
        telegram,
        data_dir,
        "--webhook-url",
        f"http://127.0.0.1:{port}/telegram/hook",
        "--listen",
        "127.0.0.1",
        "--port",
        str(port),
        TELEGRAM_WEBHOOK_SECRET=secret,
    )
    try:
        assert telegram.webhook["url"] == f"http://127.0.0.1:{port}/telegram/hook"
        assert telegram.webhook["secret_token"] == secret
        hook = f"http://127.0.0.1:{port}/telegram/hook"
        update = {"update_id": 1, "message": telegram.text_update("/verify", language_code="ms")}
        assert post_json(hook, update, "wrong-secret") == 403
        assert post_json(hook, {**update, "update_id": 2}, None) == 403
        assert telegram.sent == []

        assert post_json(hook, {**update, "update_id": 3}, secret) == 200
        [verify] = telegram.wait_for_messages(1, timeout=60)
        assert "OTP" in verify.text

        assert post_raw(hook, b'{"update_id": 5, "message": ', secret) == 400
        assert post_raw(hook, b"[1, 2, 3]", secret) == 400
        assert post_raw(hook, b"[" * 100_000, secret) == 400
        assert post_raw(hook, b" " * (2 * 1024 * 1024), secret) == 413
        assert telegram.sent[1:] == [], "nothing unreadable was answered"

        telegram.send_delay = 2.0
        slow = {"update_id": 4, "message": telegram.text_update("/privacy", language_code="ms")}
        assert post_json(hook, slow, secret) == 200
        time.sleep(0.5)
    finally:
        output = stop_bot(process, telegram)
    assert len(telegram.sent) == 2, "the update in flight at shutdown was still answered"
    assert "no readable update" in output
    assert "Something went wrong processing" not in output


def post_json(url: str, body: dict[str, object], secret: str | None) -> int:
    return post_raw(url, json.dumps(body).encode(), secret)


def post_raw(url: str, data: bytes, secret: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(  # noqa: S310 - loopback test server
        url, data=data, headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
