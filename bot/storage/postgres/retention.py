"""The retention sweeps over the PostgreSQL stores, the same rules and periods as
`bot/storage/retention.py`. Each sweep is one statement on indexed times, so two replicas
running it at once only find nothing left to do the second time."""

from __future__ import annotations

from datetime import timedelta

from bot.core.clock import SystemClock
from bot.core.redelivery import KEEP_FOR
from bot.core.sweeps import Sweep
from bot.storage.postgres.alerts import PostgresBroadcasts
from bot.storage.postgres.chat_log import PostgresChatLog
from bot.storage.postgres.database import PostgresDatabase
from bot.storage.postgres.handoff import PostgresCaseStore
from bot.storage.postgres.review import PostgresReviewQueue
from bot.storage.postgres.sessions import PostgresSessionStore
from bot.storage.postgres.updates import PostgresUpdateLedger


def retention_sweeps(
    db: PostgresDatabase,
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
            PostgresSessionStore(db).drop_abandoned_flows,
        ),
        Sweep(
            "chat message ids dropped",
            timedelta(hours=chat_log_hours),
            PostgresChatLog(db).prune,
        ),
        Sweep(
            "alert recipients anonymised",
            timedelta(days=alert_days),
            PostgresBroadcasts(db, SystemClock()).anonymise_settled,
        ),
        Sweep(
            "closed talk-to-a-person cases deleted",
            timedelta(days=alert_days),
            PostgresCaseStore(db).drop_closed,
        ),
        Sweep(
            "messages kept for review deleted",
            timedelta(days=review_days),
            PostgresReviewQueue(db, SystemClock()).drop_older,
        ),
        Sweep("redelivery ids of updates dropped", KEEP_FOR, PostgresUpdateLedger(db).prune),
    )
