"""Talk to a person, in the core: the dialogue and the staff room with a fake staff desk, real
answers, real catalogs and real SQLite. Each test is one person's story."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone
from pathlib import Path

import pytest

from bot.content.answer_book import FileAnswerBook
from bot.core import callbacks
from bot.core.conversation import Conversation
from bot.core.dialogue import Dialogue
from bot.core.identity import UserKey
from bot.core.messages import Incoming, Reply
from bot.core.office_hours import OfficeHours
from bot.core.staff_desk import HandoffDesk
from bot.core.staff_room import StaffMessage, StaffRoom
from bot.core.staff_watch import StaffWatch
from bot.errors import ConfigError
from bot.i18n.translator import BabelTranslator
from bot.settings import PROJECT_ROOT, Settings
from bot.storage.database import open_database
from bot.storage.forget import SqliteForgetting
from bot.storage.handoff import SqliteCaseStore
from bot.storage.sessions import SqliteSessionStore
from tests.fakes.clock import FakeClock
from tests.fakes.doubles import FakeDetector, FakeNlu
from tests.fakes.staff_desk import FakeStaffDesk
from tests.support.languages import LANGUAGES
from tests.support.people import FIRST

ANSWERS = FileAnswerBook.load(PROJECT_ROOT / "responses")
TR = BabelTranslator(PROJECT_ROOT / "locales", LANGUAGES)
MALAY_ASK = "nak cakap dengan orang"
CRISIS = "dia ugut nak sebar gambar saya malam ni"
# Tuesday 24 Nov 2026, 17:00 in Malaysia: inside the default office hours.
IN_HOURS = datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)
# Tuesday 24 Nov 2026, 10:00 in Malaysia: a whole morning of office hours ahead.
MORNING = datetime(2026, 11, 24, 2, 0, tzinfo=timezone.utc)
# Saturday 28 Nov 2026, 11:00 in Malaysia.
WEEKEND = datetime(2026, 11, 28, 3, 0, tzinfo=timezone.utc)


@dataclass
class Desk:
    """One bot with a staff desk: the person's dialogue and the staff room over one database."""

    database: Path | str = ":memory:"
    clock: FakeClock = field(default_factory=lambda: FakeClock(IN_HOURS))
    desk: FakeStaffDesk = field(default_factory=FakeStaffDesk)
    staff_ids: frozenset[str] = frozenset()
    delivered: list[tuple[UserKey, Reply]] = field(default_factory=list)

    def __post_init__(self) -> None:
        db = open_database(self.database)
        self.cases = SqliteCaseStore(db)
        nlu = FakeNlu(
            {MALAY_ASK: ("human_handoff", 0.96), "talk to a human": ("human_handoff", 0.96)},
            risks={CRISIS: ("sextortion_now",)},
        )
        self.dialogue = Dialogue(
            nlu=nlu,
            detector=FakeDetector({MALAY_ASK: "ms", CRISIS: "ms"}),
            answers=ANSWERS,
            translator=TR,
            sessions=SqliteSessionStore(db, self.clock),
            clock=self.clock,
            forgetting=SqliteForgetting(db, self.clock),
            handoff=HandoffDesk(self.desk, self.cases, OfficeHours()),
        )
        self.room = StaffRoom(self.cases, self.desk, TR, self.clock, staff_ids=self.staff_ids)

    def say(self, text: str, client: str = "ms", kind: str = "text") -> list[Reply]:
        return self._turn(Incoming(FIRST, kind, text, client))  # type: ignore[arg-type]

    def press(self, action: str, value: str = "", client: str = "ms") -> list[Reply]:
        data = callbacks.encode(action, value)  # type: ignore[arg-type]
        return self._turn(Incoming(FIRST, "button", data, client))

    def _turn(self, incoming: Incoming) -> list[Reply]:
        """A whole turn, as channels run it: the replies, then what waits for their delivery."""
        shown: list[Reply] = []

        async def deliver(replies: list[Reply]) -> None:
            shown.extend(replies)

        asyncio.run(Conversation(self.dialogue, TR).turn(incoming, deliver))
        return shown

    def staff(self, text: str | None, thread: str | None = None, sender: str = "9001") -> None:
        async def send(user_key: UserKey, reply: Reply) -> None:
            self.delivered.append((user_key, reply))

        message = StaffMessage(thread or self.thread, sender, "Farah binti Ali", text)
        asyncio.run(self.room.on_message(message, send))

    @property
    def thread(self) -> str:
        [thread] = self.desk.threads
        return thread

    def posts(self) -> list[str]:
        return self.desk.threads[self.thread].posts


def ms(message: str, **values: object) -> str:
    return TR.gettext("ms", message, **values)


def test_person_asking_in_malay_for_a_human_reaches_staff_and_gets_their_reply() -> None:
    bot = Desk()
    [consent] = bot.say(MALAY_ASK)
    assert consent.language == "ms"
    assert "tidak akan nampak nama anda" in consent.text
    assert "Isn-Jum, 08:30-17:30" in consent.text
    assert callbacks.encode("handoff", "yes") in [b.data for b in consent.buttons]
    assert not bot.desk.threads, "nothing reaches staff before consent"

    [told] = bot.press("handoff", "yes")
    case = bot.cases.open_case_of(FIRST)
    assert case is not None and case.thread == bot.thread
    assert f"**{case.case_id}**" in told.text
    assert "nombor 1 dalam giliran" in told.text
    assert bot.desk.threads[bot.thread].title == f"{case.case_id} · ms · general"
    card = bot.posts()[0]
    assert "Language: ms" in card and "telegram" not in card and "1" not in card.split("\n")[1]

    assert bot.say("Ada orang minta saya bayar RM500 untuk bungkusan") == [], "no FAQ answers"
    assert bot.posts()[-1] == "person: Ada orang minta saya bayar RM500 untuk bungkusan"

    bot.staff("Boleh hantar pautan mesej itu?")
    [(to, reply)] = bot.delivered
    assert to == FIRST and reply.language == "ms"
    assert reply.text == "**Pegawai Waspada:** Boleh hantar pautan mesej itu?"
    assert "Farah" not in reply.text

    bot.staff("/note nampak macam scam bungkusan")
    assert len(bot.delivered) == 1, "a note is internal"
    bot.staff("/close")
    closing = bot.delivered[-1][1]
    assert ms("Our staff closed your case {case}.", case=case.case_id) in closing.text
    assert [b.label for b in closing.buttons] == ["👍 Ya, ia membantu", "👎 Tidak"]
    assert bot.desk.threads[bot.thread].closed
    assert bot.cases.open_case_of(FIRST) is None

    [thanks] = bot.press("handoff", "up")
    assert ms("Thank you for telling us.") in thanks.text
    bot.press("handoff", "up")
    assert bot.cases.feedback_counts() == {"helped": 1}, "one answer per case"


def test_outside_office_hours_the_person_gets_the_urgent_lines_and_may_open_a_case() -> None:
    bot = Desk(clock=FakeClock(WEEKEND))
    [consent] = bot.say("/human", client="en")
    nsrc = ANSWERS.contact("nsrc", "en")
    emergency = ANSWERS.contact("emergency", "en")
    assert nsrc and emergency and nsrc.phone and emergency.phone
    assert "Staff are away now" in consent.text
    assert f"**{emergency.name}**: {emergency.phone}" in consent.text
    assert nsrc.phone in consent.text
    data = [b.data for b in consent.buttons]
    assert callbacks.encode("contact", "nsrc") in data
    assert callbacks.encode("handoff", "yes") in data

    [told] = bot.press("handoff", "yes", client="en")
    assert "Staff will answer when the office opens (Mon-Fri, 08:30-17:30)." in told.text
    assert bot.cases.open_case_of(FIRST) is not None


def test_a_crisis_message_during_a_case_gets_the_crisis_card_first_and_flags_the_topic() -> None:
    bot = Desk()
    bot.say(MALAY_ASK)
    bot.press("handoff", "yes")
    [card] = bot.say(CRISIS)
    crisis = ANSWERS.crisis("sextortion_now", "ms")
    assert crisis is not None
    assert card.text.startswith(crisis.text.splitlines()[0]) and card.protect
    thread = bot.desk.threads[bot.thread]
    assert thread.title.startswith("🔴 H-")
    assert f"person: {CRISIS}" in thread.posts
    [pinned] = thread.pinned
    assert "Risk flag: sextortion_now" in pinned, "the alert is pinned at the top of the topic"
    [again] = bot.say(CRISIS)
    assert again.protect and thread.posts.count(f"person: {CRISIS}") == 2
    assert thread.title.count("🔴") == 1
    assert len(thread.pinned) == 1, "one pinned alert per case"


def test_photos_during_a_case_are_not_copied_and_the_person_is_asked_for_words() -> None:
    bot = Desk()
    bot.say(MALAY_ASK)
    bot.press("handoff", "yes")
    before = list(bot.posts())
    [reply] = bot.say("photo", kind="media")
    assert "terangkan isinya dengan kata-kata" in reply.text
    assert bot.posts() == before


def test_declining_shares_nothing_and_the_next_question_gets_an_answer_again() -> None:
    bot = Desk()
    bot.say(MALAY_ASK)
    [declined] = bot.press("handoff", "no")
    assert ms("OK, nothing was shared with staff.") in declined.text
    assert not bot.desk.threads and bot.cases.open_case_of(FIRST) is None


def test_the_person_ends_the_case_with_end_and_staff_see_it() -> None:
    bot = Desk()
    bot.say(MALAY_ASK)
    bot.press("handoff", "yes")
    [ended] = bot.say("/end")
    assert "👍 Ya, ia membantu" in [b.label for b in ended.buttons]
    assert bot.desk.threads[bot.thread].closed
    assert bot.posts()[-1] == "bot: The person ended the chat."
    bot.staff("Hello?")
    assert bot.delivered == [], "a closed case passes nothing on"
    assert bot.posts()[-1] == "bot: This case is closed: nothing was sent."


def test_quick_exit_during_a_case_closes_it_and_still_clears_the_chat() -> None:
    bot = Desk()
    bot.say(MALAY_ASK)
    bot.press("handoff", "yes")
    [done] = bot.say("/exit")
    assert done.clears_chat
    assert bot.desk.threads[bot.thread].closed
    assert bot.cases.open_case_of(FIRST) is None


def test_forget_during_a_case_deletes_the_case_and_closes_the_topic() -> None:
    bot = Desk()
    bot.say(MALAY_ASK)
    bot.press("handoff", "yes")
    bot.say("Nama saya Aisyah, dia minta RM500")
    thread = bot.thread
    [forgotten] = bot.press("forget", "yes")
    assert forgotten.forgets_person
    assert bot.desk.threads[thread].closed
    assert not any("Aisyah" in post for post in bot.posts()), "the bot's copies are deleted"
    assert "forget them" in bot.posts()[-1]
    assert bot.cases.by_thread(thread) is None, "the case row is gone"


def test_forget_after_a_closed_case_still_deletes_the_bots_copies_of_their_words() -> None:
    bot = Desk()
    bot.say(MALAY_ASK)
    bot.press("handoff", "yes")
    bot.say("Nama saya Aisyah")
    bot.staff("/close")
    bot.press("forget", "yes")
    assert not any("Aisyah" in post for post in bot.posts())
    assert bot.cases.cases_of(FIRST) == []


def test_staff_outside_the_allowed_list_and_other_threads_reach_nobody() -> None:
    bot = Desk(staff_ids=frozenset({"9001"}))
    bot.say(MALAY_ASK)
    bot.press("handoff", "yes")
    bot.staff("I am not staff", sender="666")
    bot.staff("wrong topic", thread="999")
    assert bot.delivered == []
    bot.staff("Saya pegawai", sender="9001")
    assert len(bot.delivered) == 1


def test_a_staff_reply_after_a_restart_still_reaches_the_person(tmp_path: Path) -> None:
    first = Desk(tmp_path / "waspada.db")
    first.say(MALAY_ASK)
    first.press("handoff", "yes")
    again = Desk(tmp_path / "waspada.db", desk=first.desk)
    again.staff("Kami masih di sini.")
    assert again.delivered[0][0] == FIRST
    assert again.say("terima kasih") == []
    assert again.posts()[-1] == "person: terima kasih"


def test_when_staff_cannot_be_reached_no_case_is_kept_and_the_hotlines_are_given() -> None:
    bot = Desk()
    bot.desk.reachable = False
    bot.say(MALAY_ASK)
    [sorry] = bot.press("handoff", "yes")
    assert "tidak dapat menghubungi kakitangan" in sorry.text
    assert callbacks.encode("contact", "emergency") in [b.data for b in sorry.buttons]
    assert bot.cases.open_case_of(FIRST) is None


def test_did_you_mean_offers_a_person_when_a_staff_desk_is_there() -> None:
    [question] = Desk().say("something unclear", client="en")
    assert question.guessing
    assert callbacks.encode("handoff", "start") in [b.data for b in question.buttons]


def test_without_a_staff_desk_human_gives_the_hotlines() -> None:
    db = open_database(":memory:")
    dialogue = Dialogue(
        nlu=FakeNlu(),
        detector=FakeDetector(),
        answers=ANSWERS,
        translator=TR,
        sessions=SqliteSessionStore(db),
    )
    [reply] = asyncio.run(dialogue.handle(Incoming(FIRST, "text", "/human", "en")))
    assert reply.topic == "human_handoff"


@pytest.mark.parametrize(
    ("hours", "days", "problem"),
    [
        ("8:30-17:30", "mon-fri", "HH:MM"),
        ("17:30-08:30", "mon-fri", "end after"),
        ("08:30-17:30", "fri-mon", "WASPADA_STAFF_DAYS"),
        ("08:30-17:30", "someday", "WASPADA_STAFF_DAYS"),
    ],
)
def test_office_hours_that_make_no_sense_are_refused(hours: str, days: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem.replace("HH:MM", "08:30-17:30")):
        OfficeHours.parse(hours, days)


def test_office_hours_are_read_in_malaysia_time() -> None:
    hours = OfficeHours.parse("09:00-18:00", "mon,wed,sat")
    assert hours.start == time(9) and hours.days == frozenset({0, 2, 5})
    assert hours.is_open(WEEKEND)  # Saturday 11:00 in Malaysia
    assert not hours.is_open(IN_HOURS)  # Tuesday
    assert hours.describe(TR, "zh") == "周一, 周三, 周六, 09:00-18:00"


def test_staff_settings_are_read_from_the_environment(tmp_path: Path) -> None:
    env = {
        "WASPADA_DATA_DIR": str(tmp_path),
        "WASPADA_STAFF_CHAT_ID": "-1001234567890",
        "WASPADA_STAFF_USER_IDS": "11, 22",
        "WASPADA_STAFF_SHOW_NAMES": "on",
        "WASPADA_STAFF_HOURS": "09:00-18:00",
        "WASPADA_STAFF_DAYS": "mon-sat",
    }
    settings = Settings.from_env(env)
    assert settings.staff_chat_id == -1001234567890
    assert settings.staff_user_ids == (11, 22) and settings.staff_show_names
    assert settings.staff_hours == OfficeHours(time(9), time(18), frozenset(range(6)))
    defaults = Settings.from_env({"WASPADA_DATA_DIR": str(tmp_path)})
    assert defaults.staff_chat_id is None and defaults.staff_hours == OfficeHours()


def test_wrong_staff_settings_are_all_named_at_once(tmp_path: Path) -> None:
    env = {
        "WASPADA_DATA_DIR": str(tmp_path),
        "WASPADA_STAFF_CHAT_ID": "staff",
        "WASPADA_STAFF_USER_IDS": "farah",
        "WASPADA_STAFF_HOURS": "all day",
    }
    with pytest.raises(ConfigError) as raised:
        Settings.from_env(env)
    text = str(raised.value)
    for name in ("WASPADA_STAFF_CHAT_ID", "WASPADA_STAFF_USER_IDS", "WASPADA_STAFF_HOURS"):
        assert name in text


def test_staff_names_are_shown_only_when_switched_on() -> None:
    bot = Desk()
    bot.room = StaffRoom(bot.cases, bot.desk, TR, bot.clock, show_names=True)
    bot.say(MALAY_ASK)
    bot.press("handoff", "yes")
    bot.staff("Saya Farah.")
    assert bot.delivered[0][1].text == "**Farah binti Ali:** Saya Farah."


def test_closed_cases_go_after_the_retention_period_and_open_ones_stay() -> None:
    bot = Desk()
    bot.say(MALAY_ASK)
    bot.press("handoff", "yes")
    bot.say("/end")
    later = bot.clock.advance(days=31)
    assert bot.cases.drop_closed(later - timedelta(days=30)) == 1
    assert bot.cases.by_thread(bot.thread) is None


@pytest.mark.parametrize(
    ("client", "promise", "connect"),
    [
        ("en", "They will not see your name", "Yes, connect me"),
        ("ms", "Mereka tidak akan nampak nama anda", "Ya, sambungkan saya"),
        ("zh-hans", "他们不会看到你的名字", "好，帮我转接"),
    ],
)
def test_the_consent_question_comes_in_the_persons_language(
    client: str, promise: str, connect: str
) -> None:
    bot = Desk()
    [consent] = bot.say("/human", client=client)
    assert promise in consent.text
    assert consent.buttons[0].label == connect
    [told] = bot.press("handoff", "yes", client=client)
    case = bot.cases.open_case_of(FIRST)
    assert case is not None and case.language == consent.language
    assert case.case_id in told.text


# ---- nobody answering ----------------------------------------------------------------------
def watch(bot: Desk, minutes: int = 10) -> StaffWatch:
    handoff = HandoffDesk(bot.desk, bot.cases, OfficeHours())
    return StaffWatch(handoff, ANSWERS, TR, bot.clock, after=timedelta(minutes=minutes))


def told(bot: Desk, minutes: int = 10) -> int:
    async def send(user_key: UserKey, reply: Reply) -> None:
        bot.delivered.append((user_key, reply))

    return asyncio.run(watch(bot, minutes).tell_the_waiting(send))


def test_a_person_nobody_answers_for_ten_minutes_is_told_once_and_the_case_stays_open() -> None:
    bot = Desk(clock=FakeClock(MORNING))
    bot.say(MALAY_ASK)
    bot.press("handoff", "yes")
    bot.clock.advance(minutes=9)
    assert told(bot) == 0, "not before the ten minutes"
    bot.clock.advance(minutes=1)
    assert told(bot) == 1
    [(to, reply)] = bot.delivered
    assert to == FIRST and reply.language == "ms"
    case = bot.cases.open_case_of(FIRST)
    assert case is not None, "the case stays open"
    assert case.case_id in reply.text
    nsrc = ANSWERS.contact("nsrc", "ms")
    assert nsrc is not None and nsrc.phone in reply.text, "given the alternatives"
    assert callbacks.encode("handoff", "end") in [b.data for b in reply.buttons]
    assert "No staff reply for 10 minutes" in bot.posts()[-1]
    bot.clock.advance(minutes=30)
    assert told(bot) == 0, "told once, not every half minute"


def test_after_a_staff_reply_the_next_unanswered_message_starts_a_new_wait() -> None:
    bot = Desk(clock=FakeClock(MORNING))
    bot.say(MALAY_ASK)
    bot.press("handoff", "yes")
    bot.clock.advance(minutes=5)
    bot.staff("Saya di sini. Apa yang berlaku?")
    bot.clock.advance(minutes=20)
    assert told(bot) == 0, "staff answered; nobody is waiting"
    bot.say("Dia minta RM500")
    bot.clock.advance(minutes=10)
    assert told(bot) == 1


def test_only_office_time_counts_while_a_person_waits() -> None:
    # Friday 27 Nov 2026, 17:25 in Malaysia: five minutes before the office closes.
    bot = Desk(clock=FakeClock(datetime(2026, 11, 27, 9, 25, tzinfo=timezone.utc)))
    bot.say(MALAY_ASK)
    bot.press("handoff", "yes")
    bot.clock.advance(hours=15)  # Saturday 08:25
    assert told(bot) == 0, "the office is closed: they were told the hours"
    bot.clock.advance(days=2, minutes=5)  # Monday 08:30
    assert told(bot) == 0, "five office minutes so far"
    bot.clock.advance(minutes=5)
    assert told(bot) == 1


def test_office_time_between_two_moments_skips_nights_and_weekends() -> None:
    hours = OfficeHours()
    friday = datetime(2026, 11, 27, 9, 0, tzinfo=timezone.utc)  # 17:00 in Malaysia
    monday = friday + timedelta(days=3, hours=-7)  # Monday 10:00 in Malaysia
    assert hours.open_time(friday, monday) == timedelta(minutes=30 + 90)
    assert hours.open_time(monday, monday) == timedelta(0)


def test_the_reply_wait_is_read_from_the_environment(tmp_path: Path) -> None:
    env = {"WASPADA_DATA_DIR": str(tmp_path), "WASPADA_STAFF_REPLY_MINUTES": "25"}
    assert Settings.from_env(env).staff_reply_minutes == 25
    assert Settings.from_env({"WASPADA_DATA_DIR": str(tmp_path)}).staff_reply_minutes == 10
    with pytest.raises(ConfigError, match="WASPADA_STAFF_REPLY_MINUTES"):
        Settings.from_env({**env, "WASPADA_STAFF_REPLY_MINUTES": "soon"})
