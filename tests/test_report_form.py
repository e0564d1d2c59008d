"""The report being filled in survives an upgrade and a damaged session: it reads what the first
release saved, and anything malformed counts as not answered instead of breaking the report."""

from __future__ import annotations

from dataclasses import replace

from bot.core.report_form import ReportForm
from bot.core.report_steps import Step

SAVED_BY_THE_FIRST_RELEASE = {
    "step": "cnt",
    "triage": "money",
    "category": "financial_fraud",
    "platform": "tiktok",
    "platform_asked": True,
    "urls": ["https://tiktok.com/@seller/video/1"],
    "description": "Paid RM450 for a phone that never came",
    "incident_date": "2026-11-30",
    "involves_child": False,
    "child": "no",
    "evidence": ["ev-1", "ev-2"],
}


def test_a_report_saved_by_the_previous_release_continues_where_it_was() -> None:
    form = ReportForm.from_session(SAVED_BY_THE_FIRST_RELEASE)

    assert form.step is Step.CONTACT
    assert form.urls == ("https://tiktok.com/@seller/video/1",)
    assert form.evidence == ("ev-1", "ev-2")
    assert ReportForm.from_session(form.to_session()) == form
    saved = form.to_session()
    assert {k: saved[k] for k in SAVED_BY_THE_FIRST_RELEASE} == SAVED_BY_THE_FIRST_RELEASE


def test_a_damaged_saved_report_opens_at_the_summary_with_nothing_invented() -> None:
    form = ReportForm.from_session(
        {"step": "zz", "urls": "https://not-a-list", "involves_child": "yes", "name": 42}
    )

    assert form.step is Step.SUMMARY
    assert form.urls == ()
    assert form.involves_child is False
    assert form.name is None


def test_contact_details_go_with_the_report_only_with_consent() -> None:
    form = replace(
        ReportForm.from_session(SAVED_BY_THE_FIRST_RELEASE),
        name="Aminah",
        phone="012-345 6789",
        email="aminah@example.com",
    )

    anonymous = form.draft("ms")
    consented = replace(form, contact_consent=True).draft("ms")

    assert (anonymous.name, anonymous.phone, anonymous.email) == (None, None, None)
    assert consented.phone == "012-345 6789"
    assert consented.incident_date is not None and consented.incident_date.day == 30
    assert form.anonymous().name is None
