"""The buttons people see: the main menu, the language menu, and next steps under an answer."""

from __future__ import annotations

from bot.core import callbacks
from bot.core.content import Answer
from bot.core.languages import Language
from bot.core.messages import Button
from bot.core.ports import AnswerBook, Translator
from bot.core.ratings import rateable, rating_buttons


class ButtonMaker:
    def __init__(
        self,
        answers: AnswerBook,
        translator: Translator,
        *,
        alerts: bool = False,
        scam_check: bool = False,
        handoff: bool = False,
        ratings: bool = False,
    ) -> None:
        """`alerts`: the menu offers scam alerts (there is somewhere to keep subscriptions);
        `scam_check`: "is this a scam?" can check what is pasted; `handoff`: a staff desk is
        there to talk to a person; `ratings`: 👍/👎 under answers are counted somewhere."""
        self._answers = answers
        self._tr = translator
        self._alerts = alerts
        self._scam_check = scam_check
        self._handoff = handoff
        self._ratings = ratings

    def topic(self, topic: str, lang: Language) -> Button:
        return Button(self._answers.title(topic, lang), callbacks.encode("topic", topic))

    def main_menu_button(self, lang: Language) -> Button:
        return Button(self._tr.gettext(lang, "Main menu"), callbacks.encode("menu"))

    def menu(self, lang: Language) -> list[Button]:
        known = self._answers.topics()
        buttons = [self.topic(t, lang) for t in self._answers.menu()]
        if self._scam_check:
            # Right under the most urgent topic ("I was scammed"), above the rest.
            buttons.insert(min(1, len(buttons)), self.scam_check(lang))
        if "report_content" in known:
            buttons.append(self.report(lang))
        if self._alerts:
            label = "🔔 " + self._tr.gettext(lang, "Scam alerts")
            buttons.append(Button(label, callbacks.encode("alerts")))
        buttons.append(
            Button("🌐 " + self._tr.gettext(lang, "Language"), callbacks.encode("language_menu"))
        )
        return buttons

    def languages(self) -> list[Button]:
        return [
            Button(info.name, callbacks.encode("language", info.code))
            for info in self._answers.languages
        ]

    def scam_check(self, lang: Language) -> Button:
        label = "🔎 " + self._tr.gettext(lang, "Is this a scam? Check it")
        return Button(label, callbacks.encode("scan", "start"))

    def report(self, lang: Language) -> Button:
        return Button("📣 " + self._tr.gettext(lang, "Report this"), callbacks.encode("report"))

    def handoff(self, lang: Language) -> list[Button]:
        """ "Talk to a person", where a staff desk is configured."""
        if not self._handoff:
            return []
        label = "🧑 " + self._tr.gettext(lang, "Talk to a person")
        return [Button(label, callbacks.encode("handoff", "start"))]

    def rating(self, topic: str, lang: Language) -> list[Button]:
        """ "Was this helpful?" 👍/👎 for a topic answer (`bot/core/ratings.py`)."""
        if not self._ratings or not rateable(topic):
            return []
        return rating_buttons(self._tr, topic, lang)

    def after_answer(self, answer: Answer, lang: Language, *, with_more: bool) -> list[Button]:
        buttons: list[Button] = []
        if with_more and answer.more:
            buttons.append(
                Button(
                    self._tr.gettext(lang, "More") + " ▸", callbacks.encode("more", answer.topic)
                )
            )
        known = self._answers.topics()
        for step in answer.next_steps:
            if step.kind == "topic" and step.value in known:
                buttons.append(self.topic(step.value, lang))
            elif step.kind == "report":
                buttons.append(self.report(lang))
            elif step.kind == "scam_check" and self._scam_check:
                buttons.append(self.scam_check(lang))
            elif step.kind == "check" and self._answers.checklist(step.value, lang):
                label = "✅ " + self._tr.gettext(lang, "Check a photo before posting")
                buttons.append(Button(label, callbacks.encode("check", step.value)))
            elif step.kind == "contact":
                card = self._answers.contact(step.value, lang)
                if card:
                    buttons.append(Button("📞 " + card.name, callbacks.encode("contact", card.key)))
        if answer.sensitive:
            buttons.extend(self.handoff(lang))
        buttons.append(self.main_menu_button(lang))
        return buttons
