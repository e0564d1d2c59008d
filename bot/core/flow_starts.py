"""Starting the guided report, the scam check and the list of report statuses, from wherever
they are asked for (a command, a button, a recognised question). Each falls back to its
topic's answer when its service is not configured (the terminal without a database)."""

from __future__ import annotations

from bot.core.buttons import ButtonMaker
from bot.core.languages import Language
from bot.core.messages import Reply
from bot.core.ports import Translator
from bot.core.replies import REPORT_TOPIC, ReplyKit
from bot.core.report_flow import ReportDesk, ReportFlow
from bot.core.report_status import status_list
from bot.core.scam_check_flow import ScamCheckFlow
from bot.core.session import Session


class FlowStarts:
    def __init__(
        self,
        kit: ReplyKit,
        buttons: ButtonMaker,
        translator: Translator,
        desk: ReportDesk | None,
        reports: ReportFlow | None,
        scam: ScamCheckFlow | None,
    ) -> None:
        self._kit = kit
        self._buttons = buttons
        self._tr = translator
        self._desk = desk
        self._reports = reports
        self._scam = scam

    def report(self, session: Session, lang: Language, platform: str | None = None) -> list[Reply]:
        if self._reports is None:
            return [self._kit.topic(REPORT_TOPIC, lang)]
        return self._reports.start(session, lang, platform)

    def scam(self, session: Session, lang: Language, value: str) -> list[Reply]:
        if self._scam is None:
            return [self._kit.topic("faq_scam_identify", lang)]
        if value == "report":
            pending = self._scam.to_report(session.user_key)
            if self._reports is None:
                return [self._kit.topic(REPORT_TOPIC, lang)]
            platform = pending.platform if pending else None
            link = (pending.url or "") if pending else ""
            return self._reports.start(session, lang, platform, scam_link=link)
        return [self._scam.start(session, lang)]

    def status(self, session: Session, lang: Language) -> list[Reply]:
        if self._desk is None:
            return [self._kit.topic("report_status", lang)]
        summaries = self._desk.store.summaries(session.user_key)
        after = [self._buttons.report(lang), self._buttons.main_menu_button(lang)]
        return [status_list(self._tr, lang, summaries, after)]
