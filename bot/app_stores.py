"""Which store serves the bot: SQLite via sqlite-utils (the default, one process per file), or
PostgreSQL when `WASPADA_DATABASE_URL=postgresql://…` (several replicas, issue #15).

Both engines implement the same ports; `Stores` names each one once, so `bot/app.py` builds
the bot the same way whichever engine is behind it, and `tests/test_storage_contract.py`
runs one suite over both.

| job                     | SQLite (bot/storage/)     | PostgreSQL (bot/storage/postgres/)         |
|-------------------------|---------------------------|--------------------------------------------|
| per-person turn order   | LocalTurnLocks            | PostgresTurnLocks (advisory xact lock)     |
| outbox, screenshots     | one dispatcher per file   | claims: FOR UPDATE SKIP LOCKED + a lease   |
| alert sender            | a file lock per machine   | claimed rows + a shared per-second quota   |
| redelivered updates     | processed_updates table   | processed_updates table (one claim wins)   |
| schema                  | sqlite-utils migrations   | versioned SQL files under an advisory lock |

The staff console (`bot/app_console.py`) opens the same `Stores`: its accounts, sessions, lock
and audit log (`staff`) and its report counts (`dashboard`) are on whichever engine the bot uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Union

import sqlite_utils

from bot.core.clock import SystemClock
from bot.core.ports import Clock
from bot.core.redelivery import KEEP_FOR
from bot.core.scam_check import ItemFinder
from bot.core.sweeps import Sweep
from bot.core.turn_locks import LocalTurnLocks, TurnLocks
from bot.settings import Settings
from bot.storage.alerts import SqliteBroadcasts, SqliteSubscriptions
from bot.storage.chat_log import SqliteChatLog
from bot.storage.dashboard import SqliteDashboard
from bot.storage.database import open_database
from bot.storage.evidence import SqliteEvidenceStore
from bot.storage.forget import SqliteForgetting
from bot.storage.handoff import SqliteCaseStore, SqliteStaffCopies
from bot.storage.notices import SqliteNotices
from bot.storage.outbox import SqliteOutbox
from bot.storage.report_items import SqliteCrowdReports, index_backlog
from bot.storage.reports import SqliteReportStore
from bot.storage.review import SqliteReviewQueue
from bot.storage.sessions import SqliteSessionStore
from bot.storage.staff import SqliteStaffStore
from bot.storage.updates import SqliteUpdateLedger
from bot.storage.usage import SqliteUsageCounts

if TYPE_CHECKING:
    from bot.storage.postgres.alerts import (
        PostgresBroadcasts,
        PostgresSendQuota,
        PostgresSubscriptions,
    )
    from bot.storage.postgres.chat_log import PostgresChatLog
    from bot.storage.postgres.dashboard import PostgresDashboard
    from bot.storage.postgres.database import PostgresDatabase
    from bot.storage.postgres.evidence import PostgresEvidenceStore
    from bot.storage.postgres.forget import PostgresForgetting
    from bot.storage.postgres.handoff import PostgresCaseStore, PostgresStaffCopies
    from bot.storage.postgres.notices import PostgresNotices
    from bot.storage.postgres.outbox import PostgresOutbox
    from bot.storage.postgres.report_items import PostgresCrowdReports
    from bot.storage.postgres.reports import PostgresReportStore
    from bot.storage.postgres.review import PostgresReviewQueue
    from bot.storage.postgres.sessions import PostgresSessionStore
    from bot.storage.postgres.staff import PostgresStaffStore
    from bot.storage.postgres.updates import PostgresUpdateLedger
    from bot.storage.postgres.usage import PostgresUsageCounts

Database = Union[sqlite_utils.Database, "PostgresDatabase"]


# What the bot could not place is kept this long for staff to label (issue #13).
REVIEW_KEEP_FOR = timedelta(days=30)


@dataclass
class Stores:
    """Every store of one process, over one engine."""

    db: Database
    sessions: SqliteSessionStore | PostgresSessionStore
    reports: SqliteReportStore | PostgresReportStore
    outbox: SqliteOutbox | PostgresOutbox
    evidence: SqliteEvidenceStore | PostgresEvidenceStore
    forgetting: SqliteForgetting | PostgresForgetting
    chat_log: SqliteChatLog | PostgresChatLog
    notices: SqliteNotices | PostgresNotices
    subscriptions: SqliteSubscriptions | PostgresSubscriptions
    broadcasts: SqliteBroadcasts | PostgresBroadcasts
    cases: SqliteCaseStore | PostgresCaseStore
    staff_copies: SqliteStaffCopies | PostgresStaffCopies
    usage: SqliteUsageCounts | PostgresUsageCounts
    review: SqliteReviewQueue | PostgresReviewQueue
    crowd: SqliteCrowdReports | PostgresCrowdReports
    # Update ids already taken, so a redelivered update is handled once (bot/core/redelivery.py).
    updates: SqliteUpdateLedger | PostgresUpdateLedger
    # The staff console's: accounts, sessions and audit log; counts for the reports page.
    staff: SqliteStaffStore | PostgresStaffStore
    dashboard: SqliteDashboard | PostgresDashboard
    turn_locks: TurnLocks
    # PostgreSQL only: the alert budget every replica's sender shares.
    send_quota: PostgresSendQuota | None

    def sweeps(self, settings: Settings) -> tuple[Sweep, ...]:
        """The retention rules beside the reports' own (`erase_personal_closed`), one list for
        either engine. The privacy answer (responses/privacy.yml) promises these periods;
        docs/invariants.md lists them. On PostgreSQL each is one statement on indexed times, so
        two replicas sweeping at once only find nothing left the second time."""
        days = timedelta(days=settings.retention_days)
        return (
            Sweep(
                "unfinished reports dropped",
                timedelta(days=settings.draft_days),
                self.sessions.drop_abandoned_flows,
            ),
            Sweep(
                "chat message ids dropped",
                timedelta(hours=settings.chat_log_hours),
                self.chat_log.prune,
            ),
            Sweep("alert recipients anonymised", days, self.broadcasts.anonymise_settled),
            Sweep("closed talk-to-a-person cases deleted", days, self.cases.drop_closed),
            Sweep("messages kept for review deleted", REVIEW_KEEP_FOR, self.review.drop_older),
            Sweep("redelivery ids of updates dropped", KEEP_FOR, self.updates.prune),
        )

    def ping(self) -> bool:
        """For /readyz: the database answers."""
        if isinstance(self.db, sqlite_utils.Database):
            self.db.execute("SELECT 1").fetchone()
            return True
        return self.db.ping()


def open_stores(settings: Settings, clock: Clock, finder: ItemFinder | None = None) -> Stores:
    if settings.postgres_url:
        from bot.storage.postgres.database import PostgresDatabase

        return postgres_stores(PostgresDatabase(settings.postgres_url), clock, settings, finder)
    return sqlite_stores(open_database(settings.db_path), clock, finder)


def sqlite_stores(
    db: sqlite_utils.Database, clock: Clock, finder: ItemFinder | None = None
) -> Stores:
    if finder is not None:
        index_backlog(db, finder)
    return Stores(
        db=db,
        sessions=SqliteSessionStore(db, clock),
        reports=SqliteReportStore(db, clock, finder),
        outbox=SqliteOutbox(db, clock),
        evidence=SqliteEvidenceStore(db, clock),
        forgetting=SqliteForgetting(db, clock),
        chat_log=SqliteChatLog(db, clock),
        notices=SqliteNotices(db, clock),
        subscriptions=SqliteSubscriptions(db, clock),
        broadcasts=SqliteBroadcasts(db, clock),
        cases=SqliteCaseStore(db),
        staff_copies=SqliteStaffCopies(db),
        usage=SqliteUsageCounts(db, clock),
        review=SqliteReviewQueue(db, clock),
        crowd=SqliteCrowdReports(db, clock),
        updates=SqliteUpdateLedger(db, clock),
        staff=SqliteStaffStore(db),
        dashboard=SqliteDashboard(db),
        turn_locks=LocalTurnLocks(),
        send_quota=None,
    )


def postgres_stores(
    db: PostgresDatabase,
    clock: Clock | None = None,
    settings: Settings | None = None,
    finder: ItemFinder | None = None,
) -> Stores:
    # Imported here: psycopg needs the system's libpq, which a SQLite-only machine may lack.
    from bot.storage.postgres.alerts import (
        PostgresBroadcasts,
        PostgresSendQuota,
        PostgresSubscriptions,
    )
    from bot.storage.postgres.chat_log import PostgresChatLog
    from bot.storage.postgres.dashboard import PostgresDashboard
    from bot.storage.postgres.evidence import PostgresEvidenceStore
    from bot.storage.postgres.forget import PostgresForgetting
    from bot.storage.postgres.handoff import PostgresCaseStore, PostgresStaffCopies
    from bot.storage.postgres.notices import PostgresNotices
    from bot.storage.postgres.outbox import PostgresOutbox
    from bot.storage.postgres.report_items import PostgresCrowdReports
    from bot.storage.postgres.reports import PostgresReportStore
    from bot.storage.postgres.review import PostgresReviewQueue
    from bot.storage.postgres.sessions import PostgresSessionStore
    from bot.storage.postgres.staff import PostgresStaffStore
    from bot.storage.postgres.turn_locks import PostgresTurnLocks
    from bot.storage.postgres.updates import PostgresUpdateLedger
    from bot.storage.postgres.usage import PostgresUsageCounts

    clock = clock or SystemClock()
    budget = (settings.alerts_per_second - settings.alerts_reserve) if settings else 25
    lease = {"lease": timedelta(seconds=settings.outbox_lease_seconds)} if settings else {}
    return Stores(
        db=db,
        sessions=PostgresSessionStore(db, clock),
        reports=PostgresReportStore(db, clock, finder),
        outbox=PostgresOutbox(db, clock, **lease),
        evidence=PostgresEvidenceStore(db, clock),
        forgetting=PostgresForgetting(db, clock),
        chat_log=PostgresChatLog(db, clock),
        notices=PostgresNotices(db, clock),
        subscriptions=PostgresSubscriptions(db, clock),
        broadcasts=PostgresBroadcasts(db, clock),
        cases=PostgresCaseStore(db),
        staff_copies=PostgresStaffCopies(db),
        usage=PostgresUsageCounts(db, clock),
        review=PostgresReviewQueue(db, clock),
        crowd=PostgresCrowdReports(db, clock),
        updates=PostgresUpdateLedger(db, clock),
        staff=PostgresStaffStore(db),
        dashboard=PostgresDashboard(db),
        turn_locks=PostgresTurnLocks(db.url),
        send_quota=PostgresSendQuota(db, budget),
    )
