"""Reports that staff type in for people who phoned or emailed (`waspada report submit FILE.json`).

The file holds the complaint API body without what Waspada sets itself (report_id, submitted_at,
channel). It is checked here, whole, before anything is stored: every problem is named with the
file and the field, so staff fix the file once instead of once per error.

    {
      "language": "ms", "category": "financial_fraud", "platform": "facebook",
      "content_urls": ["https://facebook.com/..."], "description": "...",
      "incident_date": "2026-11-20", "involves_child": false,
      "reporter": {"contact_consent": true, "name": "...", "phone": "...", "email": null}
    }
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from bot.core.contact_details import MAX_NAME, valid_email, valid_phone
from bot.core.languages import Languages
from bot.core.links import accept_link
from bot.core.report import CATEGORIES, MAX_DESCRIPTION, MAX_URLS, PLATFORMS, ReportDraft

_REQUIRED = ("language", "category", "platform", "description", "involves_child")
_OPTIONAL = ("content_urls", "incident_date", "reporter")
_SET_BY_WASPADA = ("report_id", "submitted_at", "channel")
_CONTACT_LIMITS = {"name": MAX_NAME, "phone": 40, "email": 254}
_Bad = Callable[[str, str], None]


def check_staff_report(
    data: Any, source: str, *, today: date, languages: Languages
) -> tuple[ReportDraft | None, list[str]]:
    """The draft, or None and every problem as "FILE: field: what is wrong"."""
    problems: list[str] = []

    def bad(name: str, message: str) -> None:
        problems.append(f"{source}: {name}: {message}")

    if not isinstance(data, dict):
        return None, [f"{source}: the file must hold one JSON object {{...}}"]
    _check_fields(data, bad, languages)
    language, description = data.get("language"), data.get("description")
    urls = _urls(data.get("content_urls", []), bad)
    incident = _incident_date(data.get("incident_date"), today, bad)
    contact = _reporter(data.get("reporter", {"contact_consent": False}), bad)

    if problems:
        return None, problems
    return (
        ReportDraft(
            category=str(data["category"]),
            platform=str(data["platform"]),
            content_urls=urls,
            description=str(description).strip(),
            incident_date=incident,
            involves_child=bool(data["involves_child"]),
            language=str(language),
            contact_consent=contact.get("contact_consent") is True,
            name=contact.get("name"),
            phone=contact.get("phone"),
            email=contact.get("email"),
        ),
        [],
    )


def _check_fields(data: dict[str, Any], bad: _Bad, languages: Languages) -> None:
    """Which fields are there, and the ones whose values come from a fixed list or shape."""
    for name in data:
        if name in _SET_BY_WASPADA:
            bad(name, "is set by Waspada; remove it from the file")
        elif name not in _REQUIRED + _OPTIONAL:
            bad(name, "is not a report field (check the spelling)")
    for name in _REQUIRED:
        if name not in data:
            bad(name, "is required")
    if "language" in data and data["language"] not in languages:
        bad("language", "must be one of: " + ", ".join(languages.codes))
    for name, allowed in (("category", CATEGORIES), ("platform", PLATFORMS)):
        if name in data and data[name] not in allowed:
            bad(name, "must be one of: " + ", ".join(allowed))
    description = data.get("description")
    if "description" in data and (
        not isinstance(description, str)
        or not description.strip()
        or len(description) > MAX_DESCRIPTION
    ):
        bad("description", f"must be text of 1-{MAX_DESCRIPTION} characters, not blank")
    if "involves_child" in data and not isinstance(data["involves_child"], bool):
        bad("involves_child", "must be true or false")


def _urls(value: Any, bad: _Bad) -> tuple[str, ...]:
    if not isinstance(value, list) or len(value) > MAX_URLS:
        bad("content_urls", f"must be a list of at most {MAX_URLS} links")
        return ()
    accepted = []
    for i, url in enumerate(value):
        link = accept_link(url) if isinstance(url, str) else None
        if link is None:
            bad(
                f"content_urls[{i}]",
                "must be an http:// or https:// link to a public site "
                "(not this machine, a private network or a cloud metadata address)",
            )
        else:
            accepted.append(link)
    return tuple(accepted)


def _incident_date(value: Any, today: date, bad: _Bad) -> date | None:
    if value is None:
        return None
    try:
        parsed = date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        parsed = None
    if parsed is None:
        bad("incident_date", "must be a date as YYYY-MM-DD, or null when unknown")
    elif parsed > today:
        bad("incident_date", f"{parsed.isoformat()} is in the future")
    return parsed


def _reporter(value: Any, bad: _Bad) -> dict[str, Any]:
    """Contact details go to the regulator only with the person's consent, and then at least one
    way to reach them must be given."""
    if not isinstance(value, dict):
        bad("reporter", 'must be an object such as {"contact_consent": false}')
        return {}
    for name in value:
        if name != "contact_consent" and name not in _CONTACT_LIMITS:
            bad(f"reporter.{name}", "is not a reporter field (contact_consent, name, phone, email)")
    consent = value.get("contact_consent")
    if not isinstance(consent, bool):
        bad("reporter.contact_consent", "must be true or false")
        return {}
    contact: dict[str, Any] = {"contact_consent": consent}
    for name, limit in _CONTACT_LIMITS.items():
        given = value.get(name)
        if given is None:
            continue
        if not consent:
            bad(f"reporter.{name}", "must be null unless contact_consent is true")
        elif not isinstance(given, str) or not given.strip() or len(given) > limit:
            bad(f"reporter.{name}", f"must be text of 1-{limit} characters, or null")
        elif name == "email" and not valid_email(given.strip()):
            bad("reporter.email", "must be an email address such as name@example.com")
        elif name == "phone" and not valid_phone(given.strip()):
            bad("reporter.phone", "must be a phone number such as 012-345 6789")
        else:
            contact[name] = given.strip()
    if consent and not (contact.get("phone") or contact.get("email")):
        bad("reporter", "contact_consent is true but neither phone nor email is given")
    return contact
