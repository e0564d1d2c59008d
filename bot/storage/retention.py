"""The retention rules beside the reports' own (`SqliteReportStore.erase_personal_closed`),
built from settings for whichever process runs the dispatcher. The privacy answer
(responses/privacy.yml) promises these periods; docs/invariants.md lists them."""

from __future__ import annotations

from datetime import timedelta

import sqlite_utils

from bot.complaints.dispatcher import Sweep
from bot.settings import Settings
from bot.storage.chat_log import SqliteChatLog
from bot.storage.sessions import SqliteSessionStore


def retention_sweeps(db: sqlite_utils.Database, settings: Settings) -> tuple[Sweep, ...]:
    return (
        Sweep(
            "unfinished reports dropped",
            timedelta(days=settings.draft_days),
            SqliteSessionStore(db).drop_abandoned_flows,
        ),
        Sweep(
            "chat message ids dropped",
            timedelta(hours=settings.chat_log_hours),
            SqliteChatLog(db).prune,
        ),
    )
