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
from bot.core.contact_details import MAX_NAME, valid_email, valid_phone
from bot.core.identity import UserKey
from bot.core.incident_date import is_dont_know, malaysia_today, parse_incident_date
from bot.core.links import extract_links, no_link
from bot.core.messages import Attachment, Button, Language, Reply
from bot.core.ports import AnswerBook, Clock, EvidenceStore, ReportStore, Translator
from bot.core.report import CATEGORIES, MAX_DESCRIPTION, PLATFORMS
from bot.core.report_filing import ReportFiling
from bot.core.report_questions import EDITABLE, ReportQuestions
from bot.core.report_screenshots import ScreenshotStep
from bot.core.session import Session

FLOW = "report"
STEPS = (
    "tri", "cat", "plt", "lnk", "dsc", "whn", "chd", "evd", "cnt", "nam", "phn", "eml", "sum"
)  # fmt: skip


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
        per_day: int = 5,
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

    def _t(self, lang: Language, message: str, **values: object) -> str:
        return self._tr.gettext(lang, message, **values)

    # ---- entry points ----------------------------------------------------------------------
    def start(self, session: Session, lang: Language, platform: str | None = None) -> list[Reply]:
        if session.flow == FLOW:
            note = self._t(lang, "You have a report in progress. Let's continue where you were.")
            return [Reply(note, language=lang), self._ask(session.flow_state, lang)]
        session.flow = FLOW
        session.flow_state = {"step": "tri"}
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

    def on_button(self, session: Session, value: str, lang: Language) -> list[Reply] | None:
        """None when the press does not belong to the step on screen (stale)."""
        step, _, choice = value.partition(".")
        state = session.flow_state
        if session.flow != FLOW or state.get("step") != step:
            return None
        if choice == "cancel":
            self._screens.drop(session)
            session.flow, session.flow_state = None, {}
            text = self._t(lang, "Report cancelled. Nothing was sent.")
            return [Reply(text, tuple(self._buttons.menu(lang)), lang, replaces_menu=True)]
        if choice == "back":
            state["step"] = self._previous(state)
            return [self._ask(state, lang, replaces=True)]
        handler = getattr(self, f"_on_{step}", None)
        if handler is None:
            return None
        replies: list[Reply] | None = handler(state, choice, lang, session)
        return replies

    def on_text(self, session: Session, text: str, lang: Language) -> list[Reply]:
        state = session.flow_state
        step = str(state.get("step"))
        readers: dict[str, Callable[[dict[str, Any], str, Language], list[Reply]]] = {
            "lnk": self._read_links,
            "dsc": self._read_description,
            "whn": self._read_when,
            "nam": self._read_name,
            "phn": self._read_phone,
            "eml": self._read_email,
        }
        reader = readers.get(step)
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
            state["step"] = "sum"
        else:
            state["step"] = self._next(state)
        return self._ask(state, lang, replaces=replaces)

    def _next(self, state: dict[str, Any]) -> str:
        step = str(state["step"])
        index = STEPS.index(step) + 1
        while index < len(STEPS) and self._skipped(STEPS[index], state):
            index += 1
        return STEPS[index]

    def _previous(self, state: dict[str, Any]) -> str:
        if state.pop("editing", False):
            return "sum"
        return self._previous_of(str(state["step"]), state)

    def _previous_of(self, step: str, state: dict[str, Any]) -> str:
        index = STEPS.index(step) - 1
        while index > 0 and self._skipped(STEPS[index], state):
            index -= 1
        return STEPS[max(index, 0)]

    def _skipped(self, step: str, state: dict[str, Any]) -> bool:
        if step == "evd":
            return not self._screens.applies(state)
        if step == "cat":
            return state.get("triage") == "child"
        if step == "plt":
            return "platform" in state and not state.get("platform_asked")
        if step == "chd":
            return state.get("category") == "csam"
        if step in ("nam", "phn", "eml"):
            return not state.get("contact_consent")
        return False

    def _on_tri(
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

    def _on_cat(
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

    def _on_plt(
        self, state: dict[str, Any], choice: str, lang: Language, session: Session
    ) -> list[Reply] | None:
        if choice not in PLATFORMS:
            return None
        state["platform"] = choice
        state["platform_asked"] = True
        return [self._advance(state, lang, replaces=True)]

    def _on_lnk(
        self, state: dict[str, Any], choice: str, lang: Language, session: Session
    ) -> list[Reply] | None:
        if choice != "none":
            return None
        state["urls"] = []
        return [self._advance(state, lang, replaces=True)]

    def _on_dsc(
        self, state: dict[str, Any], choice: str, lang: Language, session: Session
    ) -> list[Reply] | None:
        long_text = str(state.get("long_description") or "")
        if choice != "trim" or not long_text:
            return None
        state["description"] = long_text[:MAX_DESCRIPTION].rstrip()
        state.pop("long_description", None)
        return [self._advance(state, lang, replaces=True)]

    def _on_whn(
        self, state: dict[str, Any], choice: str, lang: Language, session: Session
    ) -> list[Reply] | None:
        today = malaysia_today(self._clock.now())
        dates = {"today": today, "yesterday": today - timedelta(days=1), "skip": None}
        if choice not in dates:
            return None
        picked = dates[choice]
        state["incident_date"] = picked.isoformat() if picked else None
        return [self._advance(state, lang, replaces=True)]

    def _on_chd(
        self, state: dict[str, Any], choice: str, lang: Language, session: Session
    ) -> list[Reply] | None:
        if choice not in ("yes", "no", "unsure"):
            return None
        state["involves_child"] = choice == "yes"
        state["child"] = choice
        dropped = self._screens.drop_if_not_allowed(session, lang)
        return [*dropped, self._advance(state, lang, replaces=not dropped)]

    def _on_evd(
        self, state: dict[str, Any], choice: str, lang: Language, session: Session
    ) -> list[Reply] | None:
        if choice == "clear":
            self._screens.drop(session)
            return [self._ask(state, lang, replaces=True)]
        if choice != "done":
            return None
        return [self._advance(state, lang, replaces=True)]

    def _on_cnt(
        self, state: dict[str, Any], choice: str, lang: Language, session: Session
    ) -> list[Reply] | None:
        if choice not in ("anon", "contact"):
            return None
        state["contact_consent"] = choice == "contact"
        if choice == "anon":
            for field in ("name", "phone", "email"):
                state.pop(field, None)
        return [self._advance(state, lang, replaces=True)]

    def _on_phn(
        self, state: dict[str, Any], choice: str, lang: Language, session: Session
    ) -> list[Reply] | None:
        if choice != "skip":
            return None
        state.pop("phone", None)
        return [self._advance(state, lang, replaces=True)]

    def _on_eml(
        self, state: dict[str, Any], choice: str, lang: Language, session: Session
    ) -> list[Reply] | None:
        if choice != "skip":
            return None
        if not state.get("phone"):
            text = self._t(
                lang, "Please give a phone number or an email, or choose to stay anonymous."
            )
            state["step"] = "cnt"
            return [Reply(text, language=lang), self._ask(state, lang)]
        state.pop("email", None)
        return [self._advance(state, lang, replaces=True)]

    def _on_sum(
        self, state: dict[str, Any], choice: str, lang: Language, session: Session
    ) -> list[Reply] | None:
        if choice == "confirm":
            return self._filing.confirm(session, lang)
        if choice == "edit":
            return [self._questions.edit_menu(state, lang)]
        if choice.startswith("e_") and choice[2:] in EDITABLE:
            state["step"] = choice[2:]
            state["editing"] = True
            if state["step"] == "plt":
                state["platform_asked"] = True
            return [self._ask(state, lang, replaces=True)]
        return None

    # ---- free-text steps ---------------------------------------------------------------------
    def _read_links(self, state: dict[str, Any], text: str, lang: Language) -> list[Reply]:
        if no_link(text):
            state["urls"] = []
            return [self._advance(state, lang, replaces=False)]
        found = extract_links(text)
        if not found.urls:
            hint = self._t(
                lang,
                "I couldn't find a link in that. A link starts with https:// or looks like "
                'tiktok.com/… — or press "I don\'t have a link".',
            )
            return [Reply(hint, language=lang), self._ask(state, lang)]
        state["urls"] = list(found.urls)
        notes = [self._t(lang, "Got {count} link(s).", count=len(found.urls))]
        if found.rejected:
            notes.append(
                self._t(
                    lang,
                    "I left out {count} that were not web links (only http and https links "
                    "can be checked).",
                    count=len(found.rejected),
                )
            )
        if found.over_limit:
            notes.append(self._t(lang, "A report takes at most 10 links; I kept the first 10."))
        return [Reply(" ".join(notes), language=lang), self._advance(state, lang, replaces=False)]

    def _read_description(self, state: dict[str, Any], text: str, lang: Language) -> list[Reply]:
        if not text:
            return [self._ask(state, lang)]
        if len(text) > MAX_DESCRIPTION:
            state["long_description"] = text
            ask = self._t(
                lang,
                "That is {length} characters; a report can hold {limit}. Nothing is lost: "
                "please send a shorter version, or keep the first {limit} characters.",
                length=len(text),
                limit=MAX_DESCRIPTION,
            )
            trim = Button(
                self._t(lang, "Keep the first {limit} characters", limit=MAX_DESCRIPTION),
                self._questions.data("dsc", "trim"),
            )
            return [Reply(ask, (trim, *self._questions.nav("dsc", lang)), lang)]
        state["description"] = text
        state.pop("long_description", None)
        return [self._advance(state, lang, replaces=False)]

    def _read_when(self, state: dict[str, Any], text: str, lang: Language) -> list[Reply]:
        if is_dont_know(text):
            state["incident_date"] = None
            return [self._advance(state, lang, replaces=False)]
        when = parse_incident_date(text, malaysia_today(self._clock.now()))
        if when is None:
            hint = self._t(
                lang,
                'I couldn\'t read that date. Try "yesterday", "3 days ago" or 20/11/2026, '
                'or press "Not sure".',
            )
            return [Reply(hint, language=lang), self._ask(state, lang)]
        state["incident_date"] = when.isoformat()
        return [self._advance(state, lang, replaces=False)]

    def _read_name(self, state: dict[str, Any], text: str, lang: Language) -> list[Reply]:
        if len(text) > MAX_NAME:
            hint = self._t(
                lang, "That name is too long. Please use at most {max} characters.", max=MAX_NAME
            )
            return [Reply(hint, language=lang), self._ask(state, lang)]
        if not text:
            return [self._ask(state, lang)]
        state["name"] = text
        return [self._advance(state, lang, replaces=False)]

    def _read_phone(self, state: dict[str, Any], text: str, lang: Language) -> list[Reply]:
        if not valid_phone(text):
            hint = self._t(lang, "That doesn't look like a phone number. Example: 012-345 6789.")
            return [Reply(hint, language=lang), self._ask(state, lang)]
        state["phone"] = text
        return [self._advance(state, lang, replaces=False)]

    def _read_email(self, state: dict[str, Any], text: str, lang: Language) -> list[Reply]:
        if not valid_email(text):
            hint = self._t(lang, "That doesn't look like an email address.")
            return [Reply(hint, language=lang), self._ask(state, lang)]
        state["email"] = text
        return [self._advance(state, lang, replaces=False)]

    def _ask(self, state: dict[str, Any], lang: Language, *, replaces: bool = False) -> Reply:
        return self._questions.ask(state, lang, replaces=replaces)
