"""The dialogue core with fakes for NLU, detection and translation; real answers and real SQLite."""

from __future__ import annotations

import asyncio

import pytest

from bot.content.answer_book import FileAnswerBook
from bot.core import callbacks
from bot.core.dialogue import MAX_TEXT_CHARS, Dialogue
from bot.core.messages import Incoming, Reply
from bot.settings import PROJECT_ROOT
from bot.storage.database import open_database
from bot.storage.sessions import SqliteSessionStore
from tests.fakes.doubles import FakeDetector, FakeNlu, FakeTranslator

ANSWERS = FileAnswerBook.load(PROJECT_ROOT / "responses")
MALAY_PHOTO_QUESTION = "saya takut nak post gambar anak kat facebook"


@pytest.fixture
def nlu() -> FakeNlu:
    return FakeNlu(
        {
            MALAY_PHOTO_QUESTION: ("faq_child_photos", 0.97),
            "is it safe to post my son's photo": ("faq_child_photos", 0.95),
            "i think i lost money": ("faq_scam_victim", 0.7),
            "who will win the football": ("out_of_scope", 0.93),
            "hello": ("greet", 0.99),
        }
    )


@pytest.fixture
def dialogue(nlu: FakeNlu) -> Dialogue:
    detector = FakeDetector(
        {MALAY_PHOTO_QUESTION: "ms", "is it safe to post my son's photo": "en", "hello": "en"}
    )
    return Dialogue(
        nlu=nlu,
        detector=detector,
        answers=ANSWERS,
        translator=FakeTranslator(),
        sessions=SqliteSessionStore(open_database(":memory:")),
    )


def say(
    dialogue: Dialogue,
    text: str,
    *,
    kind: str = "text",
    client: str | None = None,
    user: str = "tg:1",
) -> list[Reply]:
    return asyncio.run(dialogue.handle(Incoming(user, kind, text, client)))  # type: ignore[arg-type]


def test_parent_asking_in_malay_gets_photo_advice_in_malay(dialogue: Dialogue) -> None:
    [reply] = say(dialogue, MALAY_PHOTO_QUESTION, client="en")
    assert reply.text == ANSWERS.answer("faq_child_photos", "ms")
    assert reply.language == "ms"


def test_start_greets_in_the_telegram_client_language(dialogue: Dialogue) -> None:
    [reply] = say(dialogue, "/start", client="zh-hans")
    assert reply.text == ANSWERS.answer("greet", "zh")
    assert callbacks.encode("topic", "faq_child_photos") in [b.data for b in reply.buttons]


def test_chosen_language_wins_over_the_language_of_the_message(dialogue: Dialogue) -> None:
    [menu] = say(dialogue, "/language")
    chinese = next(b for b in menu.buttons if b.data == callbacks.encode("language", "zh"))
    [confirmation] = say(dialogue, chinese.data, kind="button")
    assert confirmation.text.startswith("[zh]")
    [reply] = say(dialogue, "is it safe to post my son's photo")
    assert reply.text == ANSWERS.answer("faq_child_photos", "zh")


def test_deep_link_lang_ms_sets_malay(dialogue: Dialogue) -> None:
    [reply] = say(dialogue, "/start lang_ms", client="en")
    assert reply.text == ANSWERS.answer("greet", "ms")


def test_unsure_guess_on_a_sensitive_topic_asks_did_you_mean(dialogue: Dialogue) -> None:
    [reply] = say(dialogue, "i think i lost money")
    assert "Did you mean" in reply.text
    assert reply.buttons[0].data == callbacks.encode("topic", "faq_scam_victim")
    assert reply.buttons[-1].data == callbacks.encode("menu")


def test_football_question_gets_a_friendly_scope_message(dialogue: Dialogue) -> None:
    [reply] = say(dialogue, "who will win the football")
    assert reply.text == ANSWERS.answer("out_of_scope", "en")


def test_topic_button_answers_that_topic(dialogue: Dialogue) -> None:
    [reply] = say(dialogue, callbacks.encode("topic", "faq_scam_victim"), kind="button")
    assert "997" in reply.text.splitlines()[0]


def test_forged_or_stale_button_says_menu_expired_and_shows_menu(dialogue: Dialogue) -> None:
    for data in ("v0:t:faq_scam_victim", "v1:t:../../etc", "v1:l:fr", "garbage", ""):
        [reply] = say(dialogue, data, kind="button")
        assert "menu has expired" in reply.text
        assert reply.buttons


def test_unknown_command_gets_a_kind_message_and_the_menu(dialogue: Dialogue) -> None:
    [reply] = say(dialogue, "/teleport now")
    assert "/teleport" in reply.text
    assert reply.buttons


def test_sticker_gets_asked_for_text_in_the_users_language(dialogue: Dialogue) -> None:
    [reply] = say(dialogue, "", kind="unsupported", client="ms")
    assert reply.text.startswith("[ms]")
    assert "only read text" in reply.text


def test_huge_message_is_not_parsed_and_the_person_is_asked_to_shorten(
    dialogue: Dialogue, nlu: FakeNlu
) -> None:
    [reply] = say(dialogue, "tolong " * MAX_TEXT_CHARS)
    assert str(MAX_TEXT_CHARS) in reply.text
    assert nlu.seen == []


def test_language_choice_survives_a_restart(tmp_path: object) -> None:
    from pathlib import Path

    db_path = Path(str(tmp_path)) / "waspada.db"

    def fresh() -> Dialogue:
        return Dialogue(
            nlu=FakeNlu(),
            detector=FakeDetector(),
            answers=ANSWERS,
            translator=FakeTranslator(),
            sessions=SqliteSessionStore(open_database(db_path)),
        )

    say(fresh(), callbacks.encode("language", "ms"), kind="button")
    [reply] = say(fresh(), "/help", client="en")
    assert reply.text == ANSWERS.answer("bot_help", "ms")
