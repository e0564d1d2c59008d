"""Turns one `Incoming` into the replies a person sees, in their language.

The flow is deliberately explicit: commands, then buttons, then free text through the NLU. A
low-confidence guess never gets a confident answer; the person is asked "did you mean…?".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.core import callbacks
from bot.core.language import choose_reply_language, language_from_client_tag
from bot.core.messages import LANGUAGES, Button, Incoming, Language, Reply
from bot.core.ports import AnswerBook, LanguageDetector, Nlu, SessionStore, Translator
from bot.core.session import Session

MAX_TEXT_CHARS = 4000
OUT_OF_SCOPE = "out_of_scope"
LANGUAGE_NAMES: dict[Language, str] = {"en": "English", "ms": "Bahasa Melayu", "zh": "中文"}


@dataclass(frozen=True)
class ConfidencePolicy:
    """Below these bars we ask instead of answering; sensitive topics have a higher bar because
    a wrong answer there does more harm than a question."""

    default: float = 0.6
    sensitive: float = 0.8
    sensitive_intents: frozenset[str] = field(
        default_factory=lambda: frozenset(
            {
                "faq_child_abuse_material",
                "faq_sextortion",
                "faq_scam_victim",
                "faq_grooming",
                "faq_deepfake_victim",
            }
        )
    )

    def accepts(self, intent: str, confidence: float) -> bool:
        bar = self.sensitive if intent in self.sensitive_intents else self.default
        return confidence >= bar


class Dialogue:
    def __init__(
        self,
        *,
        nlu: Nlu,
        detector: LanguageDetector,
        answers: AnswerBook,
        translator: Translator,
        sessions: SessionStore,
        policy: ConfidencePolicy | None = None,
    ) -> None:
        self._nlu = nlu
        self._detector = detector
        self._answers = answers
        self._tr = translator
        self._sessions = sessions
        self._policy = policy or ConfidencePolicy()

    async def handle(self, incoming: Incoming) -> list[Reply]:
        session = self._sessions.load(incoming.user_key)
        if incoming.kind == "text" and incoming.text.lstrip().startswith("/"):
            replies = self._on_command(session, incoming)
        elif incoming.kind == "button":
            replies = self._on_button(session, incoming)
        elif incoming.kind == "text":
            replies = await self._on_text(session, incoming)
        else:
            lang = self._language(session, incoming)
            replies = [
                self._reply(
                    lang,
                    self._t(lang, "I can only read text for now. Please type your question."),
                    self._menu_buttons(lang),
                )
            ]
        session.last_language = replies[-1].language if replies else session.last_language
        self._sessions.save(session)
        return replies

    def _t(self, lang: Language, message: str, **values: object) -> str:
        return self._tr.gettext(lang, message, **values)

    def _language(self, session: Session, incoming: Incoming) -> Language:
        return choose_reply_language(session, None, incoming.client_language)

    @staticmethod
    def _reply(lang: Language, text: str, buttons: Iterable[Button] = ()) -> Reply:
        return Reply(text=text, buttons=tuple(buttons), language=lang)

    def _on_command(self, session: Session, incoming: Incoming) -> list[Reply]:
        name, _, payload = incoming.text.strip().partition(" ")
        command = name[1:].split("@", 1)[0].lower()
        payload = payload.strip()
        if command == "start" and payload.startswith("lang_"):
            chosen = language_from_client_tag(payload.removeprefix("lang_"))
            if chosen:
                session.chosen_language = chosen
        lang = self._language(session, incoming)
        if command == "start":
            return [self._topic_reply("greet", lang, with_menu=True)]
        if command in ("help", "menu"):
            return [self._topic_reply("bot_help", lang, with_menu=True)]
        if command == "language":
            return [self._language_menu(lang)]
        return [
            self._reply(
                lang,
                self._t(
                    lang,
                    "Sorry, I don't know the command /{command}. Here is the menu.",
                    command=command[:32],
                ),
                self._menu_buttons(lang),
            )
        ]

    def _on_button(self, session: Session, incoming: Incoming) -> list[Reply]:
        lang = self._language(session, incoming)
        callback = callbacks.decode(incoming.text)
        if callback is None or (
            callback.action == "topic" and callback.value not in self._answers.topics()
        ):
            return [
                self._reply(
                    lang,
                    self._t(lang, "That menu has expired. Here is the main menu."),
                    self._menu_buttons(lang),
                )
            ]
        if callback.action == "language":
            session.chosen_language = callbacks.language_value(callback)
            lang = session.chosen_language
            return [
                self._reply(
                    lang,
                    self._t(lang, "OK, I will reply in English from now on."),
                    self._menu_buttons(lang),
                )
            ]
        if callback.action == "language_menu":
            return [self._language_menu(lang)]
        if callback.action == "menu":
            return [
                self._reply(
                    lang, self._t(lang, "What would you like to know?"), self._menu_buttons(lang)
                )
            ]
        return [self._topic_reply(callback.value, lang)]

    async def _on_text(self, session: Session, incoming: Incoming) -> list[Reply]:
        text = incoming.text.strip()
        detection = self._detector.detect(text) if text else None
        lang = choose_reply_language(session, detection, incoming.client_language)
        if not text:
            return [
                self._reply(
                    lang, self._t(lang, "What would you like to know?"), self._menu_buttons(lang)
                )
            ]
        if len(text) > MAX_TEXT_CHARS:
            return [
                self._reply(
                    lang,
                    self._t(
                        lang,
                        "That message is very long. Please send a shorter one "
                        "(up to {limit} characters) so I can understand it.",
                        limit=MAX_TEXT_CHARS,
                    ),
                )
            ]
        result = await self._nlu.parse(text)
        answerable = self._answers.topics()
        if result.intent in answerable and self._policy.accepts(result.intent, result.confidence):
            return [
                self._topic_reply(
                    result.intent, lang, with_menu=result.intent in ("greet", "bot_help")
                )
            ]
        return [self._did_you_mean(lang, [name for name, _ in result.ranking])]

    def _did_you_mean(self, lang: Language, ranked_intents: Iterable[str]) -> Reply:
        answerable = self._answers.topics()
        guesses = [i for i in ranked_intents if i.startswith("faq_") and i in answerable][:3]
        if not guesses:
            return self._topic_reply(OUT_OF_SCOPE, lang, with_menu=True)
        buttons = [
            Button(self._answers.title(i, lang), callbacks.encode("topic", i)) for i in guesses
        ]
        buttons.append(Button(self._t(lang, "Main menu"), callbacks.encode("menu")))
        return self._reply(
            lang, self._t(lang, "I'm not sure I understood. Did you mean one of these?"), buttons
        )

    def _topic_reply(self, topic: str, lang: Language, *, with_menu: bool = False) -> Reply:
        text = self._answers.answer(topic, lang) or self._t(
            lang, "Sorry, I don't have an answer for that yet."
        )
        buttons = (
            self._menu_buttons(lang)
            if with_menu
            else [Button(self._t(lang, "Main menu"), callbacks.encode("menu"))]
        )
        return self._reply(lang, text, buttons)

    def _menu_buttons(self, lang: Language) -> list[Button]:
        topics = sorted(t for t in self._answers.topics() if t.startswith("faq_"))
        buttons = [
            Button(self._answers.title(t, lang), callbacks.encode("topic", t)) for t in topics
        ]
        buttons.append(Button("🌐 " + self._t(lang, "Language"), callbacks.encode("language_menu")))
        return buttons

    def _language_menu(self, lang: Language) -> Reply:
        buttons = [
            Button(LANGUAGE_NAMES[code], callbacks.encode("language", code)) for code in LANGUAGES
        ]
        return self._reply(lang, self._t(lang, "Which language would you like?"), buttons)
