"""`waspada run` as a subprocess against a fake Telegram Bot API server on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.content.answer_book import FileAnswerBook
from bot.core import callbacks
from bot.settings import PROJECT_ROOT
from tests.fakes.telegram_api import FakeTelegramApi

pytestmark = [pytest.mark.e2e, pytest.mark.nlu]
ANSWERS = FileAnswerBook.load(PROJECT_ROOT / "responses")
WASPADA = str(Path(sys.executable).with_name("waspada"))


@pytest.fixture
def telegram() -> Iterator[FakeTelegramApi]:
    api = FakeTelegramApi().start()
    yield api
    api.stop()


@pytest.fixture
def bot(telegram: FakeTelegramApi, data_dir: Path) -> Iterator[subprocess.Popen[str]]:
    env = {
        **os.environ,
        "WASPADA_DATA_DIR": str(data_dir),
        "TELEGRAM_BOT_TOKEN": telegram.token,
        "TELEGRAM_API_BASE_URL": telegram.base_url,
    }
    process = subprocess.Popen(
        [WASPADA, "run"], env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 120
    while "getUpdates" not in telegram.calls:
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the bot did not start polling:\n{process.communicate()[0][-2000:]}")
        time.sleep(0.1)
    yield process
    process.send_signal(signal.SIGINT)
    try:
        output, _ = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    assert telegram.token.split(":")[1] not in output, "the bot token leaked into the logs"


def test_start_and_a_question_are_answered_through_send_message(
    telegram: FakeTelegramApi, bot: subprocess.Popen[str]
) -> None:
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


STICKER = {
    "file_id": "s1",
    "file_unique_id": "u1",
    "type": "regular",
    "width": 512,
    "height": 512,
    "is_animated": False,
    "is_video": False,
}
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
