""" "Is this a scam?" in the chat, with the real trained model, real answers and translations, and
a real SQLite file: people paste, forward or ask in English, Malay and Chinese."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.app_scam import scam_checker
from bot.content.answer_book import FileAnswerBook
from bot.core import callbacks
from bot.core.clock import SystemClock
from bot.core.dialogue import Dialogue
from bot.core.messages import Incoming, Reply
from bot.core.report_flow import ReportDesk
from bot.core.scam_check_flow import FLOW
from bot.i18n.translator import BabelTranslator
from bot.nlu.language_id import TrainedDetector
from bot.nlu.rasa_agent import RasaAgentNlu
from bot.scam.items import TextItemFinder
from bot.settings import PROJECT_ROOT, Settings
from bot.storage.database import open_database
from bot.storage.forget import SqliteForgetting
from bot.storage.report_items import SqliteCrowdReports
from bot.storage.reports import SqliteReportStore
from bot.storage.sessions import SqliteSessionStore
from tests.support.languages import LANGUAGES
from tests.support.people import person
from tests.support.reporter import pseudonym

pytestmark = pytest.mark.nlu
ANSWERS = FileAnswerBook.load(PROJECT_ROOT / "responses")
TR = BabelTranslator(PROJECT_ROOT / "locales", LANGUAGES)
DETECTOR = TrainedDetector.from_nlu_data(PROJECT_ROOT / "nlu", LANGUAGES)


class Chat:
    """One bot on one database; each person is a user id with a phone language."""

    def __init__(self, nlu: RasaAgentNlu, database: Path) -> None:
        clock = SystemClock()
        db = open_database(database)
        self.reports = SqliteReportStore(db, clock, TextItemFinder())
        settings = Settings.from_env({"WASPADA_DATA_DIR": str(database.parent)})
        self.dialogue = Dialogue(
            nlu=nlu,
            detector=DETECTOR,
            answers=ANSWERS,
            translator=TR,
            sessions=SqliteSessionStore(db, clock),
            reports=ReportDesk(self.reports, clock, pseudonym, 5),
            clock=clock,
            forgetting=SqliteForgetting(db, clock),
            scam_checker=scam_checker(settings, SqliteCrowdReports(db, clock), clock),
        )
        self.sessions = SqliteSessionStore(db, clock)

    def send(self, who: int, text: str, phone: str = "en", **how: bool) -> list[Reply]:
        incoming = Incoming(person(who), "text", text, phone, **how)
        return asyncio.run(self.dialogue.handle(incoming))

    def press(self, who: int, data: str, phone: str = "en") -> list[Reply]:
        return asyncio.run(self.dialogue.handle(Incoming(person(who), "button", data, phone)))


@pytest.fixture
def chat(rasa_nlu: RasaAgentNlu, tmp_path: Path) -> Iterator[Chat]:
    yield Chat(rasa_nlu, tmp_path / "waspada.db")


def ui(lang: str, message: str, **values: object) -> str:
    return TR.gettext(lang, message, **values)


LIKELY = "🔴 **Likely a scam.** Don't click, don't pay and don't reply."
NO_SIGNS = "⚪ **No warning signs found.** That is no guarantee: a new scam is on no list yet."


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "is this a scam? maybank2u-verify.com/login they say my account is locked"),
        ("ms", "betul ke ni scam? dia suruh login kat maybank2u-verify.com/login"),
        ("zh", "这是不是诈骗？叫我去 maybank2u-verify.com/login 登录"),
        ("en", "can trust or not this link ah maybank2u-verify.com/login"),
    ],
)
def test_someone_asking_about_a_lookalike_link_is_warned_in_their_language(
    chat: Chat, lang: str, text: str
) -> None:
    replies = chat.send(1, text, lang)
    verdict = replies[-1]
    assert verdict.language == lang
    assert verdict.text.startswith(ui(lang, LIKELY))
    assert "maybank2u-verify[.]com" in verdict.text
    assert "maybank2u.com.my" in verdict.text


def test_check_button_then_a_forwarded_official_link_gets_no_warning_and_never_safe(
    chat: Chat,
) -> None:
    chat.send(2, "/check", "ms")
    assert chat.sessions.load(person(2)).flow == FLOW
    verdict = chat.send(2, "https://www.maybank2u.com.my/home/m2u/common/login.do", "ms")[-1]
    assert verdict.text.startswith(ui("ms", NO_SIGNS))
    assert "selamat" not in verdict.text.casefold()
    assert "Maybank" in verdict.text
    assert chat.sessions.load(person(2)).flow is None


def test_a_forwarded_parcel_sms_with_a_link_is_checked_without_being_asked(chat: Chat) -> None:
    sms = (
        "PosLaju: Your parcel is on hold due to incomplete address. Update within 24 hours or it "
        "will be returned: https://poslaju-my.top/update"
    )
    verdict = chat.send(3, sms, "en", forwarded=True)[-1]
    assert verdict.text.startswith(ui("en", LIKELY))
    assert "Pos Malaysia" in verdict.text


def test_someone_who_already_paid_gets_997_before_the_verdict(chat: Chat) -> None:
    replies = chat.send(
        4, "sy dah transfer rm4500 ke akaun 5621 2345 6789, scam ke ni? maybank2u-secure.net", "ms"
    )
    assert "997" in replies[0].text
    assert replies[-1].text.startswith(ui("ms", LIKELY))


def test_report_this_after_a_check_fills_in_the_link_and_fraud(chat: Chat) -> None:
    chat.send(5, "is this legit? https://kedai-murah.shop/promo/iphone", "en")
    replies = chat.press(5, callbacks.encode("scan", "report"))
    form = chat.sessions.load(person(5)).flow_state
    assert form["category"] == "financial_fraud"
    assert form["urls"] == ["https://kedai-murah.shop/promo/iphone"]
    assert replies  # the report began at its first question


def test_a_number_two_people_reported_is_named_to_the_next_person_who_checks(chat: Chat) -> None:
    from bot.core.report import Report, ReportDraft

    for who in (11, 12):
        chat.reports.file(
            Report(
                ReportDraft(
                    category="financial_fraud", platform="whatsapp", content_urls=(),
                    description="Lelaki dari nombor 012-777 8899 mengaku polis, minta duit",
                    incident_date=None, involves_child=False, language="ms",
                ),
                channel="telegram", submitted_at=SystemClock().now(), user_key=person(who),
            )
        )  # fmt: skip
    verdict = chat.send(13, "这个号码是不是骗子？ +60 12-777 8899", "zh")[-1]
    assert ui("zh", "{item} was reported by {count} different people in the last {days} days.",
              item="012-777 8899", count="2", days=90) in verdict.text  # fmt: skip


def test_the_menu_and_the_scam_answer_both_offer_the_check(chat: Chat) -> None:
    check = callbacks.encode("scan", "start")
    menu = chat.send(6, "/start", "zh")[-1]
    assert [b.data for b in menu.buttons][1] == check
    answer = chat.press(6, callbacks.encode("topic", "faq_scam_identify"), "zh")[-1]
    assert check in [b.data for b in answer.buttons]
    prompt = chat.press(6, check, "zh")[-1]
    assert prompt.text == ui(
        "zh",
        "Paste or forward the message, link, phone number or bank account number you want me "
        "to check. I don't keep it unless you go on to report it.",
    )
