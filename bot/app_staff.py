"""Wiring of talk-to-a-person: the case store, the Telegram staff desk, the staff room and the
watch for unanswered people, when `WASPADA_STAFF_CHAT_ID` names a staff group. Without it,
/human answers with the hotlines."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta

from telegram import Bot

from bot.app_stores import Stores
from bot.core.console_desk import ConsoleDesk
from bot.core.ports import AnswerBook, Clock, Translator
from bot.core.staff_desk import CaseStore, HandoffDesk
from bot.core.staff_room import StaffRoom
from bot.core.staff_watch import Send, StaffWatch
from bot.settings import Settings
from bot.telegram_adapter.push import ConsolePush
from bot.telegram_adapter.staff import StaffRouting, TelegramStaffDesk

# How often the watch looks for people waiting too long: a minute late is not noticed.
WATCH_EVERY_S = 30.0


@dataclass(frozen=True)
class Staffing:
    handoff: HandoffDesk
    routing: StaffRouting
    watch: StaffWatch


def staff_room(
    settings: Settings,
    cases: CaseStore,
    desk: TelegramStaffDesk,
    translator: Translator,
    clock: Clock,
) -> StaffRoom:
    """One rule for every staff desk: who may answer, and how replies are signed."""
    return StaffRoom(
        cases,
        desk,
        translator,
        clock,
        staff_ids=frozenset(str(i) for i in settings.staff_user_ids),
        show_names=settings.staff_show_names,
    )


def staff_desk(
    settings: Settings,
    stores: Stores,
    translator: Translator,
    clock: Clock,
    answers: AnswerBook,
) -> Staffing | None:
    if settings.staff_chat_id is None:
        return None
    cases = stores.cases
    desk = TelegramStaffDesk(settings.staff_chat_id, stores.staff_copies, clock)
    room = staff_room(settings, cases, desk, translator, clock)
    handoff = HandoffDesk(desk, cases, settings.staff_hours)
    after = timedelta(minutes=settings.staff_reply_minutes)
    watch = StaffWatch(handoff, answers, translator, clock, after=after)
    return Staffing(handoff, StaffRouting(room, desk), watch)


async def watch_forever(watch: StaffWatch, send: Send, every: float = WATCH_EVERY_S) -> None:
    while True:
        await watch.tell_the_waiting(send)
        await asyncio.sleep(every)


@dataclass(frozen=True)
class ConsoleStaffing:
    desk: ConsoleDesk
    push: ConsolePush


def console_staff_desk(
    settings: Settings, stores: Stores, translator: Translator, clock: Clock
) -> ConsoleStaffing | None:
    """The staff console as a second desk: the bot's own staff room and Telegram desk, on a
    `Bot` of the console's, so a reply from the browser is sent, signed and mirrored exactly as
    one from the staff group. Needs the staff group and the bot's token. `stores` are the bot's
    engine (SQLite, or the PostgreSQL the replicas share), so cases, staff copies and the chat
    log are the ones the bot reads."""
    if settings.staff_chat_id is None or settings.telegram_token is None:
        return None
    token, base = settings.telegram_token.reveal(), settings.telegram_api_base_url
    bot = Bot(token, base_url=base) if base else Bot(token)
    cases = stores.cases
    desk = TelegramStaffDesk(settings.staff_chat_id, stores.staff_copies, clock)
    desk.bind(bot)
    push = ConsolePush(bot, stores.chat_log)
    room = staff_room(settings, cases, desk, translator, clock)
    return ConsoleStaffing(ConsoleDesk(cases, room, desk, push, settings.staff_hours, clock), push)
