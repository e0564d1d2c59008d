"""The guided report: a small state machine over a frozen `ReportForm` kept in the session, so it
survives restarts.

    triage → category → platform → links → what happened → when → child? → screenshots →
    contact → summary
      (csam skips category and child; screenshots only where no child can be in them; "contact
      me" adds name → phone → email; summary → edit any step and come back, or confirm → filed
      in the outbox with a reference)

Every button carries the step it belongs to, so a press on an old message is recognised as stale.
Safety first: money lost or danger now gets the hotline before any question; sexual images of a
child are never asked for — only the link.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta

from bot.core.buttons import ButtonMaker
from bot.core.content import ContactCard
from bot.core.identity import UserKey
from bot.core.incident_date import malaysia_today
from bot.core.languages import Language
from bot.core.messages import Attachment, Reply
from bot.core.ports import AnswerBook, Clock, EvidenceStore, ReportStore, Translator
from bot.core.report import CATEGORIES, MAX_DESCRIPTION, PLATFORMS
from bot.core.report_answers import TypedAnswers
from bot.core.report_filing import ReportFiling
from bot.core.report_form import ReportForm
from bot.core.report_questions import ReportQuestions
from bot.core.report_screenshots import ScreenshotStep
from bot.core.report_steps import EDITABLE, Step, step_of
from bot.core.session import Session

FLOW = "report"
# A handler's result: the form after the answer, and what to say.
Moved = tuple[ReportForm, list[Reply]]
Pressed = Callable[[ReportForm, str, Language, Session], "Moved | None"]
Typed = Callable[[ReportForm, str, Language], Moved]


@dataclass(frozen=True)
class ReportDesk:
    """What the guided report needs; without it `/report` explains how to report directly."""

    store: ReportStore
    clock: Clock
    pseudonym: Callable[[UserKey], str]
    per_day: int
    evidence: EvidenceStore | None = None


class ReportFlow:
    def __init__(
        self,
        *,
        answers: AnswerBook,
        translator: Translator,
        buttons: ButtonMaker,
        store: ReportStore,
        clock: Clock,
        pseudonym: Callable[[UserKey], str],
        per_day: int,
        evidence: EvidenceStore | None = None,
    ) -> None:
        self._answers = answers
        self._tr = translator
        self._buttons = buttons
        self._clock = clock
        self._screens = ScreenshotStep(translator, evidence)
        self._questions = ReportQuestions(translator, self._screens.applies)
        self._filing = ReportFiling(
            answers=answers,
            translator=translator,
            buttons=buttons,
            store=store,
            clock=clock,
            pseudonym=pseudonym,
            per_day=per_day,
            screens=self._screens,
        )
        # What a press does at each step; a step missing here has no buttons of its own.
        self._pressed: dict[Step, Pressed] = {
            Step.TRIAGE: self._on_triage,
            Step.CATEGORY: self._on_category,
            Step.PLATFORM: self._on_platform,
            Step.LINKS: self._on_links,
            Step.DESCRIPTION: self._on_description,
            Step.WHEN: self._on_when,
            Step.CHILD: self._on_child,
            Step.SCREENSHOTS: self._on_screenshots,
            Step.CONTACT: self._on_contact,
            Step.PHONE: self._on_phone,
            Step.EMAIL: self._on_email,
            Step.SUMMARY: self._on_summary,
        }
        # The steps that take typed text.
        typed = TypedAnswers(translator, clock, self._questions, self._advance, self._ask)
        self._typed: dict[Step, Typed] = {
            Step.LINKS: typed.links,
            Step.DESCRIPTION: typed.description,
            Step.WHEN: typed.when,
            Step.NAME: typed.name,
            Step.PHONE: typed.phone,
            Step.EMAIL: typed.email,
        }

    def _t(self, lang: Language, message: str, **values: object) -> str:
        return self._tr.gettext(lang, message, **values)

    # ---- entry points ----------------------------------------------------------------------
    def start(
        self,
        session: Session,
        lang: Language,
        platform: str | None = None,
        *,
        scam_link: str | None = None,
    ) -> list[Reply]:
        """`scam_link`: the report follows a scam check, so it is a fraud report and the link
        (if any) is already known; both can still be changed at the summary."""
        if session.flow == FLOW:
            note = self._t(lang, "You have a report in progress. Let's continue where you were.")
            return [Reply(note, language=lang), self._ask(self.form(session), lang)]
        form = ReportForm(platform=platform if platform in PLATFORMS else None)
        if scam_link is not None:
            urls = (scam_link,) if scam_link else ()
            form = replace(form, category="financial_fraud", urls=urls, given=("cat", "lnk"))
        self._keep(session, form)
        intro = self._t(
            lang,
            "I will help you report harmful content to MCMC's complaint system: this bot "
            "sends your report there and tells you its official number. It takes about two "
            "minutes; you can go back at any step or type /cancel to stop. Please also use the "
            "app's own Report option on the post or account: the platform can act on it too. "
            "If it is a crime (threats, fraud, sexual images of a child), also make a police "
            "report.",
        )
        return [Reply(intro, language=lang), self._ask(form, lang)]

    @classmethod
    def at_desk(
        cls, desk: ReportDesk | None, answers: AnswerBook, tr: Translator, buttons: ButtonMaker
    ) -> ReportFlow | None:
        if desk is None:
            return None
        return cls(
            answers=answers,
            translator=tr,
            buttons=buttons,
            store=desk.store,
            clock=desk.clock,
            pseudonym=desk.pseudonym,
            per_day=desk.per_day,
            evidence=desk.evidence,
        )

    @staticmethod
    def screenshots_held(session: Session) -> list[str]:
        """Screenshots of an unfinished report, which go when the report does."""
        if session.flow != FLOW:
            return []
        return list(ReportFlow.form(session).evidence)

    @staticmethod
    def form(session: Session) -> ReportForm:
        return ReportForm.from_session(session.flow_state)

    @staticmethod
    def _keep(session: Session, form: ReportForm) -> None:
        session.flow, session.flow_state = FLOW, form.to_session()

    def cancel(self, session: Session) -> None:
        """Ends the report and deletes its screenshots: nothing is sent."""
        if session.flow == FLOW:
            self._screens.drop(session.user_key, self.form(session))
        session.flow, session.flow_state = None, {}

    def on_button(
        self, session: Session, step: Step, choice: str, lang: Language
    ) -> list[Reply] | None:
        """None when the press does not belong to the step on screen (stale)."""
        if session.flow != FLOW:
            return None
        form = self.form(session)
        if form.step is not step or session.flow_state.get("step") != step.value:
            return None
        if choice == "cancel":
            self.cancel(session)
            text = self._t(lang, "Report cancelled. Nothing was sent.")
            return [Reply(text, tuple(self._buttons.menu(lang)), lang, replaces_menu=True)]
        if choice == "back":
            form = self._previous(form)
            self._keep(session, form)
            return [self._ask(form, lang, replaces=True)]
        handler = self._pressed.get(step)
        moved = handler(form, choice, lang, session) if handler else None
        if moved is None:
            return None
        form, replies = moved
        if session.flow == FLOW:  # filing ends the report
            self._keep(session, form)
        return replies

    def on_text(self, session: Session, text: str, lang: Language) -> list[Reply]:
        form = self.form(session)
        reader = self._typed.get(form.step)
        if reader is None:
            hint = self._t(
                lang,
                "Please choose one of the buttons below, or type /cancel to stop the report.",
            )
            return [Reply(hint, language=lang), self._ask(form, lang)]
        form, replies = reader(form, text.strip(), lang)
        self._keep(session, form)
        return replies

    async def on_media(
        self, session: Session, attachment: Attachment | None, lang: Language
    ) -> list[Reply]:
        form, replies = await self._screens.on_media(
            session.user_key, self.form(session), attachment, lang, self._ask
        )
        self._keep(session, form)
        return replies

    # ---- steps -----------------------------------------------------------------------------
    def _advance(
        self, form: ReportForm, lang: Language, *, replaces: bool
    ) -> tuple[ReportForm, Reply]:
        """The next question, or the summary again when the answer was an edit."""
        form = form.forward(screenshots=self._screens.applies(form))
        return form, self._ask(form, lang, replaces=replaces)

    def _previous(self, form: ReportForm) -> ReportForm:
        return form.back(screenshots=self._screens.applies(form))

    def _on_triage(
        self, form: ReportForm, choice: str, lang: Language, session: Session
    ) -> Moved | None:
        if choice not in ("money", "danger", "child", "none"):
            return None
        form = replace(form, triage=choice)
        urgent: list[Reply] = []
        if choice == "money":
            form = replace(form, category="financial_fraud")
            text = self._t(
                lang,
                "**First, call the National Scam Response Centre now**, and your bank's 24-hour "
                "fraud line. Don't wait for this report: the sooner they know, the better.",
            )
            urgent.append(self._urgent(text, self._answers.contact("nsrc", lang), lang))
        elif choice == "danger":
            card = self._answers.contact("emergency", lang)
            if card and card.phone:  # the number comes from contacts.yml, like every number
                text = self._t(
                    lang,
                    "**If someone is in danger now, call {phone} first.** This report can wait.",
                    phone=card.phone,
                )
                urgent.append(self._urgent(text, card, lang))
        elif choice == "child":
            form = replace(form, category="csam", involves_child=True)
            urgent.append(self._only_the_link(lang))
        form, question = self._advance(form, lang, replaces=not urgent)
        return form, [*urgent, question]

    def _urgent(self, text: str, card: ContactCard | None, lang: Language) -> Reply:
        body = f"{text}\n\n{card.text}" if card else text
        return Reply(body, language=lang)

    def _only_the_link(self, lang: Language) -> Reply:
        text = self._t(
            lang,
            "**Do not download, screenshot or forward it** — not even as evidence. "
            "Only the link is needed; I will ask for it in a moment.",
        )
        return Reply(text, language=lang, protect=True)

    def _on_category(
        self, form: ReportForm, choice: str, lang: Language, session: Session
    ) -> Moved | None:
        if choice not in CATEGORIES:
            return None
        form = replace(form, category=choice)
        if choice == "csam":
            form = self._screens.drop(session.user_key, replace(form, involves_child=True))
            form, question = self._advance(form, lang, replaces=False)
            return form, [self._only_the_link(lang), question]
        form, dropped = self._screens.drop_if_not_allowed(session.user_key, form, lang)
        form, question = self._advance(form, lang, replaces=not dropped)
        return form, [*dropped, question]

    def _on_platform(
        self, form: ReportForm, choice: str, lang: Language, session: Session
    ) -> Moved | None:
        if choice not in PLATFORMS:
            return None
        return self._answered(replace(form, platform=choice, platform_asked=True), lang)

    def _on_links(
        self, form: ReportForm, choice: str, lang: Language, session: Session
    ) -> Moved | None:
        if choice != "none":
            return None
        return self._answered(replace(form, urls=()), lang)

    def _on_description(
        self, form: ReportForm, choice: str, lang: Language, session: Session
    ) -> Moved | None:
        long_text = form.long_description or ""
        if choice != "trim" or not long_text:
            return None
        trimmed = long_text[:MAX_DESCRIPTION].rstrip()
        return self._answered(replace(form, description=trimmed, long_description=None), lang)

    def _on_when(
        self, form: ReportForm, choice: str, lang: Language, session: Session
    ) -> Moved | None:
        today = malaysia_today(self._clock.now())
        dates = {"today": today, "yesterday": today - timedelta(days=1), "skip": None}
        if choice not in dates:
            return None
        picked = dates[choice]
        when = picked.isoformat() if picked else None
        return self._answered(replace(form, incident_date=when), lang)

    def _on_child(
        self, form: ReportForm, choice: str, lang: Language, session: Session
    ) -> Moved | None:
        if choice not in ("yes", "no", "unsure"):
            return None
        form = replace(form, involves_child=choice == "yes", child=choice)
        form, dropped = self._screens.drop_if_not_allowed(session.user_key, form, lang)
        form, question = self._advance(form, lang, replaces=not dropped)
        return form, [*dropped, question]

    def _on_screenshots(
        self, form: ReportForm, choice: str, lang: Language, session: Session
    ) -> Moved | None:
        if choice == "clear":
            form = self._screens.drop(session.user_key, form)
            return form, [self._ask(form, lang, replaces=True)]
        if choice != "done":
            return None
        return self._answered(form, lang)

    def _on_contact(
        self, form: ReportForm, choice: str, lang: Language, session: Session
    ) -> Moved | None:
        if choice not in ("anon", "contact"):
            return None
        form = replace(form, contact_consent=True) if choice == "contact" else form.anonymous()
        return self._answered(form, lang)

    def _on_phone(
        self, form: ReportForm, choice: str, lang: Language, session: Session
    ) -> Moved | None:
        if choice != "skip":
            return None
        return self._answered(replace(form, phone=None), lang)

    def _on_email(
        self, form: ReportForm, choice: str, lang: Language, session: Session
    ) -> Moved | None:
        if choice != "skip":
            return None
        if not form.phone:
            text = self._t(
                lang, "Please give a phone number or an email, or choose to stay anonymous."
            )
            form = form.at(Step.CONTACT)
            return form, [Reply(text, language=lang), self._ask(form, lang)]
        return self._answered(replace(form, email=None), lang)

    def _on_summary(
        self, form: ReportForm, choice: str, lang: Language, session: Session
    ) -> Moved | None:
        if choice == "confirm":
            return self._filing.confirm(session, form, lang)
        if choice == "edit":
            return form, [self._questions.edit_menu(form, lang)]
        edited = step_of(choice[2:]) if choice.startswith("e_") else None
        if edited in EDITABLE:
            form = replace(form, step=edited, editing=True)
            if edited is Step.PLATFORM:
                form = replace(form, platform_asked=True)
            return form, [self._ask(form, lang, replaces=True)]
        return None

    def _answered(self, form: ReportForm, lang: Language) -> Moved:
        """A button answered the question: the next one replaces it on screen."""
        form, question = self._advance(form, lang, replaces=True)
        return form, [question]

    def _ask(self, form: ReportForm, lang: Language, *, replaces: bool = False) -> Reply:
        return self._questions.ask(form, lang, replaces=replaces)
