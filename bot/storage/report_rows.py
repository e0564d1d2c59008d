"""What the report store, the outbox and erasure share: reading a report row back, and
blanking what a report says."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlite_utils

from bot.core.languages import Language
from bot.core.report import OFFICIAL_STATUSES, DeliveryState, OfficialStatus, ReportSummary
from bot.storage.timestamps import parse_iso

_DELIVERY_STATES: tuple[DeliveryState, ...] = ("queued", "held", "delivered", "rejected")
# What erasure blanks: the report's content and everything that could identify or reach the person.
_PERSONAL = {
    "description": "",
    "content_urls": "[]",
    "fingerprint": None,
    "contact_consent": 0,
    "name": None,
    "phone": None,
    "email": None,
}


def language_of(value: object) -> Language:
    """The translator answers a code it no longer knows in the default language."""
    return str(value) if value else ""


def delivery_of(value: object) -> DeliveryState:
    return next((state for state in _DELIVERY_STATES if state == value), "queued")


def official_of(value: object) -> OfficialStatus | None:
    return next((status for status in OFFICIAL_STATUSES if status == value), None)


def placeholders(values: Iterable[object]) -> str:
    return ", ".join("?" for _ in values)


def erase_reports(
    db: sqlite_utils.Database, ids: list[str], now: str, *, forget_person: bool
) -> None:
    """Inside the caller's transaction: the reports keep ids, category, dates and states. The
    links and numbers indexed for crowd counts go with the words they came from."""
    values: dict[str, Any] = dict(_PERSONAL)
    if forget_person:
        values |= {"user_key": None, "reporter_ref": None}
    assignments = ", ".join(f"{column} = ?" for column in values)
    db.execute(
        f"UPDATE reports SET {assignments}, erased_at = ? "  # noqa: S608 - fixed columns
        f"WHERE report_id IN ({placeholders(ids)})",
        [*values.values(), now, *ids],
    )
    db.execute(f"DELETE FROM report_items WHERE report_id IN ({placeholders(ids)})", ids)  # noqa: S608


def summary_of(row: dict[str, Any]) -> ReportSummary:
    return ReportSummary(
        reference=row["reference"],
        category=row["category"],
        submitted_at=parse_iso(row["submitted_at"] or row["created_at"]),
        delivery=delivery_of(row["delivery"]),
        complaint_id=row["complaint_id"],
        official_status=official_of(row["official_status"]),
    )
