"""The retention rules beside the reports' own (`SqliteOutbox.erase_personal_closed`),
built for whichever process runs the dispatcher. The privacy answer
(responses/privacy.yml) promises these periods; docs/invariants.md lists them."""

from __future__ import annotations

from datetime import timedelta

import sqlite_utils

from bot.core.clock import SystemClock
from bot.core.redelivery import KEEP_FOR
from bot.core.sweeps import Sweep
from bot.storage.alerts import SqliteBroadcasts
from bot.storage.chat_log import SqliteChatLog
from bot.storage.handoff import SqliteCaseStore
from bot.storage.review import SqliteReviewQueue
from bot.storage.sessions import SqliteSessionStore
from bot.storage.updates import SqliteUpdateLedger


def retention_sweeps(
    db: sqlite_utils.Database,
    *,
    draft_days: float,
    chat_log_hours: float,
    alert_days: float = 30,
    review_days: float = 30,
) -> tuple[Sweep, ...]:
    return (
        Sweep(
            "unfinished reports dropped",
            timedelta(days=draft_days),
            SqliteSessionStore(db).drop_abandoned_flows,
        ),
        Sweep(
            "chat message ids dropped",
            timedelta(hours=chat_log_hours),
            SqliteChatLog(db).prune,
        ),
        Sweep(
            "alert recipients anonymised",
            timedelta(days=alert_days),
            SqliteBroadcasts(db, SystemClock()).anonymise_settled,
        ),
        Sweep(
            "closed talk-to-a-person cases deleted",
            timedelta(days=alert_days),
            SqliteCaseStore(db).drop_closed,
        ),
        Sweep(
            "messages kept for review deleted",
            timedelta(days=review_days),
            SqliteReviewQueue(db, SystemClock()).drop_older,
        ),
        Sweep("redelivery ids of updates dropped", KEEP_FOR, SqliteUpdateLedger(db).prune),
    )
