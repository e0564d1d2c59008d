"""What the person types at the steps that take text (links, what happened, when, name,
phone, email): each is checked, kept in the report's state, and answered with the next question,
or with a kind hint and the same question again. Nothing typed is ever lost."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.core.contact_details import MAX_NAME, valid_email, valid_phone
from bot.core.incident_date import is_dont_know, malaysia_today, parse_incident_date
from bot.core.languages import Language
from bot.core.links import extract_links, no_link
from bot.core.messages import Button, Reply
from bot.core.ports import Clock, Translator
from bot.core.report import MAX_DESCRIPTION
from bot.core.report_questions import ReportQuestions

Advance = Callable[..., Reply]
Ask = Callable[..., Reply]


class TypedAnswers:
    def __init__(
        self,
        translator: Translator,
        clock: Clock,
        questions: ReportQuestions,
        advance: Advance,
        ask: Ask,
    ) -> None:
        self._tr = translator
        self._clock = clock
        self._questions = questions
        self._advance = advance
        self._ask = ask

    def _t(self, lang: Language, message: str, **values: object) -> str:
        return self._tr.gettext(lang, message, **values)

    def links(self, state: dict[str, Any], text: str, lang: Language) -> list[Reply]:
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

    def description(self, state: dict[str, Any], text: str, lang: Language) -> list[Reply]:
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

    def when(self, state: dict[str, Any], text: str, lang: Language) -> list[Reply]:
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

    def name(self, state: dict[str, Any], text: str, lang: Language) -> list[Reply]:
        if len(text) > MAX_NAME:
            hint = self._t(
                lang, "That name is too long. Please use at most {max} characters.", max=MAX_NAME
            )
            return [Reply(hint, language=lang), self._ask(state, lang)]
        if not text:
            return [self._ask(state, lang)]
        state["name"] = text
        return [self._advance(state, lang, replaces=False)]

    def phone(self, state: dict[str, Any], text: str, lang: Language) -> list[Reply]:
        if not valid_phone(text):
            hint = self._t(lang, "That doesn't look like a phone number. Example: 012-345 6789.")
            return [Reply(hint, language=lang), self._ask(state, lang)]
        state["phone"] = text
        return [self._advance(state, lang, replaces=False)]

    def email(self, state: dict[str, Any], text: str, lang: Language) -> list[Reply]:
        if not valid_email(text):
            hint = self._t(lang, "That doesn't look like an email address.")
            return [Reply(hint, language=lang), self._ask(state, lang)]
        state["email"] = text
        return [self._advance(state, lang, replaces=False)]
