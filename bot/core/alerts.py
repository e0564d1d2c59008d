"""Scam alerts people opt into: what an alert is, what it looks like in a chat, and the ports the
broadcast runs on. Delivery itself is `bot/delivery/broadcaster.py`.

A subscription holds a person's key and language, nothing else; every subscriber of a language
gets the same text. Each alert ends with how to stop, and carries at most one button: the answer
it is about, or the report flow.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Protocol

from bot.core import callbacks
from bot.core.identity import UserKey
from bot.core.languages import Language
from bot.core.messages import Button, Reply
from bot.core.ports import AnswerBook, Translator


@dataclass(frozen=True)
class Alert:
    """`name` is the file's stem (`2026-12-01-fake-lhdn-refund`), unique per broadcast.
    `topic`: the answer its button opens; `report`: the button starts a report instead."""

    name: str
    texts: dict[Language, str]
    send_after: datetime
    topic: str | None = None
    report: bool = False


def alert_reply(alert: Alert, lang: Language, tr: Translator, answers: AnswerBook) -> Reply:
    stop = tr.gettext(lang, "To stop these alerts, send /alerts.")
    buttons: tuple[Button, ...] = ()
    if alert.topic:
        buttons = (
            Button(answers.title(alert.topic, lang), callbacks.encode("topic", alert.topic)),
        )
    elif alert.report:
        buttons = (Button("📣 " + tr.gettext(lang, "Report this"), callbacks.encode("report")),)
    return Reply(f"{alert.texts[lang]}\n\n{stop}", buttons, lang)


class Subscriptions(Protocol):
    def is_subscribed(self, user_key: UserKey) -> bool: ...

    def subscribe(self, user_key: UserKey, language: Language) -> None: ...

    def unsubscribe(self, user_key: UserKey) -> None: ...

    def follow_language(self, user_key: UserKey, language: Language) -> None:
        """A subscriber who changes language gets the next alert in the new one."""
        ...


class AlertToggle:
    """/alerts and the menu's alerts button: one press subscribes, the next stops."""

    def __init__(self, subscriptions: Subscriptions | None, tr: Translator) -> None:
        self._subscriptions = subscriptions
        self._tr = tr

    def toggle(self, user_key: UserKey, lang: Language) -> str:
        subscriptions = self._subscriptions
        if subscriptions is None:
            return self._tr.gettext(lang, "Scam alerts are not available here.")
        if subscriptions.is_subscribed(user_key):
            subscriptions.unsubscribe(user_key)
            return self._tr.gettext(
                lang, "🔕 Alerts stopped: I will send you no more. Send /alerts to start again."
            )
        subscriptions.subscribe(user_key, lang)
        return self._tr.gettext(
            lang,
            "🔔 You will get Waspada's scam alerts: short warnings about new scams going round "
            "in Malaysia, in the language you use with me. I keep only your chat and your "
            "language for this. Send /alerts again at any time to stop.",
        )

    def follow(self, user_key: UserKey, before: Language | None, now: Language) -> None:
        """A subscriber who changes language gets the next alert in the new one."""
        if self._subscriptions is not None and now != before:
            self._subscriptions.follow_language(user_key, now)


class Outcome(Enum):
    """What one send of an alert came to, and what the broadcaster does next.

    | outcome      | the channel said                         | the recipient's row          |
    |--------------|------------------------------------------|------------------------------|
    | SENT         | delivered                                | sent                         |
    | GONE         | blocked the bot, or the account is gone  | unsubscribed (subscription   |
    |              | (Telegram 403, or 400 chat not found)    | deleted too)                 |
    | SLOW_DOWN    | too many requests (429, `retry_after`)   | waiting; all sending pauses  |
    | NETWORK      | no answer (connection, timeout, 5xx)     | waiting, retried with backoff|
    | REFUSED      | anything else (400 on the text)          | failed                       |
    """

    SENT = "sent"
    GONE = "gone"
    SLOW_DOWN = "slow_down"
    NETWORK = "network"
    REFUSED = "refused"


@dataclass(frozen=True)
class SendResult:
    outcome: Outcome
    retry_after: float = 0.0


class AlertChannel(Protocol):
    async def send_alert(self, user_key: UserKey, reply: Reply) -> SendResult: ...


@dataclass(frozen=True)
class Delivery:
    """One recipient of one broadcast."""

    alert: str
    user_key: UserKey
    language: Language
    attempts: int


@dataclass(frozen=True)
class BroadcastCounts:
    sent: int = 0
    waiting: int = 0
    failed: int = 0
    unsubscribed: int = 0


class Broadcasts(Protocol):
    def queue(self, alert: Alert) -> int | None:
        """The alert as it is now, and one row per current subscriber, in one transaction; None
        if this alert was queued before (sending a file twice sends nobody a second copy)."""
        ...

    def alert(self, name: str) -> Alert | None: ...

    def due(self, now: datetime, limit: int, skip: frozenset[tuple[str, str]]) -> list[Delivery]:
        """Waiting rows whose time has come, oldest broadcast first; `skip`: (alert, key) pairs
        being sent right now."""
        ...

    def record(
        self, delivery: Delivery, outcome: Outcome, now: datetime, retry_at: datetime | None
    ) -> None: ...

    def counts(self, alert: str | None = None) -> BroadcastCounts: ...

    def next_due(self) -> datetime | None:
        """When the earliest waiting row becomes due, so an idle sender can sleep until then."""
        ...
