"""Wiring of talk-to-a-person: the case store, the Telegram staff desk and the staff room, when
`WASPADA_STAFF_CHAT_ID` names a staff group. Without it, /human answers with the hotlines."""

from __future__ import annotations

import sqlite_utils

from bot.core.ports import Clock, Translator
from bot.core.staff_desk import HandoffDesk
from bot.core.staff_room import StaffRoom
from bot.settings import Settings
from bot.storage.handoff import SqliteCaseStore
from bot.telegram_adapter.staff import StaffRouting, TelegramStaffDesk


def staff_desk(
    settings: Settings, db: sqlite_utils.Database, translator: Translator, clock: Clock
) -> tuple[HandoffDesk | None, StaffRouting | None]:
    if settings.staff_chat_id is None:
        return None, None
    cases = SqliteCaseStore(db)
    desk = TelegramStaffDesk(settings.staff_chat_id)
    room = StaffRoom(
        cases,
        desk,
        translator,
        clock,
        staff_ids=frozenset(str(i) for i in settings.staff_user_ids),
        show_names=settings.staff_show_names,
    )
    return HandoffDesk(desk, cases, settings.staff_hours), StaffRouting(room, desk)
