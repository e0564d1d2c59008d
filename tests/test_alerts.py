"""Scam alerts in one process: subscribing in a chat, staff's alert files, the pace of a
broadcast, and what each answer from the channel does to a recipient."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.content.alerts import load_alert
from bot.content.answer_book import FileAnswerBook
from bot.core import callbacks
from bot.core.alerts import Alert, BroadcastCounts, Outcome, SendResult
from bot.core.dialogue import Dialogue
from bot.core.identity import UserKey
from bot.core.messages import Incoming, Reply
from bot.core.pacing import SendPacer
from bot.delivery.broadcaster import Broadcaster
from bot.i18n.translator import BabelTranslator
from bot.settings import PROJECT_ROOT
from bot.storage.alerts import SqliteBroadcasts, SqliteSubscriptions
from bot.storage.database import open_database
from bot.storage.forget import SqliteForgetting
from bot.storage.sessions import SqliteSessionStore
from tests.fakes.clock import FakeClock
from tests.fakes.doubles import FakeDetector, FakeNlu
from tests.support.languages import LANGUAGES
from tests.support.people import person

RESPONSES = PROJECT_ROOT / "responses"
BOOK = FileAnswerBook.load(RESPONSES)
TR = BabelTranslator(PROJECT_ROOT / "locales", LANGUAGES)
SAMPLE = RESPONSES / "alerts" / "2026-12-02-parcel-scam-calls.yml"
NOW = datetime(2026, 12, 2, 3, 0, tzinfo=timezone.utc)


@pytest.fixture
def db():  # type: ignore[no-untyped-def]
    return open_database(":memory:")


def dialogue_on(db, clock: FakeClock) -> Dialogue:  # type: ignore[no-untyped-def]
    return Dialogue(
        nlu=FakeNlu(),
        detector=FakeDetector(),
        answers=BOOK,
        translator=TR,
        sessions=SqliteSessionStore(db, clock),
        forgetting=SqliteForgetting(db, clock),
        subscriptions=SqliteSubscriptions(db, clock),
    )


def say(dialogue: Dialogue, who: UserKey, text: str, lang: str = "en", **how: bool) -> Reply:
    return asyncio.run(dialogue.handle(Incoming(who, "text", text, lang, **how)))[-1]


def an_alert(name: str = "2026-12-02-test", **changes: object) -> Alert:
    texts = {lang: f"[{lang}] Parcel scam calls are going round." for lang in LANGUAGES.codes}
    fields: dict[str, object] = {"texts": texts, "send_after": NOW, "topic": "faq_scam_identify"}
    return Alert(name, **(fields | changes))  # type: ignore[arg-type]


# ---- subscribing in a chat -------------------------------------------------------------------


def test_a_person_subscribes_in_chinese_and_the_same_command_stops_the_alerts(db) -> None:  # type: ignore[no-untyped-def]
    clock = FakeClock()
    dialogue, subscriptions = dialogue_on(db, clock), SqliteSubscriptions(db, clock)
    who = person(8)

    started = say(dialogue, who, "/alerts", "zh-hans")
    assert started.language == "zh"
    assert "/alerts" in started.text and started.text != TR.gettext("en", "Scam alerts")
    assert subscriptions.by_language() == {"zh": 1}

    stopped = say(dialogue, who, "/alerts", "zh-hans")
    assert "/alerts" in stopped.text and stopped.text != started.text
    assert subscriptions.count() == 0


def test_the_menu_offers_alerts_and_its_button_subscribes(db) -> None:  # type: ignore[no-untyped-def]
    clock = FakeClock()
    dialogue = dialogue_on(db, clock)
    menu = say(dialogue, person(9), "/menu", "ms")
    assert callbacks.encode("alerts") in [b.data for b in menu.buttons]

    asyncio.run(dialogue.handle(Incoming(person(9), "button", callbacks.encode("alerts"), "ms")))
    assert SqliteSubscriptions(db, clock).by_language() == {"ms": 1}


def test_alerts_are_never_started_in_a_group(db) -> None:  # type: ignore[no-untyped-def]
    clock = FakeClock()
    reply = say(dialogue_on(db, clock), person(10), "/alerts", "en", in_group=True)
    assert any(b.deep_link == "alerts" for b in reply.buttons)
    assert SqliteSubscriptions(db, clock).count() == 0


def test_forget_removes_the_subscription_and_any_alert_waiting_for_them(db) -> None:  # type: ignore[no-untyped-def]
    clock = FakeClock()
    dialogue = dialogue_on(db, clock)
    who = person(11)
    say(dialogue, who, "/alerts")
    SqliteBroadcasts(db, clock).queue(an_alert())
    asyncio.run(dialogue.handle(Incoming(who, "button", callbacks.encode("forget", "yes"), "en")))

    assert SqliteSubscriptions(db, clock).count() == 0
    assert SqliteBroadcasts(db, clock).counts() == BroadcastCounts()


def test_a_subscriber_who_switches_to_malay_gets_the_next_alert_in_malay(db) -> None:  # type: ignore[no-untyped-def]
    clock = FakeClock()
    dialogue = dialogue_on(db, clock)
    who = person(12)
    say(dialogue, who, "/alerts", "en")
    asyncio.run(dialogue.handle(Incoming(who, "button", callbacks.encode("language", "ms"), "en")))
    assert SqliteSubscriptions(db, clock).by_language() == {"ms": 1}


# ---- staff's alert files ---------------------------------------------------------------------


def test_the_sample_alert_file_passes_and_ends_with_how_to_stop() -> None:
    alert, problems = load_alert(SAMPLE, BOOK)
    assert problems == [] and alert is not None
    for lang in LANGUAGES.codes:
        text = alert.texts[lang]
        assert "997" in text and "{contact" not in text


BROKEN_ALERTS = {
    "a language left out": (lambda t: t.split("\n  zh:")[0], r"`alert: zh:` is missing"),
    "a typed number": (
        lambda t: t.replace("{contact.nsrc.phone} now", "997 now"),
        r"`997` is typed into the en text",
    ),
    "too long for one screen": (
        lambda t: t.replace("Hang up.", "Hang up. " + "Really. " * 30),
        r"`alert: en:` is \d+ characters \(limit 400\)",
    ),
    "a button to nowhere": (
        lambda t: t.replace("faq_scam_identify", "faq_nothing"),
        r"`button:` must name one answer",
    ),
    "no time to send": (
        lambda t: t.replace("send_after: 2026-12-02 09:00", "send_after: soon"),
        r"`send_after:` is missing or not a date",
    ),
}


@pytest.mark.parametrize("breakage", sorted(BROKEN_ALERTS))
def test_a_broken_alert_file_is_refused_with_file_line_and_fix(
    tmp_path: Path, breakage: str
) -> None:
    edit, expected = BROKEN_ALERTS[breakage]
    path = tmp_path / SAMPLE.name
    path.write_text(edit(SAMPLE.read_text(encoding="utf-8")), encoding="utf-8")
    alert, problems = load_alert(path, BOOK)
    assert alert is None
    assert any(re.search(expected, str(p)) for p in problems), [str(p) for p in problems]
    assert all(str(p).startswith(f"alerts/{SAMPLE.name}:") for p in problems)


# ---- pace ------------------------------------------------------------------------------------


def test_a_new_pacer_waits_a_second_so_a_restart_cannot_burst() -> None:
    pacer = SendPacer(100.0, per_second=30, reserve=5)
    assert pacer.wait(100.0, "telegram:1") == pytest.approx(1.0)
    assert pacer.wait(101.0, "telegram:1") == 0


def test_the_pacer_keeps_every_second_under_the_cap_and_chat_replies_come_first() -> None:
    pacer = SendPacer(0.0, per_second=10, reserve=2)
    now, sent = 1.0, []
    for i in range(40):
        now += pacer.wait(now, f"telegram:{i}")
        pacer.note(now, f"telegram:{i}")
        sent.append(now)
        if i % 5 == 0:
            pacer.note(now, "telegram:999")  # a chat reply: noted, never held back
            sent.append(now)
    for start in sent:
        assert sum(start <= t < start + 1.0 for t in sent) <= 10


def test_one_chat_gets_at_most_one_message_a_second() -> None:
    pacer = SendPacer(0.0, per_second=30, reserve=0)
    pacer.note(5.0, "telegram:1")
    assert pacer.wait(5.2, "telegram:1") == pytest.approx(0.8)
    assert pacer.wait(5.2, "telegram:2") == 0


# ---- the broadcast ---------------------------------------------------------------------------


@dataclass
class RecordingChannel:
    """Answers from a script per person (default: delivered), and records what was sent."""

    script: dict[UserKey, list[SendResult]] = field(default_factory=dict)
    sent: list[tuple[UserKey, Reply]] = field(default_factory=list)

    async def send_alert(self, user_key: UserKey, reply: Reply) -> SendResult:
        answers = self.script.get(user_key)
        result = answers.pop(0) if answers else SendResult(Outcome.SENT)
        if result.outcome is Outcome.SENT:
            self.sent.append((user_key, reply))
        return result


def broadcast(db, channel: RecordingChannel, clock: FakeClock, moments: list[float]) -> Broadcaster:  # type: ignore[no-untyped-def]
    def monotonic() -> float:
        return moments[0]

    async def no_wait(seconds: float) -> None:
        moments[0] += seconds

    pacer = SendPacer(moments[0] - 1.0, per_second=1000, reserve=0, per_chat_gap=0.0)
    return Broadcaster(
        SqliteBroadcasts(db, clock),
        channel,
        BOOK,
        TR,
        clock,
        pacer,
        monotonic=monotonic,
        sleep=no_wait,
    )


def subscribe_people(db, clock: FakeClock, count: int) -> list[UserKey]:  # type: ignore[no-untyped-def]
    subscriptions = SqliteSubscriptions(db, clock)
    people = [person(100 + i) for i in range(count)]
    for i, who in enumerate(people):
        subscriptions.subscribe(who, LANGUAGES.codes[i % len(LANGUAGES)])
    return people


def test_every_subscriber_gets_the_alert_once_in_their_language_with_its_button(db) -> None:  # type: ignore[no-untyped-def]
    clock = FakeClock(NOW)
    people = subscribe_people(db, clock, 30)
    broadcasts = SqliteBroadcasts(db, clock)
    assert broadcasts.queue(an_alert()) == 30
    assert broadcasts.queue(an_alert()) is None, "sending the file again queues nobody twice"
    channel = RecordingChannel()

    asyncio.run(broadcast(db, channel, clock, [50.0]).drain())

    assert sorted(str(k) for k, _ in channel.sent) == sorted(str(k) for k in people)
    for who, reply in channel.sent:
        lang = LANGUAGES.codes[people.index(who) % len(LANGUAGES)]
        assert reply.text.startswith(f"[{lang}]") and reply.language == lang
        assert reply.text.endswith(TR.gettext(lang, "To stop these alerts, send /alerts."))
        assert [b.data for b in reply.buttons] == [callbacks.encode("topic", "faq_scam_identify")]
    assert broadcasts.counts() == broadcasts.counts("2026-12-02-test")
    assert broadcasts.counts().sent == 30


def test_an_alert_with_no_subscribers_yet_is_queued_for_nobody_not_refused(db) -> None:  # type: ignore[no-untyped-def]
    broadcasts = SqliteBroadcasts(db, FakeClock(NOW))
    assert broadcasts.queue(an_alert()) == 0
    assert broadcasts.queue(an_alert()) is None


def test_an_alert_waits_for_its_send_after_time(db) -> None:  # type: ignore[no-untyped-def]
    clock = FakeClock(NOW)
    subscribe_people(db, clock, 3)
    SqliteBroadcasts(db, clock).queue(an_alert(send_after=NOW + timedelta(hours=2)))
    channel = RecordingChannel()
    asyncio.run(broadcast(db, channel, clock, [50.0]).drain())
    assert channel.sent == []

    clock.moment = NOW + timedelta(hours=2)
    asyncio.run(broadcast(db, channel, clock, [50.0]).drain())
    assert len(channel.sent) == 3


def test_blocked_people_are_unsubscribed_and_refused_ones_fail_without_retry(db) -> None:  # type: ignore[no-untyped-def]
    clock = FakeClock(NOW)
    blocked, refused, fine = subscribe_people(db, clock, 3)
    SqliteBroadcasts(db, clock).queue(an_alert())
    channel = RecordingChannel(
        {blocked: [SendResult(Outcome.GONE)], refused: [SendResult(Outcome.REFUSED)]}
    )
    asyncio.run(broadcast(db, channel, clock, [50.0]).drain())

    counts = SqliteBroadcasts(db, clock).counts()
    assert (counts.sent, counts.unsubscribed, counts.failed, counts.waiting) == (1, 1, 1, 0)
    assert not SqliteSubscriptions(db, clock).is_subscribed(blocked)
    assert SqliteSubscriptions(db, clock).is_subscribed(refused)
    assert [k for k, _ in channel.sent] == [fine]


def test_a_429_pauses_everyone_for_retry_after_then_the_same_person_gets_it_once(db) -> None:  # type: ignore[no-untyped-def]
    clock = FakeClock(NOW)
    first, *_ = subscribe_people(db, clock, 4)
    SqliteBroadcasts(db, clock).queue(an_alert())
    channel = RecordingChannel({first: [SendResult(Outcome.SLOW_DOWN, retry_after=7.0)]})
    moments = [50.0]
    sender = broadcast(db, channel, clock, moments)
    asyncio.run(sender.drain())
    assert first not in [k for k, _ in channel.sent]

    clock.moment = NOW + timedelta(seconds=7)
    asyncio.run(sender.drain())
    assert [str(k) for k, _ in channel.sent].count(str(first)) == 1
    assert len(channel.sent) == 4


def test_a_network_error_is_retried_with_backoff_and_then_delivered(db) -> None:  # type: ignore[no-untyped-def]
    clock = FakeClock(NOW)
    [who] = subscribe_people(db, clock, 1)
    SqliteBroadcasts(db, clock).queue(an_alert())
    channel = RecordingChannel({who: [SendResult(Outcome.NETWORK), SendResult(Outcome.NETWORK)]})
    sender = broadcast(db, channel, clock, [50.0])
    for seconds in (0, 2, 6):  # backoff: 2 s, then 4 s
        clock.moment = NOW + timedelta(seconds=seconds)
        asyncio.run(sender.drain())
    assert len(channel.sent) == 1
    assert SqliteBroadcasts(db, clock).counts().sent == 1


def test_after_the_retention_period_an_alert_keeps_its_counts_but_not_its_recipients(db) -> None:  # type: ignore[no-untyped-def]
    clock = FakeClock(NOW)
    people = subscribe_people(db, clock, 3)
    broadcasts = SqliteBroadcasts(db, clock)
    broadcasts.queue(an_alert())
    asyncio.run(broadcast(db, RecordingChannel(), clock, [50.0]).drain())

    assert broadcasts.anonymise_settled(NOW + timedelta(days=31)) == 3
    keys = {row[0] for row in db.execute("SELECT user_key FROM alert_deliveries").fetchall()}
    assert not keys & {str(who) for who in people}
    assert broadcasts.counts().sent == 3
