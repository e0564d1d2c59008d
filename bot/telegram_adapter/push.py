"""Messages to a person that answer no update of theirs: a report's new status, a staff reply.

`push` is what the bot's own channel uses; `ConsolePush` is the same for the staff console, a
process that only sends: its own `Bot`, started on first use (so the console starts while
Telegram is unreachable), and Telegram's errors turned into the core's `PersonUnreachable`,
because there is no update to apologise to.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Protocol

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.core.identity import UserKey
from bot.core.messages import Reply
from bot.core.staff_desk import PersonUnreachable
from bot.telegram_adapter.identity import chat_id_of
from bot.telegram_adapter.network import with_network_retries
from bot.telegram_adapter.render import render

log = logging.getLogger(__name__)


class SentLog(Protocol):
    """The chat log's write side: ids of messages in private chats, for the quick exit."""

    def record(self, chat_id: int, message_id: int) -> None: ...


async def push(
    bot: Bot,
    user_key: UserKey,
    reply: Reply,
    chat_log: SentLog,
    on_sent: Callable[[int], None] = lambda _chat_id: None,
) -> None:
    chat_id = chat_id_of(user_key)
    if chat_id is None:
        return
    for text, markup in render(reply, bot_username=bot.username):
        send = partial(
            bot.send_message,
            chat_id,
            text,
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
            protect_content=reply.protect,
        )
        sent = await with_network_retries(send)
        on_sent(chat_id)
        if chat_id > 0:
            chat_log.record(chat_id, sent.message_id)


class ConsolePush:
    def __init__(self, bot: Bot, chat_log: SentLog) -> None:
        self.bot = bot
        self._log = chat_log
        self._started = False

    async def __call__(self, user_key: UserKey, reply: Reply) -> None:
        try:
            if not self._started:
                await with_network_retries(self.bot.initialize)
                self._started = True
            await push(self.bot, user_key, reply, self._log)
        except TelegramError as error:
            log.warning("console: a message to a person failed: %s", type(error).__name__)
            raise PersonUnreachable(type(error).__name__) from error

    async def aclose(self) -> None:
        if self._started:
            await self.bot.shutdown()
            self._started = False
