"""A report and a screenshot as the complaint API receives them."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

from bot.core.report import (
    Report,
    ReportDraft,
)

PNG = b"\x89PNG\r\n\x1a\n" + bytes(200)


MYT = timezone(timedelta(hours=8))


def a_report(channel: Any = "telegram", **draft: Any) -> Report:
    fields: dict[str, Any] = {
        "category": "financial_fraud",
        "platform": "facebook",
        "content_urls": ("https://facebook.com/scam-page",),
        "description": "A page selling fake investment schemes with my photo.",
        "incident_date": date(2026, 2, 27),
        "involves_child": False,
        "language": "ms",
        **draft,
    }
    return Report(
        draft=ReportDraft(**fields),
        channel=channel,
        submitted_at=datetime(2026, 3, 1, 9, 30, tzinfo=MYT),
        reporter_ref="tg-5f2c9a",
    )
