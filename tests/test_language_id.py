"""Per-message language identification on the held-out messages."""

from __future__ import annotations

from pathlib import Path

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


def _write_examples(nlu_dir: Path, language: str, lines: list[str]) -> None:
    folder = nlu_dir / "data" / language
    folder.mkdir(parents=True, exist_ok=True)
    examples = "".join(f"    - {line}\n" for line in lines)
    (folder / "a.yml").write_text(
        f'version: "3.1"\nnlu:\n- intent: x\n  examples: |\n{examples}', encoding="utf-8"
    )


@pytest.fixture
def small_nlu(tmp_path: Path) -> Path:
    nlu_dir = tmp_path / "nlu"
    _write_examples(nlu_dir, "en", ["how do i report a scam", "my account was hacked", "help me"])
    _write_examples(nlu_dir, "ms", ["macam mana nak buat laporan", "akaun saya kena godam"])
    return nlu_dir


def test_a_restarted_bot_reads_back_the_detector_it_fitted_and_answers_the_same(
    small_nlu: Path, tmp_path: Path
) -> None:
    models = tmp_path / "models"
    first = TrainedDetector.from_nlu_data(small_nlu, LANGUAGES, models)
    kept = list(models.glob("language-id-*.npz"))
    assert len(kept) == 1
    assert kept[0].stat().st_mode & 0o077 == 0
    again = TrainedDetector.from_nlu_data(small_nlu, LANGUAGES, models)
    for text in ["nak buat laporan", "report scam please", "akaun kena hack", "我被骗了"]:
        assert again.detect(text) == first.detect(text)


def test_new_training_examples_replace_the_kept_detector(small_nlu: Path, tmp_path: Path) -> None:
    models = tmp_path / "models"
    TrainedDetector.from_nlu_data(small_nlu, LANGUAGES, models)
    before = {p.name for p in models.glob("language-id-*.npz")}
    _write_examples(small_nlu, "ms", ["camne nk report", "sy kena tipu", "tlg sy"])
    detector = TrainedDetector.from_nlu_data(small_nlu, LANGUAGES, models)
    after = {p.name for p in models.glob("language-id-*.npz")}
    assert len(after) == 1
    assert after != before
    assert detector.detect("camne nk report sy kena tipu").language == "ms"


def test_a_damaged_kept_detector_is_fitted_again(small_nlu: Path, tmp_path: Path) -> None:
    models = tmp_path / "models"
    TrainedDetector.from_nlu_data(small_nlu, LANGUAGES, models)
    [kept] = models.glob("language-id-*.npz")
    kept.write_bytes(kept.read_bytes()[:100])
    detector = TrainedDetector.from_nlu_data(small_nlu, LANGUAGES, models)
    assert detector.detect("macam mana nak buat laporan").language == "ms"
    assert kept.stat().st_size > 100
