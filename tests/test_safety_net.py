"""The safety net in the core: when the risk screen fires, the first line a person sees is the
action to take now, in their language, whatever the topic guess; unsure guesses lead with the
topic's urgent line; short follow-ups keep their context. Real answers and SQLite, fake NLU."""

from __future__ import annotations

import asyncio

import pytest

from bot.content.answer_book import FileAnswerBook
from bot.core import callbacks
from bot.core.dialogue import Dialogue
from bot.core.insight import Insight
from bot.core.languages import Language
from bot.core.messages import Incoming, Reply
from bot.core.report_flow import ReportDesk
from bot.core.risk import RiskClass
from bot.settings import PROJECT_ROOT
from bot.storage.database import open_database
from bot.storage.evidence import SqliteEvidenceStore
from bot.storage.forget import SqliteForgetting
from bot.storage.reports import SqliteReportStore
from bot.storage.review import SqliteReviewQueue
from bot.storage.sessions import SqliteSessionStore
from bot.storage.usage import SqliteUsageCounts
from tests.fakes.clock import FakeClock
from tests.fakes.doubles import FakeDetector, FakeNlu, FakeTranslator
from tests.support.people import person

PERSON = person(7)

ANSWERS = FileAnswerBook.load(PROJECT_ROOT / "responses")
LANGS: tuple[Language, ...] = ("en", "ms", "zh")
CLIENT = {"en": "en", "ms": "ms", "zh": "zh-hans"}

ROOFTOP = "kawan sy kat atas bumbung flat nk terjun skrg"
EX_AT_DOOR = "my ex is outside my house and says he will kill me tonight"
NOT_ALIVE = "不想活了"
PARANG = "suami sy ugut nk bunuh sy, dia bawak parang"
PARCEL = "i just transferred RM4,500 to the parcel guy and now he blocked me"
LHDN_CALL = "got call from lhdn say i owe tax must pay today"
PAY_TO_BE_SAFE = "he's calling back in 10 mins, should i just pay to be safe"


class Person:
    def __init__(self) -> None:
        self.clock = FakeClock()
        self.db = open_database(":memory:")
        self.nlu = FakeNlu(
            {
                PARANG: ("faq_sextortion", 0.55),
                PARCEL: ("faq_scam_victim", 0.45),
                LHDN_CALL: ("faq_scam_identify", 0.9),
                "i think i lost money": ("faq_scam_victim", 0.35),
                "i want to report a tiktok video": ("report_content", 0.95),
                "hello": ("greet", 0.99),
            },
            risks={
                ROOFTOP: ("self_harm", "danger_now"),
                EX_AT_DOOR: ("danger_now",),
                NOT_ALIVE: ("self_harm",),
                PARANG: ("danger_now",),
                PARCEL: ("money_just_lost",),
                "he's outside now": ("danger_now",),
            },
        )
        store = SqliteReportStore(self.db, self.clock)
        self.dialogue = Dialogue(
            nlu=self.nlu,
            detector=FakeDetector(),
            answers=ANSWERS,
            translator=FakeTranslator(),
            sessions=SqliteSessionStore(self.db),
            reports=ReportDesk(
                store,
                self.clock,
                str,
                per_day=5,
                evidence=SqliteEvidenceStore(self.db, self.clock),
            ),
            clock=self.clock,
            forgetting=SqliteForgetting(self.db, self.clock),
            insight=Insight(
                self.clock,
                SqliteUsageCounts(self.db, self.clock),
                SqliteReviewQueue(self.db, self.clock),
            ),
        )

    def say(self, text: str, lang: Language = "en") -> list[Reply]:
        incoming = Incoming(PERSON, "text", text, CLIENT[lang])
        return asyncio.run(self.dialogue.handle(incoming))

    def press(self, data: str, lang: Language = "en") -> list[Reply]:
        incoming = Incoming(PERSON, "button", data, CLIENT[lang])
        return asyncio.run(self.dialogue.handle(incoming))


def card(risk: RiskClass, lang: Language) -> str:
    answer = ANSWERS.crisis(risk, lang)
    assert answer is not None
    return answer.text


def urgent(topic: str, lang: Language) -> str:
    answer = ANSWERS.answer(topic, lang)
    assert answer is not None and answer.urgent
    return answer.urgent


@pytest.mark.parametrize("lang", LANGS)
def test_someone_on_a_roof_gets_999_first_and_no_did_you_mean(lang: Language) -> None:
    replies = Person().say(ROOFTOP, lang)
    first = replies[0]
    assert first.text.startswith(card("danger_now", lang)), "danger comes before feelings"
    assert card("self_harm", lang) in first.text
    assert "999" in first.text.splitlines()[0]
    assert first.protect
    assert not any(r.guessing for r in replies), "self-harm is never met with topic buttons"


@pytest.mark.parametrize("lang", LANGS)
def test_i_dont_want_to_live_gets_a_warm_card_with_crisis_lines(lang: Language) -> None:
    [reply] = Person().say(NOT_ALIVE, lang)
    assert reply.text == card("self_harm", lang)
    assert reply.language == lang
    assert reply.protect
    assert reply.buttons[-1].data == callbacks.encode("menu")
    assert "15555" in reply.text, "Talian HEAL from the facts"


def test_ex_threatening_at_the_door_gets_999_then_the_question() -> None:
    first, second = Person().say(EX_AT_DOOR)
    assert first.text.splitlines()[0] == card("danger_now", "en").splitlines()[0]
    assert "999" in first.text.splitlines()[0]
    assert second.guessing, "the topic buttons may follow, never lead"


def test_husband_with_a_parang_gets_999_before_any_topic_answer() -> None:
    replies = Person().say(PARANG, "ms")
    assert replies[0].text == card("danger_now", "ms")
    assert "999" in replies[0].text.splitlines()[0]


@pytest.mark.parametrize("lang", LANGS)
def test_parcel_scam_victim_who_just_paid_gets_997_first(lang: Language) -> None:
    first, *rest = Person().say(PARCEL, lang)
    assert first.text == card("money_just_lost", lang)
    assert "997" in first.text.splitlines()[0]
    assert rest, "then the topic answer or the question"


def test_a_crisis_does_not_come_with_small_talk() -> None:
    person = Person()
    person.nlu.table["hello i want to die"] = ("greet", 0.9)
    person.nlu.risks["hello i want to die"] = ("self_harm",)
    assert [r.text for r in person.say("hello i want to die")] == [card("self_harm", "en")]


def test_danger_mid_report_interrupts_with_999_and_keeps_the_report() -> None:
    person = Person()
    person.say("/report")
    person.press(callbacks.encode("report_step", "tri.none"))
    person.press(callbacks.encode("report_step", "cat.harassment"))
    person.press(callbacks.encode("report_step", "plt.facebook"))
    first, *rest = person.say("he's outside now")
    assert first.text == card("danger_now", "en")
    assert rest, "the report's own next question still follows"
    session = SqliteSessionStore(person.db).load(PERSON)
    assert session.flow == "report", "the half-filled report is not lost"


@pytest.mark.parametrize("lang", LANGS)
def test_unsure_guess_on_a_money_topic_leads_with_its_urgent_line(lang: Language) -> None:
    [reply] = Person().say("i think i lost money", lang)
    assert reply.text.startswith(f"**{urgent('faq_scam_victim', lang)}**")
    assert "Did you mean" in reply.text
    assert reply.buttons[0].data == callbacks.encode("topic", "faq_scam_victim")


@pytest.mark.parametrize("lang", LANGS)
def test_follow_up_after_fake_lhdn_call_keeps_its_context(lang: Language) -> None:
    person = Person()
    [answer] = person.say(LHDN_CALL, lang)
    assert answer.text.startswith(f"**{urgent('faq_scam_identify', lang)}**")
    person.clock.advance(minutes=3)
    [follow_up] = person.say(PAY_TO_BE_SAFE, lang)
    assert follow_up.text.startswith(f"**{urgent('faq_scam_identify', lang)}**")
    assert not follow_up.guessing
    assert callbacks.encode("topic", "faq_scam_identify") in [b.data for b in follow_up.buttons]


def test_a_follow_up_long_after_is_asked_about_again() -> None:
    person = Person()
    person.say(LHDN_CALL)
    person.clock.advance(minutes=30)
    [reply] = person.say(PAY_TO_BE_SAFE)
    assert reply.guessing


def test_a_follow_up_after_a_crisis_gets_the_card_again() -> None:
    person = Person()
    person.say(EX_AT_DOOR)
    person.clock.advance(minutes=2)
    [reply] = person.say("what now")
    assert reply.text == card("danger_now", "en")


def test_a_follow_up_after_money_lost_leads_with_997_again() -> None:
    person = Person()
    person.say(PARCEL)
    person.clock.advance(minutes=2)
    [reply] = person.say("what now")
    assert "997" in reply.text.splitlines()[0]


def test_forget_leaves_the_person_exactly_like_a_new_user() -> None:
    person = Person()
    person.press(callbacks.encode("language", "zh"))
    person.say(LHDN_CALL)
    person.clock.advance(minutes=30)
    [guess] = person.say("sy nk tanya pasal benda lain, nombor sy 012-345 6789")
    assert guess.guessing
    assert person.db.execute("select count(*) from review_entries").fetchone()[0] == 1
    person.say("/forget")
    [done] = person.press(callbacks.encode("forget", "yes"))
    assert done.text.startswith("[zh]")
    assert person.db.execute("select count(*) from sessions").fetchone()[0] == 0
    assert person.db.execute("select count(*) from review_entries").fetchone()[0] == 0
    person.press(callbacks.encode("helpful", "d.faq_scam_identify"))
    assert person.db.execute("select count(*) from usage_ratings").fetchone()[0] == 0, (
        "the answer they saw before /forget is no longer theirs to rate"
    )
    [greeting] = person.say("/start", "ms")
    assert greeting.language == "ms", "the old chosen language is gone"


def test_a_sextortion_message_with_a_faint_danger_signal_leads_with_dont_pay() -> None:
    """A new user's "he got my nude and now demanding 500 or he send to my wife" opened with
    "Call 999 now" because danger_now (0.37) was sorted before sextortion_now (0.999)."""
    from bot.nlu.rasa_agent import to_result

    raw = {
        "intent": {"name": "faq_sextortion", "confidence": 0.98},
        "risk": [
            {"name": "sextortion_now", "confidence": 0.999, "cue": True},
            {"name": "danger_now", "confidence": 0.37, "cue": False},
        ],
    }
    assert to_result(raw).risks == ("sextortion_now", "danger_now")
    sure_of_both = {
        "risk": [
            {"name": "money_just_lost", "confidence": 0.99, "cue": True},
            {"name": "danger_now", "confidence": 0.9, "cue": True},
        ]
    }
    assert to_result(sure_of_both).risks == ("danger_now", "money_just_lost"), "999 first"
    card_text = cards_for(("sextortion_now", "danger_now"))
    assert card_text.startswith(card("sextortion_now", "en"))
    assert "pay" in card_text.splitlines()[0].lower()


def cards_for(risks: tuple[RiskClass, ...]) -> str:
    reply = Person().dialogue._safety.cards(risks, "en")
    assert reply is not None
    return reply.text
