"""A yes/no checklist (the parents' photo check) as a small state machine kept in the session,
so it survives restarts. Each button carries its step number: a press from an old message is
recognised as stale instead of answering the wrong question.

    start → q0 → q1 → … → q(n-1) → advice
            ↑ back   (x: stop at any step → menu)
"""

from __future__ import annotations

from bot.core import callbacks
from bot.core.buttons import ButtonMaker
from bot.core.content import Checklist
from bot.core.messages import Button, Language, Reply
from bot.core.ports import AnswerBook, Translator
from bot.core.session import Session

FLOW = "checklist"


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
        session.flow_state = {"name": name, "step": 0, "risky": []}
        return self._question(checklist, 0, lang, intro=True)

    def on_answer(self, session: Session, step: int, choice: str, lang: Language) -> Reply | None:
        """None when the press does not belong to the question on screen (stale)."""
        state = session.flow_state
        checklist = self._answers.checklist(str(state.get("name")), lang)
        if session.flow != FLOW or checklist is None or state.get("step") != step:
            return None
        risky: list[str] = list(state.get("risky", []))
        if choice == "x":
            session.flow, session.flow_state = None, {}
            return Reply(
                self._tr.gettext(lang, "Stopped. What would you like to know?"),
                tuple(self._buttons.menu(lang)),
                lang,
            )
        if choice == "b":
            step = max(step - 1, 0)
            if step < len(checklist.questions):
                key = checklist.questions[step].key
                risky = [k for k in risky if k != key]
        else:
            key = checklist.questions[step].key
            risky = [k for k in risky if k != key] + ([key] if choice == "y" else [])
            step += 1
        state.update(step=step, risky=risky)
        if step < len(checklist.questions):
            return self._question(checklist, step, lang)
        session.flow, session.flow_state = None, {}
        return self._advice(checklist, risky, lang)

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
            Button(self._tr.gettext(lang, "Yes"), callbacks.encode("answer", f"{step}y")),
            Button(self._tr.gettext(lang, "No"), callbacks.encode("answer", f"{step}n")),
        ]
        if step > 0:
            buttons.append(
                Button(
                    "◂ " + self._tr.gettext(lang, "Back"), callbacks.encode("answer", f"{step}b")
                )
            )
        buttons.append(
            Button(self._tr.gettext(lang, "Stop"), callbacks.encode("answer", f"{step}x"))
        )
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
