"""Per-message language identification on the held-out messages."""

from __future__ import annotations

import pytest

from bot.nlu.language_id import TrainedDetector
from bot.settings import PROJECT_ROOT
from tests.heldout import all_cases
from tests.support.languages import LANGUAGES

DETECTOR = TrainedDetector.from_nlu_data(PROJECT_ROOT / "nlu", LANGUAGES)


def test_at_least_97_percent_of_heldout_messages_get_their_own_language() -> None:
    cases = [c for c in all_cases() if c.language in ("en", "ms", "zh")]
    wrong = [c.text for c in cases if DETECTOR.detect(c.text).language != c.language]
    assert 1 - len(wrong) / len(cases) >= 0.97, wrong


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("saya takut nak post gambar anak kat facebook", "ms"),
        ("孩子的照片可以发到网上吗？", "zh"),
        ("我的 account 被 hack 了怎么办", "zh"),
        ("is it safe to post my kids photos", "en"),
    ],
)
def test_clear_messages_are_detected_confidently(text: str, language: str) -> None:
    detection = DETECTOR.detect(text)
    assert detection.language == language
    assert detection.confidence >= 0.75


def test_ok_and_emoji_say_nothing_about_language() -> None:
    assert DETECTOR.detect("ok").language is None
    assert DETECTOR.detect("👍👍").language is None
