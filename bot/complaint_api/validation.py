"""What the complaint API accepts: the v1 contract's rules for a complaint body, as code.

Every problem is reported at once, each naming its field, so one failed delivery tells the sender
all it must fix. `tests/test_complaint_api_contract.py` checks these rules against the OpenAPI
document.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any
from urllib.parse import urlparse

from bot.core.contact_details import valid_email
from bot.core.report import CATEGORIES, MAX_DESCRIPTION, MAX_URLS, PLATFORMS

_FIELDS = (
    "report_id",
    "submitted_at",
    "channel",
    "language",
    "category",
    "platform",
    "content_urls",
    "description",
    "incident_date",
    "involves_child",
    "reporter",
)
_REPORTER_FIELDS = ("contact_consent", "name", "phone", "email", "telegram_user_ref")
_CONTACT_LIMITS = (("name", 200), ("phone", 40), ("email", 254))
_ENUMS: dict[str, tuple[str, ...]] = {
    "channel": ("telegram", "staff"),
    "language": ("en", "ms", "zh"),
    "category": CATEGORIES,
    "platform": PLATFORMS,
}
FieldErrors = list[dict[str, Any]]


def validate_complaint(body: dict[str, Any]) -> FieldErrors:
    """Every problem at once, so one failed delivery tells the sender all it must fix."""
    errors: FieldErrors = _check_keys(body, _FIELDS, "")

    def bad(name: str, message: str) -> None:
        errors.append({"field": name, "message": message})

    if "report_id" in body and not _is_uuid(body["report_id"]):
        bad("report_id", "must be a UUID")
    if "submitted_at" in body and not _is_zoned_timestamp(body["submitted_at"]):
        bad("submitted_at", "must be an RFC 3339 timestamp with a zone, e.g. 2026-03-01T09:30:00Z")
    for name, allowed in _ENUMS.items():
        if name in body and body[name] not in allowed:
            bad(name, "must be one of: " + ", ".join(allowed))
    urls = body.get("content_urls", [])
    if not isinstance(urls, list) or len(urls) > MAX_URLS:
        bad("content_urls", f"must be a list of at most {MAX_URLS} URLs")
    else:
        for i, url in enumerate(urls):
            if not _is_web_url(url):
                bad(f"content_urls[{i}]", "must be an http or https URL")
    text = body.get("description", "x")
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_DESCRIPTION:
        bad("description", f"must be text of 1-{MAX_DESCRIPTION} characters, not blank")
    if body.get("incident_date") is not None and not _is_date(body["incident_date"]):
        bad("incident_date", "must be a date as YYYY-MM-DD, or null")
    if "involves_child" in body and not isinstance(body["involves_child"], bool):
        bad("involves_child", "must be true or false")
    reporter = body.get("reporter", {})
    if not isinstance(reporter, dict):
        bad("reporter", "must be an object")
    elif "reporter" in body:
        errors.extend(_reporter_errors(reporter))
    return errors


def _reporter_errors(reporter: dict[str, Any]) -> FieldErrors:
    errors = _check_keys(reporter, _REPORTER_FIELDS, "reporter.")
    consent = reporter.get("contact_consent")
    if "contact_consent" in reporter and not isinstance(consent, bool):
        errors.append({"field": "reporter.contact_consent", "message": "must be true or false"})
    for name, limit in _CONTACT_LIMITS:
        value = reporter.get(name)
        if value is None:
            continue
        if consent is not True:
            message = "must be null unless contact_consent is true"
        elif not isinstance(value, str) or not value.strip() or len(value) > limit:
            message = f"must be text of 1-{limit} characters, or null"
        elif name == "email" and not valid_email(value):
            message = "must be an email address such as name@example.com"
        else:
            continue
        errors.append({"field": f"reporter.{name}", "message": message})
    ref = reporter.get("telegram_user_ref")
    if ref is not None and not (isinstance(ref, str) and 0 < len(ref) <= 128):
        errors.append(
            {"field": "reporter.telegram_user_ref", "message": "must be 1-128 characters, or null"}
        )
    return errors


def _check_keys(obj: dict[str, Any], expected: tuple[str, ...], prefix: str) -> FieldErrors:
    missing = [{"field": prefix + k, "message": "is required"} for k in expected if k not in obj]
    unknown = [
        {"field": prefix + str(k), "message": "is not part of the contract"}
        for k in obj
        if k not in expected
    ]
    return missing + unknown


def _is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return isinstance(value, str)


def _is_zoned_timestamp(value: Any) -> bool:
    if not isinstance(value, str) or "T" not in value.upper():
        return False
    try:
        parsed = datetime.fromisoformat(value[:-1] + "+00:00" if value[-1] in "Zz" else value)
    except ValueError:
        return False
    return parsed.tzinfo is not None


def _is_date(value: Any) -> bool:
    try:
        date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return len(value) == 10


def _is_web_url(value: Any) -> bool:
    if not isinstance(value, str) or len(value) > 2048:
        return False
    parsed = urlparse(value)
    return parsed.scheme in ("http", "https") and bool(parsed.netloc)
