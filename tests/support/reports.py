"""Reports as the tests file them: a draft with a story, confirmed straight into the store."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.core.identity import UserKey
from bot.core.ports import Clock
from bot.core.report import Report, ReportDraft
from bot.storage.reports import SqliteReportStore
from tests.support.people import FIRST

STORY = "Scammer sent me a fake Shopee link"


def draft(description: str = STORY, **changes: Any) -> ReportDraft:
    values: dict[str, Any] = {
        "category": "financial_fraud",
        "platform": "facebook",
        "content_urls": ("https://facebook.com/fake-shop",),
        "description": description,
        "incident_date": date(2026, 11, 20),
        "involves_child": False,
        "language": "ms",
        "contact_consent": True,
        "name": "Aminah",
        "phone": "012-345 6789",
        "email": "aminah@example.my",
    }
    values.update(changes)
    return ReportDraft(**values)


def confirm(
    store: SqliteReportStore,
    clock: Clock,
    user_key: UserKey | None = FIRST,
    **changes: Any,
) -> Report:
    report = Report(
        draft=draft(**changes),
        channel="telegram" if user_key else "staff",
        submitted_at=clock.now(),
        user_key=user_key,
        reporter_ref="ref-1" if user_key else None,
    )
    store.file(report)
    return report


STAFF_REPORT = {
    "language": "en",
    "category": "financial_fraud",
    "platform": "whatsapp",
    "content_urls": ["https://wa.me/60123456789"],
    "description": "Caller says a WhatsApp 'investment' group took RM5,000.",
    "incident_date": "2026-11-20",
    "involves_child": False,
    "reporter": {"contact_consent": True, "name": "Tan", "phone": "013-2223344", "email": None},
}
