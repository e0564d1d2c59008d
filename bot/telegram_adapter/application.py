"""Builds the python-telegram-bot Application around the same dialogue core as the terminal."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Message, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.core.dialogue import Dialogue
from bot.core.language import language_from_client_tag
from bot.core.messages import Incoming, Reply
from bot.core.ports import Translator
from bot.telegram_adapter.render import render

log = logging.getLogger(__name__)

PRIVATE_NEW = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE


class TelegramChannel:
    def __init__(self, dialogue: Dialogue, translator: Translator) -> None:
        self._dialogue = dialogue
        self._tr = translator

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        incoming = Incoming(f"tg:{user.id}", "text", message.text or "", user.language_code)
        await self._send(message, await self._dialogue.handle(incoming))

    async def on_other(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        incoming = Incoming(f"tg:{user.id}", "unsupported", "", user.language_code)
        await self._send(message, await self._dialogue.handle(incoming))

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query, user = update.callback_query, update.effective_user
        if query is None or user is None:
            return
        await query.answer()
        incoming = Incoming(f"tg:{user.id}", "button", query.data or "", user.language_code)
        replies = await self._dialogue.handle(incoming)
        if isinstance(query.message, Message):
            await self._send(query.message, replies)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Logs an incident id and the exception type only: never the update or user data."""
        incident = uuid.uuid4().hex[:8]
        log.error("incident %s: %s", incident, type(context.error).__name__, exc_info=context.error)
        if isinstance(update, Update) and update.effective_message:
            user = update.effective_user
            lang = language_from_client_tag(user.language_code if user else None) or "en"
            text = self._tr.gettext(
                lang,
                "Sorry, something went wrong on our side. Please try again. "
                "If it happens again, quote incident {incident}.",
                incident=incident,
            )
            await update.effective_message.reply_text(text)

    @staticmethod
    async def _send(message: Message, replies: list[Reply]) -> None:
        for reply in replies:
            for text, markup in render(reply):
                await message.reply_text(
                    text,
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup,
                    protect_content=reply.protect,
                    do_quote=False,
                )


def build_application(
    token: str,
    dialogue: Dialogue,
    translator: Translator,
    *,
    base_url: str | None = None,
    background: Callable[[], Coroutine[Any, Any, None]] | None = None,
) -> Application:  # type: ignore[type-arg]
    """`background` (the answer-file watcher) is started with the bot and stopped with it."""
    builder = ApplicationBuilder().token(token)
    if base_url:
        builder = builder.base_url(base_url)
    if background:
        factory = background

        async def start_background(app: Application) -> None:  # type: ignore[type-arg]
            app.create_task(factory(), name="answer-file watcher")

        builder = builder.post_init(start_background)
    app = builder.build()
    channel = TelegramChannel(dialogue, translator)
    app.add_handler(CallbackQueryHandler(channel.on_button))
    app.add_handler(MessageHandler(PRIVATE_NEW & filters.TEXT, channel.on_text))
    app.add_handler(
        MessageHandler(PRIVATE_NEW & ~filters.TEXT & ~filters.StatusUpdate.ALL, channel.on_other)
    )
    app.add_error_handler(channel.on_error)
    return app
