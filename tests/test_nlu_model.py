"""The real trained Rasa model on messages written the way Malaysians type."""

from __future__ import annotations

from collections import defaultdict

import pytest

from bot.nlu.rasa_agent import RasaAgentNlu
from bot.nlu.tokenizer import split_mixed
from tests.heldout import all_cases

pytestmark = pytest.mark.nlu

# The skeleton's floor; issue #3 raises it with nlu/thresholds.yml and `waspada nlu eval`.
MIN_ACCURACY = {"en": 0.85, "ms": 0.85, "zh": 0.85, "mixed": 0.8}


def test_mixed_chinese_english_keeps_every_word() -> None:
    assert [w for w, _ in split_mixed("我的 account 被 hack 了怎么办")] == [
        "我", "的", "account", "被", "hack", "了", "怎么办",
    ]  # fmt: skip
    assert [w for w, _ in split_mixed("shipping fee 多少 ah")] == ["shipping", "fee", "多少", "ah"]


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("sy nk tanya boleh ke post gmbr anak kt fb", "faq_child_photos"),
        ("孩子的照片可以发到网上吗？", "faq_child_photos"),
        ("is it safe to put my daughter's school photo on instagram", "faq_child_photos"),
        ("I already transferred RM3000 to the seller and he blocked me", "faq_scam_victim"),
        ("sy dah kena tipu, duit dah transfer", "faq_scam_victim"),
        ("我被骗了 钱已经转过去了", "faq_scam_victim"),
        ("hello", "greet"),
        ("what's the weather in Ipoh tomorrow", "out_of_scope"),
    ],
)
def test_worried_people_are_understood(rasa_nlu: RasaAgentNlu, text: str, intent: str) -> None:
    assert rasa_nlu.parse_sync(text).intent == intent


def test_platform_nicknames_are_recognised(rasa_nlu: RasaAgentNlu) -> None:
    entities = rasa_nlu.parse_sync("boleh ke post gambar anak kat fb").entities
    assert ("platform", "facebook") in [(e.entity, e.value) for e in entities]


def test_heldout_accuracy_per_language(rasa_nlu: RasaAgentNlu) -> None:
    hits: dict[str, list[bool]] = defaultdict(list)
    for case in all_cases():
        hits[case.language].append(rasa_nlu.parse_sync(case.text).intent == case.intent)
    accuracy = {lang: sum(h) / len(h) for lang, h in hits.items()}
    assert set(accuracy) == set(MIN_ACCURACY)
    for lang, floor in MIN_ACCURACY.items():
        assert accuracy[lang] >= floor, accuracy
