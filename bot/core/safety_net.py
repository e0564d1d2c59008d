"""The safety net: the action to take now comes before any topic guessing.

Three jobs, each about not letting an unsure topic guess bury an urgent line:

| when                                   | the person first sees                           |
|----------------------------------------|-------------------------------------------------|
| the risk screen raised classes         | their crisis cards, most urgent first (protected)|
| the topic is only guessed at           | the top guess's urgent line, then the question  |
| a short follow-up the model can't place| the recent topic's urgent line and next steps,  |
|   within `CONTEXT_MINUTES` of it       |   or the recent risk's card again               |

Sensitivity never raises the bar for answering; it raises the need to show the urgent line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.buttons import ButtonMaker
from bot.core.languages import Language
from bot.core.messages import Button, Reply
from bot.core.ports import AnswerBook, Clock, Translator
from bot.core.risk import RiskClass, known
from bot.core.session import Session

CONTEXT_MINUTES = 10
FOLLOW_UP_CHARS = 200
MAX_BUTTONS = 4


@dataclass(frozen=True)
class Recent:
    topic: str | None
    risks: tuple[RiskClass, ...]


class SafetyNet:
    def __init__(
        self, answers: AnswerBook, translator: Translator, buttons: ButtonMaker, clock: Clock
    ) -> None:
        self._answers = answers
        self._tr = translator
        self._buttons = buttons
        self._clock = clock

    def cards(self, risks: tuple[RiskClass, ...], lang: Language) -> Reply | None:
        """One protected message: every raised class's card, in the order the screen gives them
        (sure classes first, most urgent first), so the first line is the action that matters
        most for this message."""
        ordered = tuple(dict.fromkeys(risks))
        found = [a for a in (self._answers.crisis(r, lang) for r in ordered) if a]
        if not found:
            return None
        buttons: list[Button] = []
        for answer in found:
            for button in self._buttons.after_answer(answer, lang, with_more=False):
                if button not in buttons:
                    buttons.append(button)
        menu = self._buttons.main_menu_button(lang)
        buttons = [*[b for b in buttons if b != menu][: MAX_BUTTONS - 1], menu]
        text = "\n\n".join(a.text for a in found)
        return Reply(text=text, buttons=tuple(buttons), language=lang, protect=True)

    def urgent_line(self, topic: str | None, lang: Language) -> str | None:
        answer = self._answers.answer(topic, lang) if topic else None
        return answer.urgent if answer else None

    def remember(self, session: Session, topic: str | None, risks: tuple[RiskClass, ...]) -> None:
        """Keeps what this turn was about, for a follow-up in the next few minutes. A turn that
        placed nothing keeps the earlier context (its clock still runs from then)."""
        if topic is None and not risks:
            return
        recent = self.recent(session)
        kept = recent.risks if recent else ()
        session.context = {
            "topic": topic or (recent.topic if recent else None),
            "risks": list(known((*risks, *kept))),
            "at": self._clock.now().isoformat(),
        }

    def recent(self, session: Session) -> Recent | None:
        at = session.context.get("at")
        if not isinstance(at, str):
            return None
        try:
            when = datetime.fromisoformat(at)
        except ValueError:
            return None
        if self._clock.now() - when > timedelta(minutes=CONTEXT_MINUTES):
            return None
        topic = session.context.get("topic")
        return Recent(
            topic=topic if isinstance(topic, str) else None,
            risks=known(str(r) for r in session.context.get("risks") or ()),
        )

    def follow_up(self, session: Session, text: str, lang: Language) -> Reply | None:
        """A short message the model cannot place, soon after a topic or a risk: read it in
        that light instead of asking "did you mean…?"."""
        recent = self.recent(session)
        if recent is None or len(text) > FOLLOW_UP_CHARS:
            return None
        answer = self._answers.answer(recent.topic, lang) if recent.topic else None
        if answer is not None and answer.urgent:
            title = self._answers.title(answer.topic, lang)
            text = self._tr.gettext(
                lang,
                "If this is still about “{title}”, here is what to do next.",
                title=title,
            )
            menu = self._buttons.main_menu_button(lang)
            steps = [
                b for b in self._buttons.after_answer(answer, lang, with_more=False) if b != menu
            ]
            buttons = [*steps[: MAX_BUTTONS - 2], self._buttons.topic(answer.topic, lang), menu]
            return Reply(
                text=f"**{answer.urgent}**\n\n{text}",
                buttons=tuple(buttons),
                language=lang,
                protect=answer.sensitive,
            )
        if recent.risks:
            return self.cards(recent.risks, lang)
        return None
