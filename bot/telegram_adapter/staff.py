"""The Telegram staff desk: a forum supergroup (`WASPADA_STAFF_CHAT_ID`) with one topic per case,
where the bot is an admin allowed to manage topics.

Out: a case opens a topic named like `H-7K2Q · ms · scam_victim` with the case card; the
person's texts are copied into it (HTML-escaped); a crisis renames it with 🔴 and pins an alert;
the end closes it. The id of each message the bot posts there is kept (`SqliteStaffCopies`), so
/forget can delete the bot's copies of the person's words (Telegram allows it for 48 hours).
In: every message in the staff group goes to `StaffGroup` before any other handler (in a topic
each message replies to the topic's first message, the bot's own, which group handling would
read as "a reply to us"). Only topic messages from people reach the core's `StaffRoom`.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol, TypeVar

from telegram import Bot, Message, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.core.identity import UserKey
from bot.core.messages import Reply
from bot.core.ports import Clock
from bot.core.staff_desk import Case, StaffDeskError
from bot.core.staff_room import StaffMessage, StaffRoom
from bot.telegram_adapter.network import with_network_retries

log = logging.getLogger(__name__)
T = TypeVar("T")
Push = Callable[[Bot, UserKey, Reply], Awaitable[None]]
# Telegram lets a bot delete a message for 48 hours; deleteMessages takes up to 100 ids.
DELETABLE_FOR = timedelta(hours=48)
DELETE_BATCH = 100


class StaffCopies(Protocol):
    """The ids of the bot's messages in each thread (`bot/storage/handoff.py`)."""

    def record(self, thread: str, message_id: int, at: datetime) -> None: ...

    def since(self, thread: str, after: datetime) -> list[int]: ...

    def drop(self, thread: str) -> None: ...


class TelegramStaffDesk:
    def __init__(self, chat_id: int, copies: StaffCopies, clock: Clock) -> None:
        self.chat_id = chat_id
        self._copies = copies
        self._clock = clock
        self._bot: Bot | None = None

    def bind(self, bot: Bot) -> None:
        """The application's bot, once it is built (and its rate limiter with it)."""
        self._bot = bot

    async def open_case(self, case: Case) -> str:
        topic = await self._call(lambda bot: bot.create_forum_topic(self.chat_id, case.title))
        thread = str(topic.message_thread_id)
        await self._send(thread, "🆕 " + case.card())
        return thread

    async def mirror(self, case: Case, text: str) -> None:
        await self._send(case.thread, f"👤 {text}")

    async def post(self, case: Case, text: str) -> None:
        await self._send(case.thread, f"🤖 {text}")

    async def flag(self, case: Case, alert: str) -> None:
        thread = _thread(case.thread)
        await self._call(lambda bot: bot.edit_forum_topic(self.chat_id, thread, name=case.title))
        pinned = await self._send(case.thread, f"🚨 {alert}")
        await self._call(
            lambda bot: bot.pin_chat_message(
                self.chat_id, pinned.message_id, disable_notification=False
            )
        )

    async def close(self, case: Case) -> None:
        thread = _thread(case.thread)
        await self._call(lambda bot: bot.close_forum_topic(self.chat_id, thread))

    async def erase(self, case: Case, line: str) -> None:
        thread = _thread(case.thread)
        ids = self._copies.since(str(thread), self._clock.now() - DELETABLE_FOR)
        for start in range(0, len(ids), DELETE_BATCH):
            await self._delete(ids[start : start + DELETE_BATCH])
        self._copies.drop(str(thread))
        await self._call(
            lambda bot: bot.send_message(self.chat_id, f"🤖 {line}", message_thread_id=thread)
        )
        if case.closed_at is None:
            await self.close(case)

    async def _delete(self, ids: list[int]) -> None:
        await self._call(lambda bot: bot.delete_messages(self.chat_id, ids))

    async def _send(self, thread: str | None, text: str) -> Message:
        number = _thread(thread)
        sent = await self._call(
            lambda bot: bot.send_message(
                self.chat_id,
                html.escape(text, quote=False)[:4096],
                parse_mode=ParseMode.HTML,
                message_thread_id=number,
            )
        )
        self._copies.record(str(number), sent.message_id, self._clock.now())
        return sent

    async def _call(self, call: Callable[[Bot], Awaitable[T]]) -> T:
        bot = self._bot
        if bot is None:
            raise StaffDeskError("the staff desk is not bound to a bot yet")
        try:
            return await with_network_retries(lambda: call(bot))
        except TelegramError as error:
            log.warning("staff desk: Telegram refused a call: %s", type(error).__name__)
            raise StaffDeskError(type(error).__name__) from error


def topic_link(chat_id: int, thread: str | None) -> str | None:
    """Where a member of the staff group opens a case's topic: t.me/c/ takes a supergroup's id
    without its -100 prefix."""
    group = str(chat_id)
    if thread is None or not thread.isdigit() or not group.startswith("-100"):
        return None
    return f"https://t.me/c/{group.removeprefix('-100')}/{thread}"


def _thread(thread: str | None) -> int:
    if thread is None or not thread.isdigit():
        raise StaffDeskError("the case has no staff thread")
    return int(thread)


@dataclass(frozen=True)
class StaffRouting:
    """What `build_application` needs to run a staff desk in a Telegram group."""

    room: StaffRoom
    desk: TelegramStaffDesk


class StaffGroup:
    """The handler for every message in the staff group."""

    def __init__(self, room: StaffRoom, push: Push) -> None:
        self._room = room
        self._push = push

    async def on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message, user = update.effective_message, update.effective_user
        if message is None or user is None or user.is_bot:
            return
        if message.message_thread_id is None:
            return  # the group's general chat
        staff = StaffMessage(
            thread=str(message.message_thread_id),
            sender_id=str(user.id),
            sender_name=user.full_name,
            text=message.text,
        )

        async def send(user_key: UserKey, reply: Reply) -> None:
            await self._push(context.bot, user_key, reply)

        await self._room.on_message(staff, send)
