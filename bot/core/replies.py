"""The replies every part of the dialogue builds: answers, the menu, "did you mean…?", and
kind words for what is not a question. One place, so an answer looks the same wherever it is
reached from (free text, a button, a command)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from bot.core.buttons import ButtonMaker
from bot.core.languages import Language
from bot.core.messages import Button, Incoming, Reply
from bot.core.ports import AnswerBook, Translator
from bot.core.safety_net import SafetyNet

OUT_OF_SCOPE = "out_of_scope"
REPORT_TOPIC = "report_content"
FILE_MEDIA = frozenset({"photo", "video", "document"})


class ReplyKit:
    def __init__(
        self, answers: AnswerBook, translator: Translator, buttons: ButtonMaker, safety: SafetyNet
    ) -> None:
        self._answers = answers
        self._tr = translator
        self._buttons = buttons
        self._safety = safety

    def t(self, lang: Language, message: str, **values: object) -> str:
        return self._tr.gettext(lang, message, **values)

    @staticmethod
    def reply(
        lang: Language, text: str, buttons: Iterable[Button] = (), *, protect: bool = False
    ) -> Reply:
        return Reply(text=text, buttons=tuple(buttons), language=lang, protect=protect)

    def menu(self, lang: Language, text: str | None = None) -> Reply:
        return self.reply(
            lang, text or self.t(lang, "What would you like to know?"), self._buttons.menu(lang)
        )

    def on_other(self, incoming: Incoming, lang: Language) -> Reply:
        """Things people send that are not questions, each answered kindly and safely."""
        if incoming.kind == "media" and incoming.text in FILE_MEDIA:
            text = self.t(
                lang,
                "Please don't send photos, videos or files outside a report: I don't open or "
                'keep them. To report something harmful, press "Report this": I will ask for '
                "the link, and you can add screenshots there unless a child may be involved. "
                "Never send sexual images of a child, not even to report them: only the link "
                "is needed.",
            )
            return self.reply(
                lang, text, [self._buttons.report(lang), self._buttons.main_menu_button(lang)]
            )
        if incoming.kind == "personal":
            text = self.t(
                lang,
                "Please don't share your location or anyone's contact details here. "
                "I don't need them to help you.",
            )
            return self.menu(lang, text)
        if incoming.kind == "edited":
            text = self.t(
                lang,
                "I only read new messages. Please send your corrected question as a new message.",
            )
            return self.reply(lang, text)
        return self.menu(
            lang, self.t(lang, "I can only read text for now. Please type your question.")
        )

    def language_question(self, lang: Language) -> Reply:
        return self.reply(
            lang, self.t(lang, "Which language would you like?"), self._buttons.languages()
        )

    def contact(self, key: str, lang: Language) -> Reply | None:
        card = self._answers.contact(key, lang)
        if card is None:
            return None
        links = [Button("🔗 " + card.name, url=card.url)] if card.url else []
        return self.reply(lang, card.text, [*links, self._buttons.main_menu_button(lang)])

    def to_private(self, lang: Language, payload: str) -> Reply:
        text = self.t(
            lang,
            "Let's continue in a private chat with me, where no one else can read along. "
            "Please don't share personal details in this group.",
        )
        label = "🔒 " + self.t(lang, "Open a private chat")
        return self.reply(lang, text, [Button(label, deep_link=payload)])

    def did_you_mean(self, lang: Language, ranked_intents: Iterable[str]) -> Reply:
        known = self._answers.topics()
        guesses = [
            i for i in ranked_intents if (i.startswith("faq_") or i == REPORT_TOPIC) and i in known
        ][:3]
        if not guesses:
            return self.topic(OUT_OF_SCOPE, lang, with_menu=True)
        buttons = [self._buttons.topic(i, lang) for i in guesses]
        buttons.extend(self._buttons.handoff(lang))
        buttons.append(self._buttons.main_menu_button(lang))
        question = self.t(lang, "I'm not sure I understood. Did you mean one of these?")
        urgent = self._safety.urgent_line(guesses[0], lang)
        text = f"**{urgent}**\n\n{question}" if urgent else question
        return replace(self.reply(lang, text, buttons), guessing=True)

    def topic(self, topic: str, lang: Language, *, with_menu: bool = False) -> Reply:
        answer = self._answers.answer(topic, lang)
        if answer is None:
            return self.menu(lang, self.t(lang, "Sorry, I don't have an answer for that yet."))
        if with_menu:
            buttons = self._buttons.menu(lang)
        else:
            # 👍/👎 on their own row, just above "Main menu", which stays last.
            *steps, last = self._buttons.after_answer(answer, lang, with_more=True)
            buttons = [*steps, *self._buttons.rating(topic, lang), last]
        return replace(
            self.reply(lang, answer.text, buttons, protect=answer.sensitive), topic=topic
        )

    def more(self, topic: str, lang: Language) -> Reply | None:
        answer = self._answers.answer(topic, lang)
        if answer is None or not answer.more:
            return None
        text = answer.more
        if answer.reviewed:
            checked = self.t(
                lang, "Checked on {date}.", date=self._tr.format_date(lang, answer.reviewed)
            )
            text = f"{text}\n\n{checked}"
        buttons = self._buttons.after_answer(answer, lang, with_more=False)
        return self.reply(lang, text, buttons, protect=answer.sensitive)
