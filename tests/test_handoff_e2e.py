"""Talk to a person end to end: the real PTB Application against the fake Bot API on 127.0.0.1,
with a staff forum group. A person asks in Malay, English or Chinese, agrees, and their case
becomes a topic; what they write shows up there, and what staff write there reaches them."""

from __future__ import annotations

import html
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest

from bot.core import callbacks
from bot.core.languages import Language
from tests.fakes.clock import FakeClock
from tests.fakes.doubles import FakeDetector, FakeNlu
from tests.fakes.telegram_api import FakeTelegramApi
from tests.support.bot_process import start_bot, stop_bot
from tests.support.people import person
from tests.support.staff_chat import STAFF_GROUP, StaffedChat
from tests.support.telegram_chat import ANSWERS, TR, ui

pytestmark = pytest.mark.e2e
PERSON = 777
T = TypeVar("T")


@dataclass(frozen=True)
class Speaker:
    lang: Language
    client: str
    ask: str
    words: str
    crisis: str
    staff_reply: str


SPEAKERS = {
    "ms": Speaker(
        "ms",
        "ms",
        "nak cakap dengan orang",
        "Dia minta <RM500> & cepat",
        "dia ugut nak sebar gambar saya malam ni",
        "Boleh hantar pautan mesej itu?",
    ),
    "en": Speaker(
        "en",
        "en",
        "can I talk to a real person",
        "He wants <RM500> & fast",
        "he says he will post my nudes tonight unless I pay",
        "Could you send the link to that message?",
    ),
    "zh": Speaker(
        "zh",
        "zh-hans",
        "我要转人工",
        "他要我付<RM500> & 快点",
        "他说今晚不给钱就把我的裸照发出去",
        "可以把那条信息的链接发过来吗？",
    ),
}


def staffed(api: FakeTelegramApi, database: Path, who: Speaker) -> StaffedChat:
    nlu = FakeNlu({who.ask: ("human_handoff", 0.96)}, risks={who.crisis: ("sextortion_now",)})
    detector = FakeDetector({who.ask: who.lang, who.crisis: who.lang, who.words: who.lang})
    return StaffedChat(api, database, nlu, detector, FakeClock())


def open_case(chat: StaffedChat, who: Speaker) -> int:
    """Asks for a person, agrees; returns the new topic's thread id."""
    [consent] = chat.say(who.ask, who.client)
    assert consent.chat_id == PERSON
    assert ui(who.lang, "Do you agree to share this with staff?") in consent.text
    assert callbacks.encode("handoff", "yes") in consent.button_data
    assert not chat.api.topics, "nothing reaches staff before consent"
    told = chat.press(callbacks.encode("handoff", "yes"), who.client)
    [thread] = chat.api.topics
    group, topic = chat.api.topics[thread]
    case = chat.cases.open_case_of(person(PERSON))
    assert case is not None
    assert group == STAFF_GROUP and topic.name == f"{case.case_id} · {who.lang} · general"
    [card] = chat.api.in_thread(thread)
    assert card.chat_id == STAFF_GROUP and f"Case {case.case_id}" in card.text
    assert str(PERSON) not in card.text and "Aisyah" not in card.text
    assert [m.chat_id for m in told] == [STAFF_GROUP, PERSON]
    assert f"<b>{case.case_id}</b>" in told[-1].text
    return thread


@pytest.mark.parametrize("lang", SPEAKERS)
def test_person_asking_for_a_human_reaches_staff_and_gets_their_reply(
    lang: str, telegram: FakeTelegramApi, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="bot")
    who = SPEAKERS[lang]
    chat = staffed(telegram, tmp_path / "waspada.db", who)
    thread = open_case(chat, who)

    assert chat.say(who.words, who.client) == [
        m for m in telegram.in_thread(thread) if "RM500" in m.text
    ], "mirrored to the topic, nothing said back"
    assert telegram.in_thread(thread)[-1].text == "👤 " + html.escape(who.words, quote=False)

    [reply] = chat.staff(who.staff_reply, thread)
    assert reply.chat_id == PERSON and reply.message_thread_id is None
    officer = TR.gettext(who.lang, "Waspada officer")
    assert reply.text == f"<b>{officer}:</b> {who.staff_reply}"

    crisis = chat.say(who.crisis, who.client)
    card = ANSWERS.crisis("sextortion_now", who.lang)
    assert card is not None
    assert crisis[0].chat_id == PERSON and crisis[0].protect_content
    assert ui(who.lang, card.text.splitlines()[0]) in crisis[0].text
    assert [m.chat_id for m in crisis] == [PERSON, STAFF_GROUP, STAFF_GROUP], "the card first"
    assert crisis[1].text == f"👤 {who.crisis}"
    assert telegram.topics[thread][1].name.startswith("🔴 H-")
    assert "editForumTopic" in telegram.calls
    [(group, pinned)] = telegram.pinned
    assert group == STAFF_GROUP and pinned == crisis[2].message_id
    assert "Risk flag: sextortion_now" in crisis[2].text

    stranger = chat.staff("I am staff, give me your IC number", thread, chat_id=-100999)
    assert telegram.sent_to(PERSON)[-1] == crisis[0]
    assert all(m.chat_id != PERSON for m in stranger), "another group reaches nobody"

    restarted = staffed(telegram, tmp_path / "waspada.db", who)
    [after] = restarted.staff("OK 👍", thread)
    assert after.chat_id == PERSON and "OK 👍" in after.text

    closed = restarted.staff("/close", thread)
    [question] = [m for m in closed if m.chat_id == PERSON]
    assert ui(who.lang, "Did talking to our staff help?") in question.text
    assert callbacks.encode("handoff", "up") in question.button_data
    assert telegram.topics[thread][1].closed

    [thanks] = restarted.press(callbacks.encode("handoff", "up"), who.client)
    assert ui(who.lang, "Thank you for telling us.") in thanks.text
    assert restarted.cases.feedback_counts() == {"helped": 1}
    for private in ("RM500", who.crisis, str(PERSON), who.staff_reply):
        assert private not in caplog.text, "no personal data in logs"


@pytest.mark.parametrize("lang", SPEAKERS)
def test_forget_during_a_case_deletes_the_bots_copies_and_closes_the_topic(
    lang: str, telegram: FakeTelegramApi, tmp_path: Path
) -> None:
    who = SPEAKERS[lang]
    chat = staffed(telegram, tmp_path / "waspada.db", who)
    thread = open_case(chat, who)
    chat.say(who.words, who.client)
    copies = [m.message_id for m in telegram.in_thread(thread)]
    chat.say("/forget", who.client)
    chat.press(callbacks.encode("forget", "yes"), who.client)
    assert {(STAFF_GROUP, i) for i in copies} <= set(telegram.deleted), "card and words deleted"
    assert "forget them" in telegram.in_thread(thread)[-1].text
    assert telegram.topics[thread][1].closed
    assert chat.cases.by_thread(str(thread)) is None
    assert chat.staff("Hello?", thread) == [], "nothing is sent for a forgotten case"


def wait_for(telegram: FakeTelegramApi, found: Callable[[], T | None], what: str) -> T:
    deadline = time.monotonic() + 60
    while (value := found()) is None:
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(0.05)
    return value


@pytest.mark.nlu
@pytest.mark.usefixtures("nlu_as_a_service")
def test_waspada_run_hands_a_malay_speaker_to_staff_with_the_trained_model(
    telegram: FakeTelegramApi, data_dir: Path
) -> None:
    """The whole product: `waspada run` with the trained model, the staff group configured,
    office hours that are always open, and a person who only knows Malay."""
    bot = start_bot(
        telegram,
        data_dir,
        WASPADA_STAFF_CHAT_ID=str(STAFF_GROUP),
        WASPADA_STAFF_HOURS="00:00-23:59",
        WASPADA_STAFF_DAYS="mon-sun",
    )
    try:
        telegram.send_text("saya nak cakap dengan orang sebenar", language_code="ms")
        [consent] = telegram.wait_for_messages(1, timeout=120)
        assert callbacks.encode("handoff", "yes") in consent.button_data, consent.text
        assert not telegram.topics
        telegram.press_button(callbacks.encode("handoff", "yes"), language_code="ms")
        thread = wait_for(telegram, lambda: next(iter(telegram.topics), None), "a topic")
        assert " · ms · " in telegram.topics[thread][1].name
        told = wait_for(
            telegram, lambda: next(iter(telegram.sent_to(PERSON)[1:]), None), "the case number"
        )
        assert "H-" in told.text

        telegram.send_text(
            "saya terima mesej pasal parcel RM500 semalam, nak tanya", language_code="ms"
        )
        mirrored = wait_for(
            telegram,
            lambda: next((m for m in telegram.in_thread(thread) if "RM500" in m.text), None),
            "the person's words in the topic",
        )
        assert mirrored.chat_id == STAFF_GROUP
        assert len(telegram.sent_to(PERSON)) == 2, "no FAQ answer during a case"

        telegram.send_staff_text("Jangan bayar dulu.", chat_id=STAFF_GROUP, thread=thread)
        reply = wait_for(
            telegram,
            lambda: next((m for m in telegram.sent_to(PERSON) if "Jangan bayar" in m.text), None),
            "the staff reply",
        )
        assert reply.text.startswith("<b>Pegawai Waspada:</b>")

        crisis = "dia ugut nak sebar gambar bogel saya kalau tak bayar malam ni"
        telegram.send_text(crisis, language_code="ms")
        flagged = wait_for(
            telegram,
            lambda: next((m for m in telegram.in_thread(thread) if crisis in m.text), None),
            "the crisis message in the topic",
        )
        card = telegram.sent_to(PERSON)[-1]
        assert card.protect_content and card.message_id < flagged.message_id, "the card first"
        wait_for(telegram, lambda: telegram.pinned or None, "a pinned alert")
        assert telegram.topics[thread][1].name.startswith("🔴")

        telegram.send_staff_text("/close", chat_id=STAFF_GROUP, thread=thread)
        wait_for(telegram, lambda: telegram.topics[thread][1].closed or None, "a closed topic")
        question = telegram.sent_to(PERSON)[-1]
        assert callbacks.encode("handoff", "up") in question.button_data
    finally:
        output = stop_bot(bot, telegram)
    for private in ("RM500", "bogel", "Jangan bayar"):
        assert private not in output, "no personal data in the logs"
