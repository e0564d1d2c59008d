""" "Is this a scam?" as a conversation.

| how it starts                                        | what happens                          |
|------------------------------------------------------|---------------------------------------|
| /check, the menu button, or the button under an answer | asks for the message, link or number |
| the next text after that                             | checked, whatever it says             |
| "is this a scam? <link or number>", in any language  | checked at once                       |
| a forwarded message with a link or number            | checked at once                       |
| a link or number whose words show a scam pattern     | checked at once                       |

Privacy: the pasted text is not stored. To let "Report this" fill in the link, the first link and
the platform are held in memory for PENDING_MINUTES, never written anywhere, and dropped by
/forget; after a restart the report simply asks for the link.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core import callbacks
from bot.core.buttons import ButtonMaker
from bot.core.identity import UserKey
from bot.core.languages import Language
from bot.core.links import accept_link, guess_platform
from bot.core.messages import Button, Reply
from bot.core.ports import AnswerBook, Clock, NluResult, Translator
from bot.core.scam_check import CheckResult, Item, ScamChecker
from bot.core.scam_check_reply import verdict_text
from bot.core.session import Session

FLOW = "scam_check"
PENDING_MINUTES = 30
# "Is this a scam?" questions: with a link or number in them, they are checked, not answered.
CHECK_INTENTS = frozenset(
    {
        "faq_scam_identify",
        "faq_phishing",
        "faq_shopping_scam",
        "faq_job_mule",
        "faq_loan_harassment",
        "faq_impersonation",
    }
)


@dataclass(frozen=True)
class Pending:
    """What "Report this" fills in after a check."""

    url: str | None
    platform: str | None
    until: datetime


class ScamCheckFlow:
    def __init__(
        self,
        checker: ScamChecker,
        answers: AnswerBook,
        translator: Translator,
        buttons: ButtonMaker,
        clock: Clock,
    ) -> None:
        self._checker = checker
        self._answers = answers
        self._tr = translator
        self._buttons = buttons
        self._clock = clock
        self._pending: dict[UserKey, Pending] = {}

    def start(self, session: Session, lang: Language) -> Reply:
        session.flow, session.flow_state = FLOW, {}
        text = self._tr.gettext(
            lang,
            "Paste or forward the message, link, phone number or bank account number you want "
            "me to check. I don't keep it unless you go on to report it.",
        )
        return Reply(text, (self._buttons.main_menu_button(lang),), language=lang)

    def wants(self, text: str, result: NluResult, *, forwarded: bool) -> bool:
        """Whether free text is itself something to check (see the table above)."""
        if not (forwarded or result.intent in CHECK_INTENTS or result.scam_signals):
            return False
        items, _ = self._checker.items(text)
        return bool(items)

    def check(self, session: Session, text: str, result: NluResult, lang: Language) -> Reply:
        if session.flow == FLOW:
            session.flow, session.flow_state = None, {}
        checked = self._checker.check(text, result.scam_signals)
        platform = _platform(checked, result)
        self._remember(session.user_key, checked, platform)
        buttons = [
            Button(
                "📣 " + self._tr.gettext(lang, "Report this"),
                callbacks.encode("scan", "report"),
            ),
            Button(
                "🔎 " + self._tr.gettext(lang, "Check another"),
                callbacks.encode("scan", "start"),
            ),
        ]
        mule = self._answers.contact("semak_mule", lang)
        if mule and mule.url:
            buttons.append(Button("🔗 " + mule.name, url=mule.url))
        buttons.append(self._buttons.main_menu_button(lang))
        text_out = verdict_text(self._tr, self._answers, lang, checked)
        return Reply(text_out, tuple(buttons), language=lang, topic=FLOW)

    def to_report(self, user_key: UserKey) -> Pending | None:
        """What the last check (within PENDING_MINUTES) fills into a report; used once."""
        pending = self._pending.pop(user_key, None)
        if pending is None or pending.until < self._clock.now():
            return None
        return pending

    def forget(self, user_key: UserKey) -> None:
        self._pending.pop(user_key, None)

    def _remember(self, user_key: UserKey, checked: CheckResult, platform: str | None) -> None:
        now = self._clock.now()
        self._pending = {k: p for k, p in self._pending.items() if p.until >= now}
        link = checked.first_link()
        url = _url_of(link) if link is not None else None
        self._pending[user_key] = Pending(url, platform, now + timedelta(minutes=PENDING_MINUTES))


def _url_of(link: Item) -> str | None:
    """The link as a report would keep it; None for what a report refuses (javascript:, IPs)."""
    return accept_link("https://" + link.value) if link.host else None


def _platform(checked: CheckResult, result: NluResult) -> str | None:
    for item in checked.items:
        if item.kind == "link" and guess_platform(item.value) != "other":
            return guess_platform(item.value)
    return next((e.value for e in result.entities if e.entity == "platform"), None)
