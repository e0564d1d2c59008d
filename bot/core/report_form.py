"""The report a person is filling in: a frozen value, replaced at each answer, so every handler
says exactly what it changes and a half-made change can never be saved.

It lives in the session as a plain mapping (`to_session`) under the keys of the first release,
so a report in progress when the bot is upgraded continues where it was. A key that is missing
or malformed reads as not answered yet; an unknown step restarts at the summary, where the person
can check every answer.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any

from bot.core.languages import Language
from bot.core.report import ReportDraft
from bot.core.report_steps import ORDER, Step, step_of

CONTACT_FIELDS = ("name", "phone", "email")


@dataclass(frozen=True)
class ReportForm:
    """| field          | set at                 | meaning                                      |
    |----------------|------------------------|----------------------------------------------|
    | triage         | triage                 | money / danger / child / none                |
    | category       | triage or category     | one of `report.CATEGORIES`                   |
    | platform       | the request or platform| one of `report.PLATFORMS`                    |
    | platform_asked | platform               | the person chose it (not only the request)   |
    | urls           | links                  | () when they have none                       |
    | description    | what happened          |                                              |
    | long_description | what happened        | a text over the limit, kept until trimmed    |
    | incident_date  | when                   | ISO date, None when not sure                 |
    | involves_child, child | child?          | child is the answer: yes / no / unsure       |
    | evidence       | screenshots            | ids in the evidence store                    |
    | contact_consent, name, phone, email | contact | details only with consent       |
    | editing        | summary → edit         | the next answer returns to the summary       |
    | given          | the request            | steps answered before it began ("cat", "lnk") |
    """

    step: Step = Step.TRIAGE
    triage: str | None = None
    category: str | None = None
    platform: str | None = None
    platform_asked: bool = False
    urls: tuple[str, ...] = ()
    description: str = ""
    long_description: str | None = None
    incident_date: str | None = None
    involves_child: bool = False
    child: str | None = None
    evidence: tuple[str, ...] = ()
    contact_consent: bool = False
    name: str | None = None
    phone: str | None = None
    email: str | None = None
    editing: bool = False
    given: tuple[str, ...] = ()

    @classmethod
    def from_session(cls, values: dict[str, Any]) -> ReportForm:
        def text(key: str) -> str | None:
            value = values.get(key)
            return value if isinstance(value, str) else None

        def strings(key: str) -> tuple[str, ...]:
            value = values.get(key)
            return tuple(str(v) for v in value) if isinstance(value, list | tuple) else ()

        return cls(
            step=step_of(values.get("step")) or Step.SUMMARY,
            triage=text("triage"),
            category=text("category"),
            platform=text("platform"),
            platform_asked=values.get("platform_asked") is True,
            urls=strings("urls"),
            description=text("description") or "",
            long_description=text("long_description"),
            incident_date=text("incident_date"),
            involves_child=values.get("involves_child") is True,
            child=text("child"),
            evidence=strings("evidence"),
            contact_consent=values.get("contact_consent") is True,
            name=text("name"),
            phone=text("phone"),
            email=text("email"),
            editing=values.get("editing") is True,
            given=strings("given"),
        )

    def to_session(self) -> dict[str, Any]:
        values = asdict(self)
        values.update(
            step=self.step.value,
            urls=list(self.urls),
            evidence=list(self.evidence),
            given=list(self.given),
        )
        return values

    def at(self, step: Step) -> ReportForm:
        return replace(self, step=step)

    def forward(self, *, screenshots: bool) -> ReportForm:
        """At the next question that applies, or back at the summary after an edit."""
        if self.editing:
            return replace(self, step=Step.SUMMARY, editing=False)
        index = ORDER.index(self.step) + 1
        while index < len(ORDER) and self.skips(ORDER[index], screenshots=screenshots):
            index += 1
        return self.at(ORDER[index])

    def back(self, *, screenshots: bool) -> ReportForm:
        if self.editing:
            return replace(self, step=Step.SUMMARY, editing=False)
        index = ORDER.index(self.step) - 1
        while index > 0 and self.skips(ORDER[index], screenshots=screenshots):
            index -= 1
        return self.at(ORDER[max(index, 0)])

    def skips(self, step: Step, *, screenshots: bool) -> bool:
        """`screenshots`: whether this report may hold any (`ScreenshotStep.applies`).

        | step               | skipped when                                          |
        |--------------------|-------------------------------------------------------|
        | screenshots        | a child may be in them, or no evidence store          |
        | category           | triage said it shows a child (csam already chosen)    |
        | platform           | the platform came with the request ("report this tiktok") |
        | child?             | the category is csam (a child, by definition)         |
        | name, phone, email | the person chose to stay anonymous                    |
        | category, links    | the request brought them (`given`: after a scam check) |
        """
        if step is Step.CATEGORY and "cat" in self.given and self.category:
            return True
        if step is Step.LINKS and "lnk" in self.given and self.urls:
            return True
        if step is Step.SCREENSHOTS:
            return not screenshots
        if step is Step.CATEGORY:
            return self.triage == "child"
        if step is Step.PLATFORM:
            return self.platform is not None and not self.platform_asked
        if step is Step.CHILD:
            return self.category == "csam"
        if step in (Step.NAME, Step.PHONE, Step.EMAIL):
            return not self.contact_consent
        return False

    def anonymous(self) -> ReportForm:
        return replace(self, contact_consent=False, name=None, phone=None, email=None)

    def draft(self, language: Language) -> ReportDraft:
        """What is filed: contact details only with consent."""
        consent = self.contact_consent
        return ReportDraft(
            category=self.category or "other",
            platform=self.platform or "other",
            content_urls=self.urls,
            description=self.description,
            incident_date=date.fromisoformat(self.incident_date) if self.incident_date else None,
            involves_child=self.involves_child,
            language=language,
            contact_consent=consent,
            name=self.name if consent else None,
            phone=self.phone if consent else None,
            email=self.email if consent else None,
        )
