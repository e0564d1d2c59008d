"""The real trained Rasa model (trained by `make setup`, persisted, loaded) on messages written
the way Malaysians type, and the held-out evaluation that `waspada nlu eval` runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.content.answer_book import FileAnswerBook
from bot.core.confidence import ConfidencePolicy
from bot.nlu.evaluation import Report, evaluate, failures, load_cases
from bot.nlu.language_id import TrainedDetector
from bot.nlu.rasa_agent import RasaAgentNlu
from bot.nlu.risk_evaluation import load_risk_cases
from bot.nlu.tokenizer import split_mixed
from bot.settings import PROJECT_ROOT
from tests.support.languages import LANGUAGES

pytestmark = pytest.mark.nlu
NLU = PROJECT_ROOT / "nlu"
THRESHOLDS: dict[str, Any] = yaml.safe_load((NLU / "thresholds.yml").read_text("utf-8"))
WASPADA = str(Path(sys.executable).with_name("waspada"))
ROJAK = "我的 account 被 hack 了怎么办"
ROJAK_WORDS = ["我", "的", "account", "被", "hack", "了", "怎么办"]


@pytest.fixture(scope="module")
def report(rasa_nlu: RasaAgentNlu) -> Report:
    return evaluate(
        load_cases(NLU / "tests"),
        rasa_nlu.parse_sync,
        TrainedDetector.from_nlu_data(NLU, LANGUAGES).detect,
        ConfidencePolicy.from_mapping(THRESHOLDS["confidence"]),
        THRESHOLDS,
        sensitive=FileAnswerBook.load(PROJECT_ROOT / "responses").sensitive_topics(),
        risk_cases=load_risk_cases(NLU / "tests" / "risk"),
    )


def test_mixed_chinese_english_keeps_every_word() -> None:
    assert [w for w, _ in split_mixed(ROJAK)] == ROJAK_WORDS
    assert [w for w, _ in split_mixed("shipping fee 多少 ah")] == ["shipping", "fee", "多少", "ah"]


def test_the_loaded_model_tokenises_mixed_messages_with_our_tokenizer(
    rasa_nlu: RasaAgentNlu,
) -> None:
    raw = rasa_nlu._loop.run_until_complete(rasa_nlu._agent.parse_message(ROJAK))
    assert [ROJAK[start:end] for start, end in raw["text_tokens"]] == ROJAK_WORDS


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("sy nk tanya boleh ke post gmbr anak kt fb", "faq_child_photos"),
        ("孩子的照片可以发到网上吗？", "faq_child_photos"),
        ("我的 account 被 hack 了怎么办", "faq_account_hacked"),
        ("I already transferred RM3000 to the seller and he blocked me", "faq_shopping_scam"),
        ("sy dah kena tipu, duit dah transfer", "faq_scam_victim"),
        ("someone is threatening to post my nudes unless I pay", "faq_sextortion"),
        ("got sms say my parcel stuck need pay RM2 click link, real or not", "faq_phishing"),
        ("macam mana nak report video tiktok ni", "report_content"),
        ("hello", "greet"),
        ("what's the weather in Ipoh tomorrow", "out_of_scope"),
    ],
)
def test_worried_people_are_understood(rasa_nlu: RasaAgentNlu, text: str, intent: str) -> None:
    assert rasa_nlu.parse_sync(text).intent == intent


def test_platform_and_language_nicknames_are_recognised(rasa_nlu: RasaAgentNlu) -> None:
    entities = rasa_nlu.parse_sync("macam mana nak report gambar ni kat fb").entities
    assert ("platform", "facebook") in [(e.entity, e.value) for e in entities]
    spoken = rasa_nlu.parse_sync("boleh reply dalam bahasa melayu tak")
    assert spoken.intent == "set_language"
    assert ("language", "ms") in [(e.entity, e.value) for e in spoken.entities]


def test_heldout_set_meets_every_threshold(report: Report) -> None:
    assert report.failures == [], report.per_language


def test_thresholds_catch_a_model_that_got_worse(report: Report) -> None:
    stricter = {**THRESHOLDS, "accuracy": {"en": 1.01}}
    assert failures(report, stricter) == [
        f"accuracy en: {report.per_language['en']['accuracy']:.3f} < 1.01"
    ]


def test_sensitive_topics_are_rarely_answered_confidently_when_wrong(report: Report) -> None:
    bar = THRESHOLDS["confidence"]["default"]
    row = next(r for r in report.threshold_sweep if r["bar"] == bar)
    assert row["sensitive_confident_wrong"] <= 0.01, row


def test_no_critical_message_of_the_risk_suite_is_missed(report: Report) -> None:
    assert report.risk is not None
    assert report.risk.critical_misses == []


def test_eval_command_writes_its_reports(data_dir: Path, nlu_as_a_service: str) -> None:
    """The command as staff run it, here on the shared server: the scores themselves are the
    in-process `report` above, so the model is not loaded a second time for them."""
    env = {**os.environ, "WASPADA_DATA_DIR": str(data_dir)}
    result = subprocess.run(
        [WASPADA, "nlu", "eval"], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "all thresholds met" in result.stdout
    for name in ("report.json", "report.md", "confusion.png"):
        assert (data_dir / "reports" / name).stat().st_size > 0
