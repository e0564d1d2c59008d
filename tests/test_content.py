"""Answers citizens see: every intent answered in three languages, and facts only from the brief."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.content.answer_book import FileAnswerBook, load_topic
from bot.core.messages import LANGUAGES
from bot.errors import ContentError
from bot.settings import PROJECT_ROOT

RESPONSES = PROJECT_ROOT / "responses"
FACTS = PROJECT_ROOT.parent / "shared" / "facts" / "malaysia-online-safety.md"
BOOK = FileAnswerBook.load(RESPONSES)


def trained_intents() -> set[str]:
    intents = set()
    for path in (PROJECT_ROOT / "nlu" / "data").rglob("*.yml"):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            if "intent" in block:
                intents.add(block["intent"])
    return intents


def test_every_intent_the_model_knows_has_an_answer_in_three_languages() -> None:
    for intent in trained_intents():
        for lang in LANGUAGES:
            assert BOOK.answer(intent, lang), f"{intent} has no {lang} answer"


def test_every_answer_belongs_to_an_intent_the_model_knows() -> None:
    assert BOOK.topics() <= trained_intents()


def test_money_already_gone_says_call_997_and_the_bank_first_in_every_language() -> None:
    for lang in LANGUAGES:
        first_line = BOOK.answer("faq_scam_victim", lang).splitlines()[0]  # type: ignore[union-attr]
        assert "997" in first_line


def test_scam_answers_say_we_never_ask_for_otp() -> None:
    for lang in LANGUAGES:
        assert "OTP" in BOOK.answer("faq_scam_victim", lang)  # type: ignore[operator]


@pytest.mark.skipif(not FACTS.exists(), reason="shared/facts is beside the repo in CI and dev")
def test_every_number_and_link_in_an_answer_comes_from_the_facts_brief() -> None:
    facts = FACTS.read_text(encoding="utf-8")
    facts_digits = re.sub(r"\D", "", facts)
    for path in RESPONSES.glob("*.yml"):
        text = path.read_text(encoding="utf-8")
        for url in re.findall(r"https?://[^\s)\"'<>]+", text):
            host_and_path = url.split("://", 1)[1].rstrip("/.")
            assert host_and_path in facts, f"{path.name}: {url} is not in the facts brief"
        for email in re.findall(r"[\w.+-]+@[\w-]+\.[\w.]+\w", text):
            assert email in facts, f"{path.name}: {email} is not in the facts brief"
        answers = yaml.safe_load(text)["answer"].values()
        for answer in answers:
            for number in re.findall(r"\b\d[\d-]{1,}\d\b", answer):
                if re.fullmatch(r"(19|20)\d\d", number):
                    continue
                assert re.sub(r"\D", "", number) in facts_digits, f"{path.name}: {number}"


def test_a_broken_answer_file_is_refused_with_its_name_and_the_fix(tmp_path: Path) -> None:
    broken = tmp_path / "faq_child_photos.yml"
    original = (RESPONSES / "faq_child_photos.yml").read_text(encoding="utf-8")
    broken.write_text(original.replace("  ms: |", "  xx: |", 1), encoding="utf-8")
    with pytest.raises(ContentError, match=r"faq_child_photos\.yml: `answer: ms:` is missing"):
        load_topic(broken)
    broken.write_text("topic: [unclosed\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"faq_child_photos\.yml line \d+: not valid YAML"):
        load_topic(broken)
