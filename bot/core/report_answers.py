"""What the person types at the steps that take text (links, what happened, when, name,
phone, email): each is checked, kept in the report's state, and answered with the next question,
or with a kind hint and the same question again. Nothing typed is ever lost."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from bot.core.contact_details import MAX_NAME, valid_email, valid_phone
from bot.core.incident_date import is_dont_know, malaysia_today, parse_incident_date
from bot.core.languages import Language
from bot.core.links import extract_links, no_link
from bot.core.messages import Button, Reply
from bot.core.ports import Clock, Translator
from bot.core.report import MAX_DESCRIPTION
from bot.core.report_form import ReportForm
from bot.core.report_questions import ReportQuestions

Advance = Callable[..., tuple[ReportForm, Reply]]
Ask = Callable[..., Reply]
Moved = tuple[ReportForm, list[Reply]]


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

    def _next(self, form: ReportForm, lang: Language, *before: Reply) -> Moved:
        form, question = self._advance(form, lang, replaces=False)
        return form, [*before, question]

    def _again(self, form: ReportForm, lang: Language, hint: str) -> Moved:
        """A kind hint, and the same question: nothing typed so far is lost."""
        return form, [Reply(hint, language=lang), self._ask(form, lang)]

    def links(self, form: ReportForm, text: str, lang: Language) -> Moved:
        if no_link(text):
            return self._next(replace(form, urls=()), lang)
        found = extract_links(text)
        if not found.urls:
            hint = self._t(
                lang,
                "I couldn't find a link in that. A link starts with https:// or looks like "
                'tiktok.com/… — or press "I don\'t have a link".',
            )
            return self._again(form, lang, hint)
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
        form = replace(form, urls=tuple(found.urls))
        return self._next(form, lang, Reply(" ".join(notes), language=lang))

    def description(self, form: ReportForm, text: str, lang: Language) -> Moved:
        if not text:
            return form, [self._ask(form, lang)]
        if len(text) > MAX_DESCRIPTION:
            form = replace(form, long_description=text)
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
            return form, [Reply(ask, (trim, *self._questions.nav("dsc", lang)), lang)]
        return self._next(replace(form, description=text, long_description=None), lang)

    def when(self, form: ReportForm, text: str, lang: Language) -> Moved:
        if is_dont_know(text):
            return self._next(replace(form, incident_date=None), lang)
        when = parse_incident_date(text, malaysia_today(self._clock.now()))
        if when is None:
            hint = self._t(
                lang,
                'I couldn\'t read that date. Try "yesterday", "3 days ago" or 20/11/2026, '
                'or press "Not sure".',
            )
            return self._again(form, lang, hint)
        return self._next(replace(form, incident_date=when.isoformat()), lang)

    def name(self, form: ReportForm, text: str, lang: Language) -> Moved:
        if len(text) > MAX_NAME:
            hint = self._t(
                lang, "That name is too long. Please use at most {max} characters.", max=MAX_NAME
            )
            return self._again(form, lang, hint)
        if not text:
            return form, [self._ask(form, lang)]
        return self._next(replace(form, name=text), lang)

    def phone(self, form: ReportForm, text: str, lang: Language) -> Moved:
        if not valid_phone(text):
            hint = self._t(lang, "That doesn't look like a phone number. Example: 012-345 6789.")
            return self._again(form, lang, hint)
        return self._next(replace(form, phone=text), lang)

    def email(self, form: ReportForm, text: str, lang: Language) -> Moved:
        if not valid_email(text):
            hint = self._t(lang, "That doesn't look like an email address.")
            return self._again(form, lang, hint)
        return self._next(replace(form, email=text), lang)
