"""Talk to a person end to end: the real PTB Application against the fake Bot API on 127.0.0.1,
with a staff forum group. A person asks in Malay, agrees, and their case becomes a topic; what
they write shows up there, and what staff write there reaches them."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.core import callbacks
from tests.fakes.clock import FakeClock
from tests.fakes.doubles import FakeDetector, FakeNlu
from tests.fakes.telegram_api import FakeTelegramApi
from tests.support.people import person
from tests.support.staff_chat import STAFF_GROUP, StaffedChat
from tests.support.telegram_chat import ANSWERS, ui

pytestmark = pytest.mark.e2e
PERSON = 777
MALAY_ASK = "nak cakap dengan orang"
CRISIS = "dia ugut nak sebar gambar saya malam ni"


def staffed(api: FakeTelegramApi, database: Path, **how: object) -> StaffedChat:
    nlu = FakeNlu({MALAY_ASK: ("human_handoff", 0.96)}, risks={CRISIS: ("sextortion_now",)})
    detector = FakeDetector({MALAY_ASK: "ms", CRISIS: "ms"})
    return StaffedChat(api, database, nlu, detector, FakeClock(), **how)  # type: ignore[arg-type]


def open_case(chat: StaffedChat) -> int:
    """Asks in Malay, agrees; returns the new topic's thread id."""
    [consent] = chat.say(MALAY_ASK)
    assert consent.chat_id == PERSON
    assert "tidak akan nampak nama anda" in consent.text
    assert callbacks.encode("handoff", "yes") in consent.button_data
    assert not chat.api.topics, "nothing reaches staff before consent"
    told = chat.press(callbacks.encode("handoff", "yes"))
    [thread] = chat.api.topics
    group, topic = chat.api.topics[thread]
    case = chat.cases.open_case_of(person(PERSON))
    assert case is not None
    assert group == STAFF_GROUP and topic.name == f"{case.case_id} · ms · general"
    [card] = chat.api.in_thread(thread)
    assert card.chat_id == STAFF_GROUP and f"Case {case.case_id}" in card.text
    assert str(PERSON) not in card.text and "Aisyah" not in card.text
    assert [m.chat_id for m in told] == [STAFF_GROUP, PERSON]
    assert f"<b>{case.case_id}</b>" in told[-1].text
    return thread


@pytest.fixture
def chat(telegram: FakeTelegramApi, tmp_path: Path) -> StaffedChat:
    return staffed(telegram, tmp_path / "waspada.db")


def test_person_asking_in_malay_for_a_human_reaches_staff_and_gets_their_reply(
    chat: StaffedChat, telegram: FakeTelegramApi, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="bot")
    thread = open_case(chat)

    assert chat.say("Dia minta <RM500> & cepat") == [
        m for m in telegram.in_thread(thread) if "RM500" in m.text
    ], "mirrored to the topic, nothing said back"
    assert telegram.in_thread(thread)[-1].text == "👤 Dia minta &lt;RM500&gt; &amp; cepat"

    [reply] = chat.staff("Boleh hantar pautan mesej itu?", thread)
    assert reply.chat_id == PERSON and reply.message_thread_id is None
    assert reply.text == "<b>Pegawai Waspada:</b> Boleh hantar pautan mesej itu?"

    crisis = chat.say(CRISIS)
    card = ANSWERS.crisis("sextortion_now", "ms")
    assert card is not None
    assert crisis[0].chat_id == PERSON and crisis[0].protect_content
    assert ui("ms", card.text.splitlines()[0]) in crisis[0].text
    assert [m.chat_id for m in crisis] == [PERSON, STAFF_GROUP, STAFF_GROUP], "the card first"
    assert crisis[1].text == f"👤 {CRISIS}"
    assert telegram.topics[thread][1].name.startswith("🔴 H-")
    assert "editForumTopic" in telegram.calls

    stranger = chat.staff("Saya pegawai, beri nombor IC", thread, chat_id=-100999)
    assert telegram.sent_to(PERSON)[-1] == crisis[0]
    assert all(m.chat_id != PERSON for m in stranger), "another group reaches nobody"

    restarted = staffed(telegram, tmp_path / "waspada.db")
    [after] = restarted.staff("Kami masih di sini.", thread)
    assert after.chat_id == PERSON and "Kami masih di sini." in after.text

    closed = restarted.staff("/close", thread)
    [question] = [m for m in closed if m.chat_id == PERSON]
    assert ui("ms", "Did talking to our staff help?") in question.text
    assert callbacks.encode("handoff", "up") in question.button_data
    assert telegram.topics[thread][1].closed

    [thanks] = restarted.press(callbacks.encode("handoff", "up"))
    assert ui("ms", "Thank you for telling us.") in thanks.text
    assert restarted.cases.feedback_counts() == {"helped": 1}
    for private in ("RM500", CRISIS, "Aisyah", str(PERSON), "pautan"):
        assert private not in caplog.text, "no personal data in logs"


def test_forget_during_a_case_closes_the_topic_and_deletes_the_case(
    chat: StaffedChat, telegram: FakeTelegramApi
) -> None:
    thread = open_case(chat)
    chat.say("/forget")
    chat.press(callbacks.encode("forget", "yes"))
    assert telegram.topics[thread][1].closed
    assert chat.cases.by_thread(str(thread)) is None
    assert chat.staff("Hello?", thread) == [], "nothing is sent for a forgotten case"
