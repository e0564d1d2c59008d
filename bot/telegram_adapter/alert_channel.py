"""Scam alerts through Telegram: one `sendMessage` per person, and the Bot API's answer turned
into the broadcaster's outcome (the table is in `bot/core/alerts.py`). No retries here: the
broadcaster decides when to try again, so a retry never goes over its pace."""

from __future__ import annotations

from datetime import timedelta

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from bot.core.alerts import Outcome, SendResult
from bot.core.identity import UserKey
from bot.core.messages import Reply
from bot.telegram_adapter.identity import chat_id_of
from bot.telegram_adapter.render import render

GONE_CHATS = ("chat not found", "user is deactivated", "bot was blocked")


class TelegramAlertChannel:
    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def send_alert(self, user_key: UserKey, reply: Reply) -> SendResult:
        chat_id = chat_id_of(user_key)
        if chat_id is None:
            return SendResult(Outcome.GONE)
        [(text, markup)] = render(reply, bot_username=self._bot.username)[-1:]
        try:
            await self._bot.send_message(
                chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup
            )
        except RetryAfter as error:
            wait = error.retry_after
            seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            return SendResult(Outcome.SLOW_DOWN, retry_after=seconds)
        except Forbidden:
            return SendResult(Outcome.GONE)
        except BadRequest as error:
            gone = any(reason in error.message.lower() for reason in GONE_CHATS)
            return SendResult(Outcome.GONE if gone else Outcome.REFUSED)
        except NetworkError:
            return SendResult(Outcome.NETWORK)
        return SendResult(Outcome.SENT)
