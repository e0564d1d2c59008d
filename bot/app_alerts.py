"""Composition for scam alerts: the broadcaster inside `waspada run` or on its own, and the
staff commands `waspada alerts send | status | deliver`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import time
from collections.abc import Callable
from pathlib import Path

from bot.app_stores import Stores, open_stores, sqlite_stores
from bot.content.alerts import load_alert
from bot.content.answer_book import FileAnswerBook
from bot.core.alerts import Alert, AlertChannel, Broadcasts, alert_reply
from bot.core.clock import SystemClock
from bot.core.markup import to_plain
from bot.core.pacing import SendPacer
from bot.core.ports import AnswerBook, Clock, Translator
from bot.delivery.broadcaster import Broadcaster
from bot.i18n.translator import BabelTranslator
from bot.settings import Settings
from bot.storage.alerts import (
    SqliteBroadcasts,
    open_sender_database,
    sender_lock,
)
from bot.storage.database import open_database

log = logging.getLogger(__name__)
LOCK_RETRY_S = 5.0


def new_pacer(settings: Settings, monotonic: Callable[[], float] = time.monotonic) -> SendPacer:
    return SendPacer(
        monotonic(),
        per_second=settings.alerts_per_second,
        reserve=settings.alerts_reserve,
        per_chat_gap=float(settings.alerts_chat_gap_seconds),
    )


async def broadcast_forever(
    settings: Settings,
    channel: AlertChannel,
    answers: AnswerBook,
    translator: Translator,
    pacer: SendPacer,
    clock: Clock,
    stores: Stores | None = None,
) -> None:
    """Sends alerts while this process holds the sender lock; a second process (the bot and a
    `waspada alerts deliver` side by side) waits for it instead of sending the same rows.
    On PostgreSQL every replica sends: rows are claimed, and the budget is shared."""
    if stores is not None and stores.send_quota is not None:
        stop = asyncio.Event()
        broadcaster = Broadcaster(
            stores.broadcasts, channel, answers, translator, clock, pacer, quota=stores.send_quota
        )
        try:
            await broadcaster.run(stop)
        except asyncio.CancelledError:
            stop.set()
            raise
        return
    db = open_sender_database(settings.db_path)
    while True:
        with sender_lock(settings.db_path) as held:
            if held:
                broadcaster = Broadcaster(
                    SqliteBroadcasts(db, clock), channel, answers, translator, clock, pacer
                )
                stop = asyncio.Event()
                try:
                    await broadcaster.run(stop)
                except asyncio.CancelledError:
                    stop.set()
                    raise
        await asyncio.sleep(LOCK_RETRY_S)


# ---- staff commands ------------------------------------------------------------------------


def add_alert_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    alerts = sub.add_parser("alerts", help="scam alerts people opted into")
    alerts_sub = alerts.add_subparsers(dest="alerts_command", required=True)
    send = alerts_sub.add_parser("send", help="queue an alert file for every subscriber")
    send.add_argument("file", help="responses/alerts/<date>-<slug>.yml")
    send.add_argument("--dry-run", action="store_true", help="check and preview; queue nothing")
    send.set_defaults(func=cmd_alerts_send)
    status = alerts_sub.add_parser("status", help="sent, waiting, failed and unsubscribed")
    status.set_defaults(func=cmd_alerts_status)
    deliver = alerts_sub.add_parser(
        "deliver", help="send queued alerts without the bot (needs TELEGRAM_BOT_TOKEN)"
    )
    deliver.add_argument("--once", action="store_true", help="send what is due now, then stop")
    deliver.set_defaults(func=cmd_alerts_deliver, need_telegram=True)


def cmd_alerts_send(settings: Settings, args: argparse.Namespace) -> int:
    from tqdm import tqdm

    book = FileAnswerBook.load(settings.responses_dir)
    alert, problems = load_alert(Path(args.file), book)
    if alert is None:
        for problem in problems:
            print(problem)
        print(f"{len(problems)} problem(s); nothing was queued.")
        return 2
    clock = SystemClock()
    stores = _alert_stores(settings, clock)
    subscribers = stores.subscriptions.by_language()
    _preview(alert, book, BabelTranslator(settings.locales_dir, book.languages), subscribers)
    if args.dry_run:
        print("Dry run: nothing was queued.")
        return 0
    broadcasts = stores.broadcasts
    queued = broadcasts.queue(alert)
    if queued is None:
        print(f"{alert.name} was queued before; nobody gets a second copy.")
        return 0
    when = alert.send_after.isoformat(timespec="minutes")
    print(f"Queued for {queued} subscriber(s), to go from {when}.")
    if queued:
        with tqdm(total=queued, desc="sent", unit="msg") as bar:
            _follow(broadcasts, alert.name, bar.update)
    return 0


def _follow(
    broadcasts: Broadcasts,
    name: str,
    advance: Callable[[int], object],
    poll: float = 1.0,
) -> None:
    """Shows the broadcast going out until nothing waits; Ctrl-C stops watching, not sending."""
    done = 0
    try:
        while True:
            counts = broadcasts.counts(name)
            settled = counts.sent + counts.failed + counts.unsubscribed
            advance(settled - done)
            done = settled
            if not counts.waiting:
                return
            time.sleep(poll)
    except KeyboardInterrupt:
        print("\nStopped watching; the alert keeps going out (`waspada alerts status`).")


def _preview(
    alert: Alert, book: FileAnswerBook, tr: BabelTranslator, subscribers: dict[str, int]
) -> None:
    for lang in book.languages.codes:
        reply = alert_reply(alert, lang, tr, book)
        buttons = ", ".join(b.label for b in reply.buttons) or "none"
        print(f"--- {lang}: {subscribers.get(lang, 0)} subscriber(s); button: {buttons}")
        print(to_plain(reply.text))


def _alert_stores(settings: Settings, clock: Clock) -> Stores:
    if settings.postgres_url:
        return open_stores(settings, clock)
    return sqlite_stores(open_database(settings.db_path), clock)


def cmd_alerts_status(settings: Settings, args: argparse.Namespace) -> int:
    clock = SystemClock()
    stores = _alert_stores(settings, clock)
    broadcasts = stores.broadcasts
    print(f"subscribers: {stores.subscriptions.count()}")
    for name in broadcasts.names():
        c = broadcasts.counts(name)
        print(
            f"{name}: sent {c.sent}, waiting {c.waiting}, failed {c.failed}, "
            f"unsubscribed {c.unsubscribed}"
        )
    return 0


def cmd_alerts_deliver(settings: Settings, args: argparse.Namespace) -> int:
    return asyncio.run(_deliver(settings, once=args.once))


async def _deliver(settings: Settings, *, once: bool) -> int:
    from telegram import Bot

    from bot.telegram_adapter.alert_channel import TelegramAlertChannel

    assert settings.telegram_token is not None  # noqa: S101 - `need_telegram` checked it
    book = FileAnswerBook.load(settings.responses_dir)
    translator = BabelTranslator(settings.locales_dir, book.languages)
    clock = SystemClock()
    base = settings.telegram_api_base_url
    token = settings.telegram_token.reveal()
    bot = Bot(token, base_url=base) if base else Bot(token)
    async with bot:
        channel = TelegramAlertChannel(bot)
        if settings.postgres_url:
            # Beside the replicas' own senders: rows are claimed and the budget is shared.
            stores = open_stores(settings, clock)
            pacer = new_pacer(settings)
            broadcaster = Broadcaster(
                stores.broadcasts, channel, book, translator, clock, pacer, quota=stores.send_quota
            )
            return await _send(broadcaster, once=once)
        db = open_sender_database(settings.db_path)
        with sender_lock(settings.db_path) as held:
            if not held:
                print("Another process is sending alerts; nothing to do here.")
                return 1
            broadcaster = Broadcaster(
                SqliteBroadcasts(db, clock), channel, book, translator, clock, new_pacer(settings)
            )
            return await _send(broadcaster, once=once)


async def _send(broadcaster: Broadcaster, *, once: bool) -> int:
    from bot.app import stop_on_signals

    if once:
        await broadcaster.drain()
        return 0
    print("Sending alerts. Ctrl-C to stop after the messages in flight.")
    await broadcaster.run(stop_on_signals())
    return 0
