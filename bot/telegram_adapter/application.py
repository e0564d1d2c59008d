"""Builds the python-telegram-bot Application around the same conversation service as the
terminal. Updates are handled concurrently; one person's turns are kept in order by the core
(`bot/core/conversation.py`), not here.
"""

from __future__ import annotations

import asyncio
import logging
import traceback
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol

from telegram import Bot, Chat, Message, Update, User
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.core.alerts import AlertChannel
from bot.core.conversation import Conversation
from bot.core.identity import UserKey
from bot.core.languages import Language
from bot.core.messages import Incoming, IncomingKind, Reply
from bot.core.ports import Translator
from bot.core.redelivery import UpdateLedger
from bot.telegram_adapter.alert_channel import TelegramAlertChannel
from bot.telegram_adapter.commands import register_commands
from bot.telegram_adapter.files import attachment_of, file_url_for
from bot.telegram_adapter.groups import addressed_text
from bot.telegram_adapter.identity import telegram_user
from bot.telegram_adapter.network import with_network_retries
from bot.telegram_adapter.push import push
from bot.telegram_adapter.redelivery import FIRST_GROUP, once_per_update
from bot.telegram_adapter.render import render
from bot.telegram_adapter.staff import StaffGroup, StaffRouting

log = logging.getLogger(__name__)
Send = Callable[[UserKey, Reply], Awaitable[None]]

PRIVATE_NEW = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
GROUP_NEW = filters.ChatType.GROUPS & filters.UpdateType.MESSAGE


class ChatLog(Protocol):
    """Message ids per chat, so the quick exit can delete them (see `SqliteChatLog`)."""

    def record(self, chat_id: int, message_id: int) -> None: ...

    def deletable(self, chat_id: int) -> list[int]: ...

    def forget(self, chat_id: int, message_ids: list[int]) -> None: ...

    def forget_chat(self, chat_id: int) -> None: ...


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


@dataclass(frozen=True)
class Options:
    """Knobs a deployment or benchmark may turn; defaults are Telegram's published limits."""

    rate_limit: bool = True
    concurrent_updates: int = 16


class TelegramChannel:
    """Translates updates into `Incoming`s and renders replies; the turn itself (order, flood,
    session) belongs to the core's `Conversation`."""

    def __init__(
        self,
        conversation: Conversation,
        translator: Translator,
        chat_log: ChatLog,
        on_sent: Callable[[int], None] | None = None,
    ) -> None:
        """`on_sent` hears of every message sent to a chat (the alert pacer counts them)."""
        self._on_sent = on_sent or (lambda _chat_id: None)
        self._conversation = conversation
        self._tr = translator
        self._log = chat_log

    async def _handle(self, message: Message, incoming: Incoming) -> None:
        async def deliver(replies: list[Reply]) -> None:
            if message.chat.type == Chat.PRIVATE:
                self._log.record(message.chat_id, message.message_id)
            await self._send(message, replies)

        await self._conversation.turn(incoming, deliver)

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        incoming = Incoming(
            telegram_user(user.id),
            "text",
            message.text or "",
            user.language_code,
            forwarded=message.forward_origin is not None,
        )
        await self._handle(message, incoming)

    async def on_group_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """In a group only commands and mentions addressed to us are read."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        text = addressed_text(message, context.bot.username)
        if text is None:
            return
        incoming = Incoming(telegram_user(user.id), "text", text, user.language_code, in_group=True)
        await self._handle(message, incoming)

    async def on_edited(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message, user = update.edited_message, update.effective_user
        if message is None or user is None:
            return
        await self._handle(
            message, Incoming(telegram_user(user.id), "edited", "", user.language_code)
        )

    async def on_other(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        kind, detail = incoming_kind(message)
        incoming = Incoming(
            telegram_user(user.id),
            kind,
            detail,
            user.language_code,
            attachment=attachment_of(message, context.bot),
        )
        await self._handle(message, incoming)

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query, user = update.callback_query, update.effective_user
        if query is None or user is None:
            return
        message = query.message if isinstance(query.message, Message) else None
        in_group = message is not None and message.chat.type != Chat.PRIVATE
        incoming = Incoming(
            telegram_user(user.id),
            "button",
            query.data or "",
            user.language_code,
            in_group=in_group,
        )

        async def deliver(replies: list[Reply]) -> None:
            """Answering the press stops its spinner; a notice (please slow down) is its pop-up,
            not a message."""
            notice = replies[0].text if replies and replies[0].notice else None
            await with_network_retries(partial(query.answer, notice))
            shown = replies[1:] if notice else replies
            if message is not None and shown:
                await self._send(message, shown, pressed=True)

        await self._conversation.turn(incoming, deliver)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Logs an incident id, the exception type and where it happened; never the update or
        the exception's message, which may quote what the person wrote."""
        incident = uuid.uuid4().hex[:8]
        error = context.error
        where = "".join(traceback.format_tb(error.__traceback__)) if error else ""
        log.error("incident %s: %s\n%s", incident, type(error).__name__, where)
        if isinstance(update, Update) and update.effective_message:
            message = update.effective_message
            lang = self._apology_language(update.effective_user, message.text or "")
            text = self._tr.gettext(
                lang,
                "Sorry, something went wrong on our side. Please try again. "
                "If it happens again, quote incident {incident}.",
                incident=incident,
            )
            await with_network_retries(lambda: message.reply_text(text, do_quote=False))

    def _apology_language(self, user: User | None, text: str) -> Language:
        client = user.language_code if user else None
        languages = self._conversation.languages
        if user is None:
            return languages.from_client_tag(client) or languages.default
        try:
            return self._conversation.language_of(telegram_user(user.id), client, text)
        except Exception:  # the error may be the session store itself
            return languages.from_client_tag(client) or languages.default

    async def _send(self, message: Message, replies: list[Reply], *, pressed: bool = False) -> None:
        """`pressed`: `message` is the bot's own message whose button was pressed."""
        username = message.get_bot().username
        for index, reply in enumerate(replies):
            if reply.clears_chat:
                await self._clear_chat(message)
            parts = render(reply, bot_username=username)
            if pressed and index == 0 and reply.replaces_menu and len(parts) == 1:
                text, markup = parts[0]
                edited = await self._edit(message, text, markup)
                if edited:
                    continue
            for text, markup in parts:
                send = partial(
                    message.reply_text,
                    text,
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup,
                    protect_content=reply.protect,
                    do_quote=False,
                )
                sent = await with_network_retries(send)
                self._on_sent(sent.chat_id)
                if message.chat.type == Chat.PRIVATE:
                    self._log.record(sent.chat_id, sent.message_id)
        if any(reply.forgets_person for reply in replies):
            self._log.forget_chat(message.chat_id)

    async def push(self, bot: Bot, user_key: UserKey, reply: Reply) -> None:
        """A message nobody asked for just now: a report's new status, an admin alert."""
        await push(bot, user_key, reply, self._log, self._on_sent)

    @staticmethod
    async def _edit(message: Message, text: str, markup: Any) -> bool:
        """False when Telegram refuses the edit (too old, or unchanged); then we send anew."""
        try:
            await with_network_retries(
                lambda: message.edit_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)
            )
        except BadRequest:
            return False
        return True

    async def _clear_chat(self, message: Message) -> None:
        """Deletes what Telegram allows (the last 48 hours, both sides, in a private chat)."""
        if message.chat.type != Chat.PRIVATE:
            return
        ids = self._log.deletable(message.chat_id)
        for start in range(0, len(ids), 100):
            batch = ids[start : start + 100]
            try:
                await with_network_retries(
                    partial(message.get_bot().delete_messages, message.chat_id, batch)
                )
            except TelegramError as error:
                log.warning("quick exit could not delete some messages: %s", type(error).__name__)
            self._log.forget(message.chat_id, batch)


def build_application(
    token: str,
    conversation: Conversation,
    translator: Translator,
    chat_log: ChatLog,
    *,
    base_url: str | None = None,
    background: Callable[[Send, AlertChannel], Awaitable[None]] | None = None,
    on_sent: Callable[[int], None] | None = None,
    options: Options | None = None,
    staff: StaffRouting | None = None,
    updates: UpdateLedger | None = None,
) -> Application:  # type: ignore[type-arg]
    """`background` (answer-file watcher, outbox dispatcher, alert broadcaster) runs from
    start-up to shutdown and is cancelled after in-flight updates are finished. It is given a
    way to message people who are not talking to us right now (report status changes, admin
    alerts), and the channel for scam alerts. `staff`: the staff group of talk-to-a-person
    cases, whose messages are routed before any other handler. `updates`: the ids already
    handled by any replica, so a redelivered update is handled once (before everything else)."""
    options = options or Options()
    builder: Any = ApplicationBuilder().token(token).concurrent_updates(options.concurrent_updates)
    if options.rate_limit:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))
    if base_url:
        builder = builder.base_url(base_url).base_file_url(file_url_for(base_url))
    tasks: list[asyncio.Task[None]] = []
    # Scam alerts go through their own Bot, without PTB's rate limiter: the broadcaster paces
    # them and must see a 429 itself, to pause every alert rather than retry just one.
    bots: list[Bot] = []

    async def start(app: Application) -> None:  # type: ignore[type-arg]
        await with_network_retries(
            lambda: register_commands(app.bot, translator, conversation.languages)
        )
        if background:
            alert_bot = Bot(token, base_url=base_url) if base_url else Bot(token)
            await alert_bot.initialize()
            bots.append(alert_bot)
            work = background(partial(channel.push, app.bot), TelegramAlertChannel(alert_bot))
            tasks.append(asyncio.create_task(_run(work), name="waspada background"))

    async def stop(app: Application) -> None:  # type: ignore[type-arg]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for bot in bots:
            await bot.shutdown()

    app: Application = builder.post_init(start).post_stop(stop).build()  # type: ignore[type-arg]
    channel = TelegramChannel(conversation, translator, chat_log, on_sent)
    if updates is not None:
        app.add_handler(once_per_update(updates), group=FIRST_GROUP)
    if staff is not None:
        staff.desk.bind(app.bot)
        in_staff_group = filters.Chat(staff.desk.chat_id) & filters.UpdateType.MESSAGE
        app.add_handler(
            MessageHandler(in_staff_group, StaffGroup(staff.room, channel.push).on_message)
        )
    _route(app, channel)
    return app


def _route(app: Application, channel: TelegramChannel) -> None:  # type: ignore[type-arg]
    """Which handler gets which update: private chats in full, groups only when addressed."""
    app.add_handler(CallbackQueryHandler(channel.on_button))
    app.add_handler(MessageHandler(PRIVATE_NEW & filters.TEXT, channel.on_text))
    app.add_handler(MessageHandler(GROUP_NEW & filters.TEXT, channel.on_group_text))
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


async def _run(work: Awaitable[None]) -> None:
    await work
