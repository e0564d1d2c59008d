"""The check that a redelivered Telegram update is handled once (`bot/core/redelivery.py`).

Why here, as the first handler group, and not in the conversation service: `update_id` is
Telegram's, one per update, while the core's turn is per `Incoming` and has no such id. Some
updates never become a turn at all (a staff member writing in a case topic goes to the staff
room), and they must not be handled twice either. A handler in group -1 sees every update, from
the webhook and from `getUpdates` alike, before any other handler, and stops a copy there.

Ids are claimed per bot (`telegram:<bot id>`, the public number a token starts with): each bot
counts its own updates, so two bots sharing one database (a test bot and the real one, or a new
token) would otherwise drop each other's updates as copies.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ApplicationHandlerStop, ContextTypes, TypeHandler

from bot.core.redelivery import UpdateLedger

log = logging.getLogger(__name__)

CHANNEL = "telegram"
FIRST_GROUP = -1


def once_per_update(ledger: UpdateLedger) -> TypeHandler[Update, ContextTypes.DEFAULT_TYPE, None]:
    async def claim(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not ledger.claim(f"{CHANNEL}:{context.bot.id}", update.update_id):
            log.info("update %d was delivered again; already handled", update.update_id)
            raise ApplicationHandlerStop

    return TypeHandler(Update, claim)
