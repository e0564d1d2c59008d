"""Wiring of talk-to-a-person: the case store, the Telegram staff desk, the staff room and the
watch for unanswered people, when `WASPADA_STAFF_CHAT_ID` names a staff group. Without it,
/human answers with the hotlines."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta

from bot.app_stores import Stores
from bot.core.ports import AnswerBook, Clock, Translator
from bot.core.staff_desk import HandoffDesk
from bot.core.staff_room import StaffRoom
from bot.core.staff_watch import Send, StaffWatch
from bot.settings import Settings
from bot.telegram_adapter.staff import StaffRouting, TelegramStaffDesk

# How often the watch looks for people waiting too long: a minute late is not noticed.
WATCH_EVERY_S = 30.0


@dataclass(frozen=True)
class Staffing:
    handoff: HandoffDesk
    routing: StaffRouting
    watch: StaffWatch


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
    room = StaffRoom(
        cases,
        desk,
        translator,
        clock,
        staff_ids=frozenset(str(i) for i in settings.staff_user_ids),
        show_names=settings.staff_show_names,
    )
    handoff = HandoffDesk(desk, cases, settings.staff_hours)
    after = timedelta(minutes=settings.staff_reply_minutes)
    watch = StaffWatch(handoff, answers, translator, clock, after=after)
    return Staffing(handoff, StaffRouting(room, desk), watch)


async def watch_forever(watch: StaffWatch, send: Send, every: float = WATCH_EVERY_S) -> None:
    while True:
        await watch.tell_the_waiting(send)
        await asyncio.sleep(every)
