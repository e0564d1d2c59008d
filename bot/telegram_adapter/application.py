"""Builds the python-telegram-bot Application around the same dialogue core as the terminal."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Message, Update, User
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.core.dialogue import Dialogue
from bot.core.language import language_from_client_tag
from bot.core.messages import Incoming, IncomingKind, Reply
from bot.core.ports import Translator
from bot.telegram_adapter.commands import register_commands
from bot.telegram_adapter.flood import FloodGuard
from bot.telegram_adapter.render import render

log = logging.getLogger(__name__)

PRIVATE_NEW = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE


def incoming_kind(message: Message) -> tuple[IncomingKind, str]:
    """Which kind of thing a person sent; files are only named here, never downloaded."""
    media = (
        ("photo", message.photo),
        ("video", message.video or message.video_note or message.animation),
        ("document", message.document),
        ("sticker", message.sticker),
        ("voice", message.voice or message.audio),
    )
    for name, present in media:
        if present:
            return "media", name
    if message.location or message.venue:
        return "personal", "location"
    if message.contact:
        return "personal", "contact"
    return "unsupported", ""


class TelegramChannel:
    def __init__(
        self, dialogue: Dialogue, translator: Translator, flood: FloodGuard | None = None
    ) -> None:
        self._dialogue = dialogue
        self._tr = translator
        self._flood = flood or FloodGuard()

    async def _admit(self, message: Message, user: User) -> bool:
        verdict = self._flood.check(user.id)
        if verdict == "warn":
            lang = language_from_client_tag(user.language_code) or "en"
            await message.reply_text(
                self._tr.gettext(
                    lang,
                    "You are sending messages very fast. Please wait a moment, "
                    "then send your question again.",
                ),
                do_quote=False,
            )
        return verdict == "ok"

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message, user = update.effective_message, update.effective_user
        if message is None or user is None or not await self._admit(message, user):
            return
        incoming = Incoming(f"tg:{user.id}", "text", message.text or "", user.language_code)
        await self._send(message, await self._dialogue.handle(incoming))

    async def on_edited(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message, user = update.edited_message, update.effective_user
        if message is None or user is None or not await self._admit(message, user):
            return
        incoming = Incoming(f"tg:{user.id}", "edited", "", user.language_code)
        await self._send(message, await self._dialogue.handle(incoming))

    async def on_other(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message, user = update.effective_message, update.effective_user
        if message is None or user is None or not await self._admit(message, user):
            return
        kind, detail = incoming_kind(message)
        incoming = Incoming(f"tg:{user.id}", kind, detail, user.language_code)
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
    builder = ApplicationBuilder().token(token).rate_limiter(AIORateLimiter(max_retries=3))
    if base_url:
        builder = builder.base_url(base_url)

    async def start(app: Application) -> None:  # type: ignore[type-arg]
        await register_commands(app.bot, translator)
        if background:
            app.create_task(background(), name="answer-file watcher")

    app = builder.post_init(start).build()
    channel = TelegramChannel(dialogue, translator)
    app.add_handler(CallbackQueryHandler(channel.on_button))
    app.add_handler(MessageHandler(PRIVATE_NEW & filters.TEXT, channel.on_text))
    app.add_handler(
        MessageHandler(
            filters.ChatType.PRIVATE & filters.UpdateType.EDITED_MESSAGE & filters.TEXT,
            channel.on_edited,
        )
    )
    app.add_handler(
        MessageHandler(PRIVATE_NEW & ~filters.TEXT & ~filters.StatusUpdate.ALL, channel.on_other)
    )
    app.add_error_handler(channel.on_error)
    return app
