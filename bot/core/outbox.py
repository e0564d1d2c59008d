"""The outbox as the dispatcher sees it: what is owed to the complaint API, and what to ask about.

A report and its outbox entry are written in one transaction when the person confirms
(`ReportStore.file`); the dispatcher alone moves an entry on, and only after the API answered:

```mermaid
stateDiagram-v2
    [*] --> queued: file()
    queued --> delivered: accepted (mark_delivered)
    queued --> rejected: 400/422 (mark_rejected)
    queued --> held: 401/403 (hold_queued)
    queued --> queued: 429 or unavailable (reschedule)
    held --> queued: dispatcher start (release_held)
    delivered --> [*]
    rejected --> [*]
```

No SQLite here: `bot/storage/reports.py` implements `Outbox`, tests may use it on a temp file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from bot.core.identity import UserKey
from bot.core.languages import Language
from bot.core.report import OfficialStatus


@dataclass(frozen=True)
class OutboxEntry:
    """One report still owed to the API. `body` is exactly what is sent, every time: a resend
    after a crash must be the same request, under the same Idempotency-Key (`report_id`)."""

    report_id: str
    reference: str
    body: dict[str, Any]
    attempts: int
    next_attempt_at: datetime
    created_at: datetime
    user_key: UserKey | None
    language: Language


@dataclass(frozen=True)
class OpenComplaint:
    """A delivered report whose official status can still change."""

    report_id: str
    reference: str
    complaint_id: str
    official_status: OfficialStatus | None
    user_key: UserKey | None
    language: Language


@dataclass(frozen=True)
class PendingEvidence:
    """A screenshot owed to a complaint the API has accepted. `evidence_id` is its
    Idempotency-Key, so a resend after a crash attaches it once."""

    evidence_id: str
    reference: str
    complaint_id: str
    content_type: str
    data: bytes
    attempts: int


class EvidenceOutbox(Protocol):
    """Screenshots go after their complaint: the evidence endpoint needs its complaint id."""

    def evidence_due(self, now: datetime, limit: int = 20) -> list[PendingEvidence]: ...

    def evidence_next_attempt_at(self) -> datetime | None: ...

    def mark_evidence_uploaded(self, evidence_id: str, official_id: str) -> None: ...

    def mark_evidence_rejected(self, evidence_id: str, detail: str) -> None: ...

    def reschedule_evidence(
        self, evidence_id: str, next_attempt_at: datetime, attempts: int, detail: str
    ) -> None: ...

    def purge_unfiled_evidence(self, older_than: datetime) -> int: ...


class Outbox(Protocol):
    def due(self, now: datetime, limit: int = 100) -> list[OutboxEntry]: ...

    def next_attempt_at(self) -> datetime | None: ...

    def mark_delivered(self, report_id: str, complaint_id: str, status: str | None) -> bool: ...

    def reschedule(
        self, report_id: str, next_attempt_at: datetime, attempts: int, detail: str
    ) -> None: ...

    def mark_rejected(self, report_id: str, detail: str) -> None: ...

    def hold_queued(self, detail: str) -> int: ...

    def release_held(self) -> int: ...

    def overdue_unalerted(self, created_before: datetime) -> list[OutboxEntry]: ...

    def mark_alerted(self, report_ids: list[str]) -> None: ...

    def oldest_undelivered_age(self, now: datetime) -> timedelta | None: ...

    def waiting(self) -> int: ...

    def open_complaints(self) -> list[OpenComplaint]: ...

    def set_official_status(
        self, report_id: str, status: OfficialStatus, updated_at: str | None
    ) -> bool: ...

    def erase_personal_closed(self, older_than: datetime) -> int: ...
