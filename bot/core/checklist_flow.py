"""A yes/no checklist (the parents' photo check) as a small state machine kept in the session,
so it survives restarts. Each button carries its step number: a press from an old message is
recognised as stale instead of answering the wrong question.

    start → q0 → q1 → … → q(n-1) → advice
            ↑ back   (stop at any step → menu)

| choice | what happens                                    |
|--------|-------------------------------------------------|
| YES    | the answer is risky: its advice will be shown   |
| NO     | not risky; next question                        |
| BACK   | the previous question, its answer forgotten     |
| STOP   | the checklist ends, the menu is shown           |
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any

from bot.core.buttons import ButtonMaker
from bot.core.callbacks import ChecklistChoice, checklist_button
from bot.core.content import Checklist
from bot.core.languages import Language
from bot.core.messages import Button, Reply
from bot.core.ports import AnswerBook, Translator
from bot.core.session import Session

FLOW = "checklist"


@dataclass(frozen=True)
class ChecklistState:
    """Where a person is in a checklist; kept in the session as a plain dict."""

    name: str
    step: int = 0
    risky: tuple[str, ...] = ()

    @classmethod
    def from_session(cls, values: dict[str, Any]) -> ChecklistState | None:
        try:
            return cls(str(values["name"]), int(values["step"]), tuple(values.get("risky", ())))
        except (KeyError, TypeError, ValueError):
            return None

    def to_session(self) -> dict[str, Any]:
        return {**asdict(self), "risky": list(self.risky)}

    def without(self, key: str) -> tuple[str, ...]:
        return tuple(k for k in self.risky if k != key)


class ChecklistFlow:
    def __init__(self, answers: AnswerBook, translator: Translator, buttons: ButtonMaker) -> None:
        self._answers = answers
        self._tr = translator
        self._buttons = buttons

    def start(self, session: Session, name: str, lang: Language) -> Reply | None:
        checklist = self._answers.checklist(name, lang)
        if checklist is None:
            return None
        session.flow = FLOW
        session.flow_state = ChecklistState(name).to_session()
        return self._question(checklist, 0, lang, intro=True)

    def on_answer(
        self, session: Session, step: int, choice: ChecklistChoice, lang: Language
    ) -> Reply | None:
        """None when the press does not belong to the question on screen (stale)."""
        state = ChecklistState.from_session(session.flow_state) if session.flow == FLOW else None
        checklist = self._answers.checklist(state.name, lang) if state else None
        if state is None or checklist is None or state.step != step:
            return None
        if choice is ChecklistChoice.STOP:
            session.flow, session.flow_state = None, {}
            return Reply(
                self._tr.gettext(lang, "Stopped. What would you like to know?"),
                tuple(self._buttons.menu(lang)),
                lang,
            )
        state = self._moved(state, checklist, choice)
        if state.step < len(checklist.questions):
            session.flow_state = state.to_session()
            return self._question(checklist, state.step, lang)
        session.flow, session.flow_state = None, {}
        return self._advice(checklist, list(state.risky), lang)

    @staticmethod
    def _moved(
        state: ChecklistState, checklist: Checklist, choice: ChecklistChoice
    ) -> ChecklistState:
        if choice is ChecklistChoice.BACK:
            back = max(state.step - 1, 0)
            return replace(state, step=back, risky=state.without(checklist.questions[back].key))
        key = checklist.questions[state.step].key
        risky = state.without(key) + ((key,) if choice is ChecklistChoice.YES else ())
        return replace(state, step=state.step + 1, risky=risky)

    def _question(
        self, checklist: Checklist, step: int, lang: Language, *, intro: bool = False
    ) -> Reply:
        question = checklist.questions[step]
        progress = self._tr.gettext(
            lang, "Question {number} of {total}", number=step + 1, total=len(checklist.questions)
        )
        text = f"{progress}\n**{question.ask}**"
        if intro:
            text = f"{checklist.intro}\n\n{text}"
        buttons = [
            Button(self._tr.gettext(lang, "Yes"), checklist_button(step, ChecklistChoice.YES)),
            Button(self._tr.gettext(lang, "No"), checklist_button(step, ChecklistChoice.NO)),
        ]
        if step > 0:
            back = "◂ " + self._tr.gettext(lang, "Back")
            buttons.append(Button(back, checklist_button(step, ChecklistChoice.BACK)))
        stop = self._tr.gettext(lang, "Stop")
        buttons.append(Button(stop, checklist_button(step, ChecklistChoice.STOP)))
        return Reply(text, tuple(buttons), lang)

    def _advice(self, checklist: Checklist, risky: list[str], lang: Language) -> Reply:
        tips = [q.advice for q in checklist.questions if q.key in risky]
        parts = tips or [checklist.all_clear]
        text = "\n\n".join([*parts, checklist.always])
        buttons = [self._buttons.report(lang)]
        if "faq_child_photos" in self._answers.topics():
            buttons.append(self._buttons.topic("faq_child_photos", lang))
        buttons.append(self._buttons.main_menu_button(lang))
        return Reply(text, tuple(buttons), lang)
