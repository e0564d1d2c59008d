"""The dialogue core with fakes for NLU, detection and translation; real answers and real SQLite."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.content.answer_book import FileAnswerBook
from bot.core import callbacks
from bot.core.dialogue import MAX_TEXT_CHARS, Dialogue
from bot.core.identity import UserKey
from bot.core.languages import Language
from bot.core.messages import Incoming, Reply
from bot.core.ports import Detection
from bot.settings import PROJECT_ROOT
from bot.storage.database import open_database
from bot.storage.forget import SqliteForgetting
from bot.storage.sessions import SqliteSessionStore
from tests.fakes.clock import FakeClock
from tests.fakes.doubles import FakeDetector, FakeNlu, FakeTranslator
from tests.support.people import FIRST, person

ANSWERS = FileAnswerBook.load(PROJECT_ROOT / "responses")


def make_dialogue(
    nlu: FakeNlu | None = None,
    detector: FakeDetector | None = None,
    database: Path | str = ":memory:",
) -> Dialogue:
    """A real dialogue with fakes at the edges; pass a file to survive "restarts"."""
    db = open_database(database)
    return Dialogue(
        nlu=nlu or FakeNlu(),
        detector=detector or FakeDetector(),
        answers=ANSWERS,
        translator=FakeTranslator(),
        sessions=SqliteSessionStore(db),
        forgetting=SqliteForgetting(db, FakeClock()),
    )


def text_of(topic: str, lang: Language) -> str:
    answer = ANSWERS.answer(topic, lang)
    assert answer is not None
    return answer.text


MALAY_PHOTO_QUESTION = "saya takut nak post gambar anak kat facebook"


@pytest.fixture
def nlu() -> FakeNlu:
    return FakeNlu(
        {
            MALAY_PHOTO_QUESTION: ("faq_child_photos", 0.97),
            "is it safe to post my son's photo": ("faq_child_photos", 0.95),
            "maybe i lost money": ("faq_scam_victim", 0.35),
            "who will win the football": ("out_of_scope", 0.93),
            "hello": ("greet", 0.99),
        }
    )


@pytest.fixture
def dialogue(nlu: FakeNlu) -> Dialogue:
    detector = FakeDetector(
        {MALAY_PHOTO_QUESTION: "ms", "is it safe to post my son's photo": "en", "hello": "en"}
    )
    return make_dialogue(nlu, detector)


def say(
    dialogue: Dialogue,
    text: str,
    *,
    kind: str = "text",
    client: str | None = None,
    user: UserKey = FIRST,
) -> list[Reply]:
    return asyncio.run(dialogue.handle(Incoming(user, kind, text, client)))  # type: ignore[arg-type]


def test_parent_asking_in_malay_gets_photo_advice_in_malay(dialogue: Dialogue) -> None:
    [reply] = say(dialogue, MALAY_PHOTO_QUESTION, client="en")
    assert reply.text == text_of("faq_child_photos", "ms")
    assert reply.language == "ms"


def test_start_greets_in_the_telegram_client_language(dialogue: Dialogue) -> None:
    [reply] = say(dialogue, "/start", client="zh-hans")
    assert reply.text == text_of("greet", "zh")
    assert callbacks.encode("topic", "faq_child_photos") in [b.data for b in reply.buttons]


def test_chosen_language_wins_over_the_language_of_the_message(dialogue: Dialogue) -> None:
    [menu] = say(dialogue, "/language")
    chinese = next(b for b in menu.buttons if b.data == callbacks.encode("language", "zh"))
    [confirmation] = say(dialogue, chinese.data, kind="button")
    assert confirmation.text.startswith("[zh]")
    [reply] = say(dialogue, "is it safe to post my son's photo")
    assert reply.text == text_of("faq_child_photos", "zh")


def test_deep_link_lang_ms_sets_malay(dialogue: Dialogue) -> None:
    [reply] = say(dialogue, "/start lang_ms", client="en")
    assert reply.text == text_of("greet", "ms")


def test_unsure_guess_on_a_sensitive_topic_asks_did_you_mean(dialogue: Dialogue) -> None:
    [reply] = say(dialogue, "maybe i lost money")
    assert "997" in reply.text.splitlines()[0], "its urgent line comes before the question"
    assert "Did you mean" in reply.text
    assert reply.buttons[0].data == callbacks.encode("topic", "faq_scam_victim")
    assert reply.buttons[-1].data == callbacks.encode("menu")


def test_football_question_gets_a_friendly_scope_message(dialogue: Dialogue) -> None:
    [reply] = say(dialogue, "who will win the football")
    assert reply.text == text_of("out_of_scope", "en")


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


def test_huge_message_is_screened_only_in_part_and_the_person_is_asked_to_shorten(
    dialogue: Dialogue, nlu: FakeNlu
) -> None:
    [reply] = say(dialogue, "tolong " * MAX_TEXT_CHARS)
    assert str(MAX_TEXT_CHARS) in reply.text
    assert [len(seen) for seen in nlu.seen] == [MAX_TEXT_CHARS], "only the start, for danger"


def test_huge_message_saying_someone_is_in_danger_still_gets_999_first() -> None:
    nlu = FakeNlu(risks={"he has a knife " * 300: ("danger_now",)})
    long_text = "he has a knife " * 300 + "x" * MAX_TEXT_CHARS
    nlu.risks[long_text[:MAX_TEXT_CHARS]] = ("danger_now",)
    first, too_long = say(make_dialogue(nlu), long_text)
    assert "999" in first.text.splitlines()[0]
    assert str(MAX_TEXT_CHARS) in too_long.text


def test_a_forged_ten_megabyte_message_is_cut_before_anything_reads_it() -> None:
    """The probe: language detection ran on all of it first and held the bot for 35 s."""

    class MeasuringDetector(FakeDetector):
        longest = 0

        def detect(self, text: str) -> Detection:
            MeasuringDetector.longest = max(MeasuringDetector.longest, len(text))
            return super().detect(text)

    nlu = FakeNlu()
    dialogue = make_dialogue(nlu, MeasuringDetector())
    replies = say(dialogue, "a" * 10_000_000)
    dialogue.language_of(person(1), "ms", "a" * 10_000_000)  # the apology after an error
    assert MeasuringDetector.longest <= MAX_TEXT_CHARS
    assert max(len(seen) for seen in nlu.seen) <= MAX_TEXT_CHARS
    assert str(MAX_TEXT_CHARS) in replies[-1].text, "the person is asked to shorten it"


def test_language_choice_survives_a_restart(tmp_path: Path) -> None:
    db_path = tmp_path / "waspada.db"

    def fresh() -> Dialogue:
        return make_dialogue(database=db_path)

    say(fresh(), callbacks.encode("language", "ms"), kind="button")
    [reply] = say(fresh(), "/help", client="en")
    assert reply.text == text_of("bot_help", "ms")


# ---- answers with next steps -------------------------------------------------------------


def data_of(reply: Reply) -> list[str]:
    return [b.data for b in reply.buttons]


def press(dialogue: Dialogue, data: str, **kwargs: object) -> list[Reply]:
    return say(dialogue, data, kind="button", **kwargs)  # type: ignore[arg-type]


def test_an_answer_offers_more_detail_and_next_steps(dialogue: Dialogue) -> None:
    [reply] = press(dialogue, callbacks.encode("topic", "faq_scam_victim"))
    assert callbacks.encode("more", "faq_scam_victim") in data_of(reply)
    assert callbacks.encode("menu") == data_of(reply)[-1]
    [more] = press(dialogue, callbacks.encode("more", "faq_scam_victim"))
    answer = ANSWERS.answer("faq_scam_victim", "en")
    assert answer is not None and answer.more and answer.reviewed
    assert more.text.startswith(answer.more)
    assert f"[en] Checked on [en] {answer.reviewed.isoformat()}." in more.text
    assert callbacks.encode("more", "faq_scam_victim") not in data_of(more)


def test_contact_button_shows_the_number_and_a_link(dialogue: Dialogue) -> None:
    [card] = press(dialogue, callbacks.encode("contact", "mcmc"), client="ms")
    assert "1-800-188-030" in card.text
    assert card.buttons[0].url == "https://aduan.mcmc.gov.my"


def test_sensitive_answers_ask_the_channel_to_prevent_forwarding(dialogue: Dialogue) -> None:
    [reply] = press(dialogue, callbacks.encode("topic", "faq_sextortion"))
    assert reply.protect
    [ordinary] = press(dialogue, callbacks.encode("topic", "faq_phishing"))
    assert not ordinary.protect


def test_report_button_explains_how_to_report(dialogue: Dialogue) -> None:
    [reply] = press(dialogue, callbacks.encode("report"), client="zh-hans")
    assert reply.text == text_of("report_content", "zh")


def test_typing_please_reply_in_chinese_switches_language() -> None:
    from bot.core.ports import Entity, NluResult

    class LanguageNlu(FakeNlu):
        async def parse(self, text: str) -> NluResult:
            return NluResult(
                "set_language", 0.95, (("set_language", 0.95),), (Entity("language", "zh"),)
            )

    dialogue = make_dialogue(LanguageNlu())
    [reply] = say(dialogue, "please reply in chinese")
    assert reply.language == "zh"
    [later] = press(dialogue, callbacks.encode("topic", "faq_phishing"), client="en")
    assert later.text == text_of("faq_phishing", "zh")


# ---- the parents' photo check --------------------------------------------------------------


def start_photo_check(dialogue: Dialogue, lang: str) -> Reply:
    [photos] = press(dialogue, callbacks.encode("topic", "faq_child_photos"), client=lang)
    check = next(d for d in data_of(photos) if d.startswith("v1:ck:"))
    [first] = press(dialogue, check, client=lang)
    return first


@pytest.mark.parametrize("lang", ["en", "ms", "zh"])
def test_parent_photo_check_gives_advice_for_each_risk_they_report(
    dialogue: Dialogue, lang: str
) -> None:
    checklist = ANSWERS.checklist("photo_check", lang)  # type: ignore[arg-type]
    assert checklist is not None and len(checklist.questions) == 6
    reply = start_photo_check(dialogue, lang)
    assert checklist.intro in reply.text
    risky = {"location", "nudity"}
    for step, question in enumerate(checklist.questions):
        assert question.ask in reply.text
        choice = "y" if question.key in risky else "n"
        [reply] = press(dialogue, callbacks.encode("answer", f"{step}{choice}"), client=lang)
    for question in checklist.questions:
        assert (question.advice in reply.text) == (question.key in risky), question.key
    assert checklist.always in reply.text
    assert callbacks.encode("report") in data_of(reply)


def test_photo_check_with_no_risks_says_all_clear(dialogue: Dialogue) -> None:
    checklist = ANSWERS.checklist("photo_check", "en")
    assert checklist is not None
    start_photo_check(dialogue, "en")
    for step in range(len(checklist.questions)):
        [reply] = press(dialogue, callbacks.encode("answer", f"{step}n"))
    assert reply.text.startswith(checklist.all_clear)


def test_photo_check_back_and_stale_buttons(dialogue: Dialogue) -> None:
    checklist = ANSWERS.checklist("photo_check", "en")
    assert checklist is not None
    start_photo_check(dialogue, "en")
    press(dialogue, callbacks.encode("answer", "0y"))
    [back] = press(dialogue, callbacks.encode("answer", "1b"))
    assert checklist.questions[0].ask in back.text
    [stale] = press(dialogue, callbacks.encode("answer", "4y"))
    assert "menu has expired" in stale.text
    [stopped] = press(dialogue, callbacks.encode("answer", "0x"))
    assert "Stopped" in stopped.text


def test_photo_check_survives_a_restart(tmp_path: Path) -> None:
    db_path = tmp_path / "waspada.db"

    def fresh() -> Dialogue:
        return make_dialogue(database=db_path)

    start_photo_check(fresh(), "ms")
    press(fresh(), callbacks.encode("answer", "0y"))
    [reply] = press(fresh(), callbacks.encode("answer", "1n"))
    checklist = ANSWERS.checklist("photo_check", "ms")
    assert checklist is not None
    assert checklist.questions[2].ask in reply.text


def test_deep_link_photos_starts_the_photo_check(dialogue: Dialogue) -> None:
    [reply] = say(dialogue, "/start photos", client="ms")
    checklist = ANSWERS.checklist("photo_check", "ms")
    assert checklist is not None
    assert checklist.questions[0].ask in reply.text


def test_the_same_confidence_answers_a_sensitive_topic_too_with_its_urgent_line_first() -> None:
    nlu = FakeNlu({"hmm link": ("faq_phishing", 0.45), "hmm money": ("faq_scam_victim", 0.45)})
    dialogue = make_dialogue(nlu)
    [ordinary] = say(dialogue, "hmm link")
    assert ordinary.text == text_of("faq_phishing", "en")
    [sensitive] = say(dialogue, "hmm money")
    assert sensitive.text == text_of("faq_scam_victim", "en")
    assert "997" in sensitive.text.splitlines()[0]


def test_cancel_stops_the_photo_check(dialogue: Dialogue) -> None:
    start_photo_check(dialogue, "en")
    [cancelled] = say(dialogue, "/cancel")
    assert "Cancelled" in cancelled.text
    [stale] = press(dialogue, callbacks.encode("answer", "0y"))
    assert "menu has expired" in stale.text


@pytest.mark.parametrize(
    ("command", "topic"),
    [("/privacy", "privacy"), ("/verify", "verify"), ("/status", "report_status")],
)
def test_privacy_verify_and_status_commands_answer_in_the_users_language(
    dialogue: Dialogue, command: str, topic: str
) -> None:
    [reply] = say(dialogue, command, client="ms")
    assert reply.text == text_of(topic, "ms")


def test_a_photo_is_not_opened_and_the_person_is_asked_for_the_link(dialogue: Dialogue) -> None:
    [reply] = say(dialogue, "photo", kind="media", client="en")
    assert "only the link is needed" in reply.text
    assert callbacks.encode("report") in data_of(reply)


def test_a_sticker_location_or_edit_gets_a_kind_reply(dialogue: Dialogue) -> None:
    [sticker] = say(dialogue, "sticker", kind="media")
    assert "only read text" in sticker.text
    [place] = say(dialogue, "location", kind="personal")
    assert "location" in place.text
    [edited] = say(dialogue, "", kind="edited")
    assert "new message" in edited.text


def test_a_deep_link_with_an_unknown_language_keeps_the_chosen_one(dialogue: Dialogue) -> None:
    press(dialogue, callbacks.encode("language", "zh"))
    [reply] = say(dialogue, "/start lang_xx", client="en")
    assert reply.text == text_of("greet", "zh")
