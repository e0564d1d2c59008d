"""A report of harmful content, as the citizen (or staff) gave it, and its life after confirmation.

The field names and enums are the complaint API v1 contract (`docs/complaint-api.yaml`), so the
body sent to the API is built here and nowhere else.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from bot.core.identity import UserKey
from bot.core.languages import Language

CATEGORIES: tuple[str, ...] = (
    "csam",
    "financial_fraud",
    "obscene",
    "indecent",
    "harassment",
    "violence_terrorism",
    "child_self_harm",
    "hostility_3r",
    "dangerous_drugs",
    "deepfake_impersonation",
    "personal_data",
    "other",
)
PLATFORMS: tuple[str, ...] = (
    "facebook",
    "instagram",
    "tiktok",
    "telegram",
    "whatsapp",
    "x",
    "youtube",
    "other",
)
MAX_URLS = 10
MAX_DESCRIPTION = 4000
# The channel a report came in on: a person's `UserKey.channel`, or "staff" for reports staff
# entered for someone. The complaint API knows only telegram and staff.
Channel = str
# Where the report is on our side: queued (in the outbox), held (the API refused our credentials;
# kept until the configuration is fixed), delivered (the API gave a complaint id), rejected (the
# API said the report itself is invalid; never retried).
DeliveryState = Literal["queued", "held", "delivered", "rejected"]
OfficialStatus = Literal["received", "in_review", "action_taken", "closed", "rejected"]
OFFICIAL_STATUSES: tuple[OfficialStatus, ...] = (
    "received",
    "in_review",
    "action_taken",
    "closed",
    "rejected",
)
# Without 0/O and 1/I/L, so a reference read out over the phone is not misheard.
_REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_reference() -> str:
    return "WSP-" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(5))


@dataclass(frozen=True)
class ReportDraft:
    """Everything the reporter told us. Contact fields stay None unless `contact_consent`."""

    category: str
    platform: str
    content_urls: tuple[str, ...]
    description: str
    incident_date: date | None
    involves_child: bool
    language: Language
    contact_consent: bool = False
    name: str | None = None
    phone: str | None = None
    email: str | None = None

    def fingerprint(self) -> str:
        """Same content twice (however the reporter spaced or ordered it) → same fingerprint."""
        parts = [
            self.category,
            self.platform,
            "|".join(sorted(u.strip().lower() for u in self.content_urls)),
            " ".join(self.description.lower().split()),
        ]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()


@dataclass(frozen=True)
class Report:
    """A confirmed report. `report_id` is also the API's Idempotency-Key. Screenshots are not in
    the body: each is uploaded on its own once the API has given the complaint its id."""

    draft: ReportDraft
    channel: Channel
    submitted_at: datetime
    user_key: UserKey | None = None
    reporter_ref: str | None = None
    report_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    reference: str = field(default_factory=new_reference)
    evidence_ids: tuple[str, ...] = ()

    def api_body(self) -> dict[str, Any]:
        d = self.draft
        consent = d.contact_consent
        return {
            "report_id": self.report_id,
            "submitted_at": self.submitted_at.isoformat(),
            "channel": "telegram" if self.channel == "telegram" else "staff",
            "language": d.language,
            "category": d.category,
            "platform": d.platform,
            "content_urls": list(d.content_urls),
            "description": d.description,
            "incident_date": d.incident_date.isoformat() if d.incident_date else None,
            "involves_child": d.involves_child,
            "reporter": {
                "contact_consent": consent,
                "name": d.name if consent else None,
                "phone": d.phone if consent else None,
                "email": d.email if consent else None,
                "telegram_user_ref": self.reporter_ref,
            },
        }


@dataclass(frozen=True)
class ReportSummary:
    """What `/status` shows a person about one of their reports."""

    reference: str
    category: str
    submitted_at: datetime
    delivery: DeliveryState
    complaint_id: str | None = None
    official_status: OfficialStatus | None = None
