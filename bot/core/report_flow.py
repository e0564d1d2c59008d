"""The guided report: a small state machine kept in the session, so it survives restarts.

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
from datetime import timedelta
from typing import Any

from bot.core.buttons import ButtonMaker
from bot.core.identity import UserKey
from bot.core.incident_date import malaysia_today
from bot.core.languages import Language
from bot.core.messages import Attachment, Reply
from bot.core.ports import AnswerBook, Clock, EvidenceStore, ReportStore, Translator
from bot.core.report import CATEGORIES, MAX_DESCRIPTION, PLATFORMS
from bot.core.report_answers import TypedAnswers
from bot.core.report_filing import ReportFiling
from bot.core.report_questions import ReportQuestions
from bot.core.report_screenshots import ScreenshotStep
from bot.core.report_steps import EDITABLE, ORDER, Step, step_of
from bot.core.session import Session

FLOW = "report"
Pressed = Callable[[dict[str, Any], str, Language, Session], "list[Reply] | None"]
Typed = Callable[[dict[str, Any], str, Language], "list[Reply]"]


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
    def start(self, session: Session, lang: Language, platform: str | None = None) -> list[Reply]:
        if session.flow == FLOW:
            note = self._t(lang, "You have a report in progress. Let's continue where you were.")
            return [Reply(note, language=lang), self._ask(session.flow_state, lang)]
        session.flow = FLOW
        session.flow_state = {"step": Step.TRIAGE.value}
        if platform in PLATFORMS:
            session.flow_state["platform"] = platform
        intro = self._t(
            lang,
            "I will help you report harmful content to MCMC's complaint system: this bot "
            "sends your report there and tells you its official number. It takes about two "
            "minutes; you can go back at any step or type /cancel to stop. Please also use the "
            "app's own Report option on the post or account: the platform can act on it too. "
            "If it is a crime (threats, fraud, sexual images of a child), also make a police "
            "report.",
        )
        return [Reply(intro, language=lang), self._ask(session.flow_state, lang)]

    def on_button(
        self, session: Session, step: Step, choice: str, lang: Language
    ) -> list[Reply] | None:
        """None when the press does not belong to the step on screen (stale)."""
        state = session.flow_state
        if session.flow != FLOW or state.get("step") != step.value:
            return None
        if choice == "cancel":
            self._screens.drop(session)
            session.flow, session.flow_state = None, {}
            text = self._t(lang, "Report cancelled. Nothing was sent.")
            return [Reply(text, tuple(self._buttons.menu(lang)), lang, replaces_menu=True)]
        if choice == "back":
            state["step"] = self._previous(state)
            return [self._ask(state, lang, replaces=True)]
        handler = self._pressed.get(step)
        return handler(state, choice, lang, session) if handler else None

    def on_text(self, session: Session, text: str, lang: Language) -> list[Reply]:
        state = session.flow_state
        step = step_of(state.get("step"))
        reader = self._typed.get(step) if step else None
        if reader is None:
            hint = self._t(
                lang,
                "Please choose one of the buttons below, or type /cancel to stop the report.",
            )
            return [Reply(hint, language=lang), self._ask(state, lang)]
        return reader(state, text.strip(), lang)

    async def on_media(
        self, session: Session, attachment: Attachment | None, lang: Language
    ) -> list[Reply]:
        return await self._screens.on_media(session, attachment, lang, self._ask)

    # ---- steps -----------------------------------------------------------------------------
    def _advance(self, state: dict[str, Any], lang: Language, *, replaces: bool) -> Reply:
        if state.pop("editing", False):
            state["step"] = Step.SUMMARY.value
        else:
            state["step"] = self._next(state).value
        return self._ask(state, lang, replaces=replaces)

    def _next(self, state: dict[str, Any]) -> Step:
        index = ORDER.index(Step(state["step"])) + 1
        while index < len(ORDER) and self._skipped(ORDER[index], state):
            index += 1
        return ORDER[index]

    def _previous(self, state: dict[str, Any]) -> str:
        if state.pop("editing", False):
            return Step.SUMMARY.value
        index = ORDER.index(Step(state["step"])) - 1
        while index > 0 and self._skipped(ORDER[index], state):
            index -= 1
        return ORDER[max(index, 0)].value

    def _skipped(self, step: Step, state: dict[str, Any]) -> bool:
        """| step        | skipped when                                        |
        |-------------|-----------------------------------------------------|
        | screenshots | a child may be in them, or no evidence store        |
        | category    | triage said it shows a child (csam already chosen)  |
        | platform    | the platform came with the request ("report this tiktok") |
        | child?      | the category is csam (a child, by definition)       |
        | name, phone, email | the person chose to stay anonymous           |
        """
        if step is Step.SCREENSHOTS:
            return not self._screens.applies(state)
        if step is Step.CATEGORY:
            return state.get("triage") == "child"
        if step is Step.PLATFORM:
            return "platform" in state and not state.get("platform_asked")
        if step is Step.CHILD:
            return state.get("category") == "csam"
        if step in (Step.NAME, Step.PHONE, Step.EMAIL):
            return not state.get("contact_consent")
        return False

    def _on_triage(
        self, state: dict[str, Any], choice: str, lang: Language, session: Session
    ) -> list[Reply] | None:
        if choice not in ("money", "danger", "child", "none"):
            return None
        state["triage"] = choice
        urgent: list[Reply] = []
        if choice == "money":
            state["category"] = "financial_fraud"
            text = self._t(
                lang,
                "**First, call the National Scam Response Centre now**, and your bank's 24-hour "
                "fraud line. Don't wait for this report: the sooner they know, the better.",
            )
            urgent.append(self._urgent(text, "nsrc", lang))
        elif choice == "danger":
            text = self._t(
                lang, "**If someone is in danger now, call 999 first.** This report can wait."
            )
            urgent.append(self._urgent(text, "emergency", lang))
        elif choice == "child":
            state["category"] = "csam"
            state["involves_child"] = True
            text = self._t(
                lang,
                "**Do not download, screenshot or forward it** — not even as evidence. "
                "Only the link is needed; I will ask for it in a moment.",
            )
            urgent.append(Reply(text, language=lang, protect=True))
        return [*urgent, self._advance(state, lang, replaces=not urgent)]

    def _urgent(self, text: str, contact: str, lang: Language) -> Reply:
        card = self._answers.contact(contact, lang)
        body = f"{text}\n\n{card.text}" if card else text
        return Reply(body, language=lang)

    def _on_category(
        self, state: dict[str, Any], choice: str, lang: Language, session: Session
    ) -> list[Reply] | None:
        if choice not in CATEGORIES:
            return None
        state["category"] = choice
        if choice == "csam":
            state["involves_child"] = True
            self._screens.drop(session)
            warning = self._t(
                lang,
                "**Do not download, screenshot or forward it** — not even as evidence. "
                "Only the link is needed; I will ask for it in a moment.",
            )
            return [
                Reply(warning, language=lang, protect=True),
                self._advance(state, lang, replaces=False),
            ]
        dropped = self._screens.drop_if_not_allowed(session, lang)
        return [*dropped, self._advance(state, lang, replaces=not dropped)]

    def _on_platform(
        self, state: dict[str, Any], choice: str, lang: Language, session: Session
    ) -> list[Reply] | None:
        if choice not in PLATFORMS:
            return None
        state["platform"] = choice
        state["platform_asked"] = True
        return [self._advance(state, lang, replaces=True)]

    def _on_links(
        self, state: dict[str, Any], choice: str, lang: Language, session: Session
    ) -> list[Reply] | None:
        if choice != "none":
            return None
        state["urls"] = []
        return [self._advance(state, lang, replaces=True)]

    def _on_description(
        self, state: dict[str, Any], choice: str, lang: Language, session: Session
    ) -> list[Reply] | None:
        long_text = str(state.get("long_description") or "")
        if choice != "trim" or not long_text:
            return None
        state["description"] = long_text[:MAX_DESCRIPTION].rstrip()
        state.pop("long_description", None)
        return [self._advance(state, lang, replaces=True)]

    def _on_when(
        self, state: dict[str, Any], choice: str, lang: Language, session: Session
    ) -> list[Reply] | None:
        today = malaysia_today(self._clock.now())
        dates = {"today": today, "yesterday": today - timedelta(days=1), "skip": None}
        if choice not in dates:
            return None
        picked = dates[choice]
        state["incident_date"] = picked.isoformat() if picked else None
        return [self._advance(state, lang, replaces=True)]

    def _on_child(
        self, state: dict[str, Any], choice: str, lang: Language, session: Session
    ) -> list[Reply] | None:
        if choice not in ("yes", "no", "unsure"):
            return None
        state["involves_child"] = choice == "yes"
        state["child"] = choice
        dropped = self._screens.drop_if_not_allowed(session, lang)
        return [*dropped, self._advance(state, lang, replaces=not dropped)]

    def _on_screenshots(
        self, state: dict[str, Any], choice: str, lang: Language, session: Session
    ) -> list[Reply] | None:
        if choice == "clear":
            self._screens.drop(session)
            return [self._ask(state, lang, replaces=True)]
        if choice != "done":
            return None
        return [self._advance(state, lang, replaces=True)]

    def _on_contact(
        self, state: dict[str, Any], choice: str, lang: Language, session: Session
    ) -> list[Reply] | None:
        if choice not in ("anon", "contact"):
            return None
        state["contact_consent"] = choice == "contact"
        if choice == "anon":
            for field in ("name", "phone", "email"):
                state.pop(field, None)
        return [self._advance(state, lang, replaces=True)]

    def _on_phone(
        self, state: dict[str, Any], choice: str, lang: Language, session: Session
    ) -> list[Reply] | None:
        if choice != "skip":
            return None
        state.pop("phone", None)
        return [self._advance(state, lang, replaces=True)]

    def _on_email(
        self, state: dict[str, Any], choice: str, lang: Language, session: Session
    ) -> list[Reply] | None:
        if choice != "skip":
            return None
        if not state.get("phone"):
            text = self._t(
                lang, "Please give a phone number or an email, or choose to stay anonymous."
            )
            state["step"] = Step.CONTACT.value
            return [Reply(text, language=lang), self._ask(state, lang)]
        state.pop("email", None)
        return [self._advance(state, lang, replaces=True)]

    def _on_summary(
        self, state: dict[str, Any], choice: str, lang: Language, session: Session
    ) -> list[Reply] | None:
        if choice == "confirm":
            return self._filing.confirm(session, lang)
        if choice == "edit":
            return [self._questions.edit_menu(state, lang)]
        edited = step_of(choice[2:]) if choice.startswith("e_") else None
        if edited in EDITABLE:
            state["step"] = edited.value
            state["editing"] = True
            if edited is Step.PLATFORM:
                state["platform_asked"] = True
            return [self._ask(state, lang, replaces=True)]
        return None

    def _ask(self, state: dict[str, Any], lang: Language, *, replaces: bool = False) -> Reply:
        return self._questions.ask(state, lang, replaces=replaces)
