"""Confirming a guided report: duplicates and the day's limit are checked, then the report is
filed (with its outbox entry, in one transaction) and the person gets a reference at once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from bot.core.buttons import ButtonMaker
from bot.core.identity import UserKey
from bot.core.languages import Language
from bot.core.messages import Button, Reply
from bot.core.ports import AnswerBook, Clock, ReportStore, Translator
from bot.core.report import Report
from bot.core.report_form import ReportForm
from bot.core.report_screenshots import ScreenshotStep
from bot.core.session import Session


class ReportFiling:
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
        screens: ScreenshotStep,
    ) -> None:
        self._answers = answers
        self._tr = translator
        self._buttons = buttons
        self._store = store
        self._clock = clock
        self._pseudonym = pseudonym
        self._per_day = per_day
        self._screens = screens

    def _t(self, lang: Language, message: str, **values: object) -> str:
        return self._tr.gettext(lang, message, **values)

    def _already_sent(self, reference: str, lang: Language) -> Reply:
        text = self._t(
            lang,
            "You already sent this report: its reference is {reference}. I did not send "
            "it again. Type /status to see how it is going.",
            reference=reference,
        )
        return Reply(text, tuple(self._buttons.menu(lang)), lang, replaces_menu=True)

    def confirm(
        self, session: Session, form: ReportForm, lang: Language
    ) -> tuple[ReportForm, list[Reply]]:
        """Files the report unless it is a duplicate or over the day's limit; the session's
        report ends when it is filed or found to be a duplicate."""
        draft = form.draft(lang)
        now = self._clock.now()
        earlier = self._store.find_duplicate(session.user_key, draft.fingerprint())
        if earlier is not None:
            session.flow, session.flow_state = None, {}
            form = self._screens.drop(session.user_key, form)
            return form, [self._already_sent(earlier.reference, lang)]
        if self._store.count_since(session.user_key, now - timedelta(days=1)) >= self._per_day:
            text = self._t(
                lang,
                "You have sent {count} reports today, the most I can take from one person in a "
                "day. Your answers are kept: press Confirm again tomorrow, or report directly "
                "on the MCMC complaint portal.",
                count=self._per_day,
            )
            card = self._answers.contact("mcmc", lang)
            links = (Button("🔗 " + card.name, url=card.url),) if card and card.url else ()
            return form, [Reply(text, links, lang)]
        report = Report(
            draft=draft,
            channel=session.user_key.channel,
            submitted_at=now,
            user_key=session.user_key,
            reporter_ref=self._pseudonym(session.user_key),
            evidence_ids=form.evidence if self._screens.applies(form) else (),
        )
        report = self._store.file(report)
        session.flow, session.flow_state = None, {}
        text = self._t(
            lang,
            "**Thank you. Your report is saved.** Your reference is **{reference}**.\n\n"
            "What happens next:\n"
            "1. I send it to the complaint system. If the connection is down, I keep trying: "
            "nothing is lost and it is never sent twice.\n"
            "2. When it is received, I will message you its official complaint number.\n"
            "3. I will tell you here when its status changes. Type /status any time.",
            reference=report.reference,
        )
        reply = Reply(text, (self._buttons.main_menu_button(lang),), lang, replaces_menu=True)
        return form, [reply]
