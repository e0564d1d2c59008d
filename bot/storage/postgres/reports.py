"""Reports in PostgreSQL: the core's `ReportStore`. Filing writes the report, its outbox entry,
its screenshots' attachment and its crowd-count rows in one transaction, as in SQLite
(`bot/storage/reports.py`); delivering them is `outbox.py`'s job."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from bot.core.identity import UserKey
from bot.core.ports import Clock
from bot.core.report import Report, ReportSummary, new_reference
from bot.core.scam_check import ItemFinder
from bot.storage.postgres.database import PostgresDatabase
from bot.storage.postgres.evidence import attach_evidence
from bot.storage.postgres.report_items import index_report
from bot.storage.postgres.report_rows import summary_of

DUPLICATE_WINDOW = timedelta(days=30)
REFERENCE_ATTEMPTS = 5
_REFERENCE_TAKEN = "reports_reference_key"


class PostgresReportStore:
    def __init__(
        self, db: PostgresDatabase, clock: Clock, finder: ItemFinder | None = None
    ) -> None:
        """`finder`: indexes each report's links and numbers for crowd counts."""
        self._db = db
        self._clock = clock
        self._finder = finder

    def file(self, report: Report) -> Report:
        """Both rows or neither. A reference already taken (rare, 5 characters, and now
        shared by every replica) is replaced, and the filed report returned."""
        for _ in range(REFERENCE_ATTEMPTS):
            try:
                self._insert(report)
            except psycopg.errors.UniqueViolation as error:
                if error.diag.constraint_name != _REFERENCE_TAKEN:
                    raise
                report = replace(report, reference=new_reference())
                continue
            return report
        raise RuntimeError("no free report reference after several attempts")

    def _insert(self, report: Report) -> None:
        draft = report.draft
        now = self._clock.now()
        consent = draft.contact_consent
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT INTO reports (report_id, reference, channel, user_key, reporter_ref, "
                "fingerprint, language, category, platform, content_urls, description, "
                "incident_date, involves_child, contact_consent, name, phone, email, "
                "submitted_at, created_at, delivery) VALUES "
                "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
                "'queued')",
                [
                    report.report_id,
                    report.reference,
                    report.channel,
                    str(report.user_key) if report.user_key else None,
                    report.reporter_ref,
                    draft.fingerprint(),
                    draft.language,
                    draft.category,
                    draft.platform,
                    Jsonb(list(draft.content_urls)),
                    draft.description,
                    draft.incident_date,
                    bool(draft.involves_child),
                    bool(consent),
                    draft.name if consent else None,
                    draft.phone if consent else None,
                    draft.email if consent else None,
                    report.submitted_at,
                    now,
                ],
            )
            conn.execute(
                "INSERT INTO outbox (report_id, body, attempts, next_attempt_at, alerted) "
                "VALUES (%s, %s, 0, %s, false)",
                [report.report_id, Jsonb(report.api_body()), now],
            )
            attach_evidence(conn, report.report_id, report.user_key, report.evidence_ids)
            if self._finder is not None:
                index_report(
                    conn,
                    self._finder,
                    report.report_id,
                    str(report.user_key) if report.user_key else "report:" + report.report_id,
                    "\n".join([*draft.content_urls, draft.description]),
                    now,
                )

    def find_duplicate(self, user_key: UserKey, fingerprint: str) -> ReportSummary | None:
        """The person's latest report with the same content in the last 30 days, if any."""
        return self._duplicate("user_key = %s", [str(user_key)], fingerprint)

    def find_staff_duplicate(self, fingerprint: str) -> ReportSummary | None:
        return self._duplicate("channel = 'staff' AND user_key IS NULL", [], fingerprint)

    def count_since(self, user_key: UserKey, since: datetime) -> int:
        with self._db.transaction() as conn:
            row = conn.execute(
                "SELECT count(*) AS n FROM reports WHERE user_key = %s AND created_at >= %s",
                [str(user_key), since],
            ).fetchone()
        return int(row["n"]) if row else 0

    def summaries(self, user_key: UserKey) -> list[ReportSummary]:
        with self._db.transaction() as conn:
            rows = conn.execute(
                "SELECT * FROM reports WHERE user_key = %s ORDER BY created_at DESC",
                [str(user_key)],
            ).fetchall()
        return [summary_of(row) for row in rows]

    def _duplicate(self, where: str, params: list[Any], fingerprint: str) -> ReportSummary | None:
        since = self._clock.now() - DUPLICATE_WINDOW
        with self._db.transaction() as conn:
            row = conn.execute(
                f"SELECT * FROM reports WHERE {where} AND fingerprint = %s "  # noqa: S608
                "AND created_at >= %s ORDER BY created_at DESC LIMIT 1",
                [*params, fingerprint, since],
            ).fetchone()
        return summary_of(row) if row else None
