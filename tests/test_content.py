"""Answers citizens see: complete in three languages, facts only from the brief, and a broken
edit refused with the file, the line and the fix."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.content.answer_book import FileAnswerBook
from bot.content.live import LiveAnswerBook
from bot.core.risk import RISK_CLASSES, RiskClass
from bot.settings import PROJECT_ROOT
from tests.support.breakages import BREAKAGES
from tests.support.languages import LANGUAGES

RESPONSES = PROJECT_ROOT / "responses"
NLU = PROJECT_ROOT / "nlu"
FACTS = PROJECT_ROOT.parent / "shared" / "facts" / "malaysia-online-safety.md"
FACTS_ADDENDUM = FACTS.with_name("malaysia-online-safety-2.md")
BOOK = FileAnswerBook.load(RESPONSES, nlu_dir=NLU)
SCAM_TOPICS = ("faq_scam_identify", "faq_scam_victim", "faq_phishing", "faq_account_hacked")
# What banks and Waspada never ask for, as each language's answers name it.
NEVER_ASK = {
    "en": ("OTP", "PIN", "password"),
    "ms": ("OTP", "PIN", "kata laluan"),
    "zh": ("OTP", "PIN", "密码"),
}


def text(topic: str, lang: str) -> str:
    answer = BOOK.answer(topic, lang)  # type: ignore[arg-type]
    assert answer is not None, topic
    return answer.text


def test_faq_check_passes_on_the_answers_in_the_repo() -> None:
    book, problems = FileAnswerBook.check(RESPONSES, nlu_dir=NLU)
    assert problems == []
    assert book is not None


def test_every_topic_answers_in_english_malay_and_chinese() -> None:
    for topic in BOOK.topics():
        answers = {lang: text(topic, lang) for lang in LANGUAGES.codes}
        assert len(set(answers.values())) == 3, f"{topic}: languages are not distinct"


def test_money_already_gone_says_call_997_and_the_bank_first() -> None:
    for lang in LANGUAGES.codes:
        first_line = text("faq_scam_victim", lang).splitlines()[0]
        assert "997" in first_line


def test_every_answer_about_money_opens_with_997_and_the_bank() -> None:
    nsrc = {f"{{contact.nsrc.{field}}}" for field in ("phone", "name")} | {"{contact.nsrc}"}
    for path in RESPONSES.glob("faq_*.yml"):
        if not any(placeholder in path.read_text("utf-8") for placeholder in nsrc):
            continue
        for lang in LANGUAGES.codes:
            first_line = text(path.stem, lang).splitlines()[0]
            assert "997" in first_line, (path.stem, lang)


FIRST_LINE_NUMBERS = {
    "danger_now": ["999"],
    "self_harm": [],
    "money_just_lost": ["997"],
    "child_at_risk": ["999", "15999"],
    "sextortion_now": [],
}


@pytest.mark.parametrize("risk", RISK_CLASSES)
def test_every_crisis_card_leads_with_its_action_in_three_languages(risk: RiskClass) -> None:
    for lang in LANGUAGES.codes:
        card = BOOK.crisis(risk, lang)  # type: ignore[arg-type]
        assert card is not None and card.sensitive
        first_line = card.text.splitlines()[0]
        assert first_line.startswith("**"), "the action is the bold first line"
        for number in FIRST_LINE_NUMBERS[risk]:
            assert number in first_line, (risk, lang, number)
    for lang in LANGUAGES.codes:
        self_harm = BOOK.crisis("self_harm", lang)  # type: ignore[arg-type]
        assert self_harm is not None
        assert "15555" in self_harm.text and "999" in self_harm.text


def test_at_risk_is_never_translated_as_in_danger_in_chinese() -> None:
    for path in RESPONSES.rglob("*.yml"):
        assert "处于危险" not in path.read_text("utf-8"), path.name


def test_sensitivity_is_defined_only_in_the_answer_files() -> None:
    for source in (PROJECT_ROOT / "bot").rglob("*.py"):
        assert "SENSITIVE_INTENTS" not in source.read_text("utf-8"), source
    assert "⚠" not in (NLU / "INTENTS.md").read_text("utf-8")
    for topic in ("faq_child_abuse_material", "faq_sextortion", "faq_grooming"):
        assert topic in BOOK.sensitive_topics()


def test_the_privacy_answer_admits_what_a_report_keeps() -> None:
    privacy = text("privacy", "en") + (BOOK.answer("privacy", "en").more or "")  # type: ignore[union-attr]
    for word in ("report", "screenshot", "7 days", "/forget", "/alerts"):
        assert word in privacy, word


@pytest.mark.parametrize("topic", ["faq_child_abuse_material", "faq_grooming"])
def test_a_child_in_danger_is_told_999_first(topic: str) -> None:
    for lang in LANGUAGES.codes:
        assert "999" in text(topic, lang).split("\n\n")[0], (topic, lang)


def test_sexual_images_of_children_are_never_to_be_downloaded_or_forwarded() -> None:
    words = {
        "en": ("download", "screenshot", "forward"),
        "ms": ("muat turun", "tangkap"),
        "zh": ("下载", "截图"),
    }
    for lang, needed in words.items():
        answer = text("faq_child_abuse_material", lang).lower()
        for word in needed:
            assert word in answer, (lang, word)


def test_intimate_image_threats_point_to_stopncii_and_take_it_down() -> None:
    for lang in LANGUAGES.codes:
        answer = BOOK.answer("faq_sextortion", lang)
        assert answer is not None
        whole = answer.text + (answer.more or "")
        assert "stopncii.org" in whole.lower()
        assert "takeitdown.ncmec.org" in whole.lower()


@pytest.mark.parametrize("topic", SCAM_TOPICS)
def test_every_scam_answer_says_we_never_ask_for_otp_pin_or_password(topic: str) -> None:
    for lang in LANGUAGES.codes:
        answer = BOOK.answer(topic, lang)
        assert answer is not None
        whole = (answer.text + (answer.more or "")).casefold()
        missing = [word for word in NEVER_ASK[lang] if word.casefold() not in whole]
        assert missing == [], (topic, lang)


def test_an_answer_is_protected_exactly_when_its_file_says_it_is_sensitive() -> None:
    """One definition of sensitivity, `sensitive:` in responses/, in every language."""
    sensitive = BOOK.sensitive_topics()
    for topic in BOOK.topics():
        for lang in LANGUAGES.codes:
            answer = BOOK.answer(topic, lang)
            assert answer is not None
            assert answer.sensitive == (topic in sensitive), (topic, lang)


def test_hotline_list_is_generated_from_contacts() -> None:
    """Every contact is listed behind "More"; the first screen stays a short "who to call"."""
    for lang in LANGUAGES.codes:
        answer = BOOK.answer("faq_hotlines", lang)  # type: ignore[arg-type]
        assert answer is not None and answer.more is not None
        for key in BOOK.contact_book.contacts:
            card = BOOK.contact(key, lang)
            assert card is not None
            assert card.text in answer.more
            assert card.text not in answer.text


def test_each_phone_number_is_written_in_exactly_one_file() -> None:
    for digits in BOOK.contact_book.phone_digits():
        holders = [
            p.name
            for p in RESPONSES.rglob("*.yml")
            if re.search(
                rf"(?<![\w-]){digits}(?!\d)",
                re.sub(r"(?<=\d)[- ](?=\d)", "", p.read_text(encoding="utf-8")),
            )
        ]
        assert holders == ["contacts.yml"], (digits, holders)


@pytest.mark.skipif(not FACTS.exists(), reason="shared/facts is beside the repo in CI and dev")
def test_every_contact_detail_comes_from_the_facts_brief() -> None:
    facts = FACTS.read_text(encoding="utf-8") + FACTS_ADDENDUM.read_text(encoding="utf-8")
    facts_digits = re.sub(r"[- ]", "", facts)
    for contact in BOOK.contact_book.contacts.values():
        for field, value in contact.plain.items():
            if field in ("phone", "whatsapp"):
                assert re.sub(r"\D", "", value) in facts_digits, (contact.key, value)
            elif field == "url":
                assert value.removeprefix("https://").rstrip("/") in facts, (contact.key, value)
            else:
                assert value in facts, (contact.key, value)


# ---- broken edits --------------------------------------------------------------------------


@pytest.fixture
def responses_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "responses"
    shutil.copytree(RESPONSES, copy)
    return copy


LANGUAGE_BREAKAGES = {
    "a language listed twice": (
        lambda text: (
            text + "  - code: ms\n    name: Melayu lagi\n    babel_locale: ms\n"
            "    date_locale: ms_MY\n    contact_labels: {phone: T, whatsapp: W, email: E, url: U, "
            "hours: H}\n"
        ),
        r"languages\.yml:\d+: `ms` is listed twice",
    ),
    "a code that is not an ISO code": (
        lambda text: text.replace("code: ms", "code: Malay"),
        r"languages\.yml:\d+: `code:` is missing or malformed",
    ),
    "a contact label left out": (
        lambda text: text.replace(", hours: Waktu}", "}"),
        r"languages\.yml:\d+: every contact field needs a label",
    ),
}


@pytest.mark.parametrize(
    ("file", "breakage"),
    [("faq_phishing.yml", name) for name in sorted(BREAKAGES)]
    + [("languages.yml", name) for name in sorted(LANGUAGE_BREAKAGES)],
)
def test_a_broken_content_file_is_refused_with_file_line_and_fix(
    responses_copy: Path, file: str, breakage: str
) -> None:
    edit, expected = {**BREAKAGES, **LANGUAGE_BREAKAGES}[breakage]
    assert_refused(responses_copy / file, edit, expected)


def assert_refused(path: Path, edit: Callable[[str], str], expected: str) -> None:
    """The edited file makes the whole book refused, with a problem matching `expected`."""
    original = path.read_text(encoding="utf-8")
    broken = edit(original)
    assert broken != original, "the breakage did not apply to this file"
    path.write_text(broken, encoding="utf-8")
    book, problems = FileAnswerBook.check(path.parent, nlu_dir=NLU)
    assert book is None
    assert any(re.search(expected, str(p)) for p in problems), [str(p) for p in problems]


def test_an_intent_without_an_answer_is_reported(responses_copy: Path) -> None:
    (responses_copy / "faq_grooming.yml").unlink()
    _, problems = FileAnswerBook.check(responses_copy, nlu_dir=NLU)
    assert any("the NLU knows `faq_grooming` but it has no answer" in str(p) for p in problems)


def test_a_valid_edit_goes_live_and_a_broken_one_keeps_the_old_answer(
    responses_copy: Path,
) -> None:
    live = LiveAnswerBook(responses_copy, nlu_dir=NLU)
    path = responses_copy / "thank.yml"
    original = path.read_text(encoding="utf-8")
    before = live.answer("thank", "en")
    assert before is not None

    path.write_text(
        original.replace("  en: |\n", "  en: |\n    Sama-sama, truly.\n", 1), encoding="utf-8"
    )
    assert live.refresh()
    edited = live.answer("thank", "en")
    assert edited is not None
    assert edited.text.startswith("Sama-sama, truly.")

    path.write_text("topic: thank\nanswer: [unclosed\n", encoding="utf-8")
    assert not live.refresh()
    assert live.answer("thank", "en") == edited
    assert any(re.match(r"thank.yml:\d+: not valid YAML", p) for p in live.last_problems)


def test_staff_reorder_the_main_menu_in_menu_yml(responses_copy: Path) -> None:
    menu = responses_copy / "menu.yml"
    menu.write_text("menu:\n  - faq_hotlines\n  - faq_scam_victim\n", encoding="utf-8")
    book = FileAnswerBook.load(responses_copy)
    assert book.menu() == ("faq_hotlines", "faq_scam_victim")


def test_a_menu_entry_that_is_no_topic_or_repeats_is_named_with_its_line(
    responses_copy: Path,
) -> None:
    menu = responses_copy / "menu.yml"
    menu.write_text(
        "menu:\n  - faq_hotlines\n  - faq_scam_victm\n  - faq_hotlines\n", encoding="utf-8"
    )
    book, problems = FileAnswerBook.check(responses_copy)
    assert book is None
    assert [str(p).split(" — ")[0] for p in problems] == [
        "menu.yml:3: `faq_scam_victm` is not a topic",
        "menu.yml:4: `faq_hotlines` is listed twice",
    ]


def test_an_answer_without_the_text_for_a_listed_language_is_refused(
    responses_copy: Path,
) -> None:
    path = responses_copy / "languages.yml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "  - code: ta\n    name: தமிழ்\n    babel_locale: ta\n    date_locale: ta_MY\n"
        "    contact_labels: {phone: a, whatsapp: b, email: c, url: d, hours: e}\n",
        encoding="utf-8",
    )
    _, problems = FileAnswerBook.check(responses_copy)
    assert any(
        re.search(r"faq_phishing\.yml:\d+: `answer: ta:` is missing", str(p)) for p in problems
    ), [str(p) for p in problems][:5]
