"""Turns one `Incoming` into the replies a person sees, in their language.

Routing is explicit: commands, then buttons, then free text through the NLU. A low-confidence
guess never gets a confident answer; the person is asked "did you mean…?" instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from bot.core import callbacks
from bot.core.alerts import AlertToggle, Subscriptions
from bot.core.buttons import ButtonMaker
from bot.core.checklist_flow import ChecklistFlow
from bot.core.clock import SystemClock
from bot.core.commands import BY_NAME, COMMANDS
from bot.core.confidence import ConfidencePolicy
from bot.core.flow_starts import FlowStarts
from bot.core.handoff import HANDOFF_TOPIC, HandoffFlow, not_handed, nothing_later
from bot.core.identity import UserKey
from bot.core.insight import Insight
from bot.core.language import choose_reply_language
from bot.core.languages import Language, Languages
from bot.core.messages import Incoming, Reply
from bot.core.ports import (
    AnswerBook,
    Clock,
    Forgetting,
    LanguageDetector,
    Nlu,
    NluResult,
    Outcome,
    SessionStore,
    Translator,
)
from bot.core.preferences import Preferences
from bot.core.ratings import Ratings
from bot.core.replies import OUT_OF_SCOPE, REPORT_TOPIC, ReplyKit
from bot.core.report_flow import FLOW as REPORT_FLOW
from bot.core.report_flow import ReportDesk, ReportFlow
from bot.core.safety_net import SafetyNet
from bot.core.scam_check import ScamChecker
from bot.core.scam_check_flow import FLOW as SCAM_FLOW
from bot.core.scam_check_flow import ScamCheckFlow
from bot.core.session import Session
from bot.core.staff_desk import HandoffDesk

MAX_TEXT_CHARS = 4000
PHOTO_CHECK = "photo_check"
# After a crisis card these add nothing ("Hello!" under "Call 999 now").
SMALL_TALK = frozenset({"greet", "goodbye", "thank", "bot_challenge", OUT_OF_SCOPE})
PRIVATE_ONLY_INTENTS = frozenset({REPORT_TOPIC, "report_status"})


CommandHandler = Callable[[Session, Language, str], list[Reply]]
FlowText = Callable[[Session, str, NluResult, Language], list[Reply]]


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
        reports: ReportDesk | None = None,
        clock: Clock | None = None,
        forgetting: Forgetting | None = None,
        subscriptions: Subscriptions | None = None,
        scam_checker: ScamChecker | None = None,
        handoff: HandoffDesk | None = None,
        insight: Insight | None = None,
    ) -> None:
        """`insight`: where questions are counted and unplaced ones kept for review; without
        it nothing is recorded and answers carry no 👍/👎."""
        self._nlu = nlu
        self._detector = detector
        self._answers = answers
        self._tr = translator
        self._sessions = sessions
        self._policy = policy or ConfidencePolicy()
        self._buttons = ButtonMaker(
            answers,
            translator,
            alerts=subscriptions is not None,
            scam_check=scam_checker is not None,
            handoff=handoff is not None,
            ratings=insight is not None,
        )
        self._insight = insight
        self._ratings = Ratings(insight, translator) if insight else None
        self._checklist = ChecklistFlow(answers, translator, self._buttons)
        clock = clock or (reports.clock if reports else SystemClock())
        self._safety = SafetyNet(answers, translator, self._buttons, clock)
        self._kit = ReplyKit(answers, translator, self._buttons, self._safety)
        self._scam = (
            ScamCheckFlow(scam_checker, answers, translator, self._buttons, clock)
            if scam_checker
            else None
        )
        self._prefs = Preferences(
            self._kit,
            answers.languages,
            AlertToggle(subscriptions, translator),
            forgetting,
            self._scam.forget if self._scam else lambda _key: None,
        )
        self._desk = reports
        self._handoff = (
            HandoffFlow(handoff, self._kit, self._safety, nlu, answers, translator, clock)
            if handoff
            else None
        )
        self._reports = ReportFlow.at_desk(reports, answers, translator, self._buttons)
        # Desk work left for after the turn's replies are delivered (`Conversation.turn`).
        self.after_delivery = self._handoff.after_delivery if self._handoff else nothing_later
        self._handed = self._handoff.handle if self._handoff else not_handed
        self._starts = FlowStarts(
            self._kit, self._buttons, translator, reports, self._reports, self._scam
        )
        self._command_handlers = self._handlers()

    async def handle(self, incoming: Incoming) -> list[Reply]:
        if len(incoming.text) > MAX_TEXT_CHARS * 4:
            # Length first, before anything reads the text: a forged 10 MB update once held
            # language detection (and the event loop) for over 35 s. What is kept is still
            # "too long", so the person is told so.
            incoming = replace(incoming, text=incoming.text[: MAX_TEXT_CHARS * 4])
        session = self._sessions.load(incoming.user_key)
        screenshots = ReportFlow.screenshots_held(session)
        handed = await self._handed(session, incoming, self._language(session, incoming))
        if handed is not None:  # talking to a person: before commands, buttons and topics
            replies = handed
        elif incoming.kind == "text" and incoming.text.lstrip().startswith("/"):
            replies = self._on_command(session, incoming)
        elif incoming.kind == "button":
            replies = self._on_button(session, incoming)
        elif incoming.kind == "text" and self._reporting(session) and not incoming.in_group:
            replies = await self._report_text(session, incoming)
        elif (
            incoming.kind == "text"
            and session.flow == SCAM_FLOW
            and self._scam
            and not incoming.in_group
        ):
            replies = await self._scam_text(session, incoming)
        elif incoming.kind == "text":
            replies = await self._on_text(session, incoming)
        elif incoming.kind == "media" and self._reporting(session):
            replies = await self._reports.on_media(  # type: ignore[union-attr]
                session, incoming.attachment, self._language(session, incoming)
            )
        else:
            replies = [self._kit.on_other(incoming, self._language(session, incoming))]
        if session.forgotten:
            self._sessions.forget(session.user_key)
            return replies
        if replies:
            self._prefs.follow_language(session, replies[-1].language)
        if screenshots and session.flow != REPORT_FLOW and self._desk and self._desk.evidence:
            # /cancel, /exit, another flow…: a report left unfinished keeps no images. Filed
            # ones are attached to their report by then and not affected.
            self._desk.evidence.discard(session.user_key, screenshots)
        self._sessions.save(session)
        return replies

    @property
    def languages(self) -> Languages:
        return self._answers.languages

    def language_of(
        self, user_key: UserKey, client_language: str | None, text: str = ""
    ) -> Language:
        """The language a reply to `text` would use, for messages outside a turn (an apology
        after an error), by the same rules as every answer."""
        detection = self._detector.detect(text[:MAX_TEXT_CHARS]) if text else None
        return choose_reply_language(
            self._answers.languages, self._sessions.load(user_key), detection, client_language
        )

    async def _in_flow(
        self, session: Session, incoming: Incoming, answer: FlowText, limit: int
    ) -> list[Reply]:
        """All of it is the flow's answer (to a report's question, what to check); the risk screen
        still runs first: "he's outside now" gets 999, "I already paid him" 997."""
        lang = self._language(session, incoming)
        text = incoming.text[:limit]
        result = await self._nlu.parse(text[:MAX_TEXT_CHARS])
        crisis = self._safety.cards(result.risks, lang)
        self._safety.remember(session, None, result.risks)
        replies = answer(session, text, result, lang)
        return [crisis, *replies] if crisis else replies

    async def _report_text(self, session: Session, incoming: Incoming) -> list[Reply]:
        report = self._reports.on_text  # type: ignore[union-attr]
        answer: FlowText = lambda s, t, _r, lang: report(s, t, lang)  # noqa: E731
        return await self._in_flow(session, incoming, answer, MAX_TEXT_CHARS * 4)

    async def _scam_text(self, session: Session, incoming: Incoming) -> list[Reply]:
        check = self._scam.check  # type: ignore[union-attr]
        answer: FlowText = lambda s, t, r, lang: [check(s, t, r, lang)]  # noqa: E731
        return await self._in_flow(session, incoming, answer, MAX_TEXT_CHARS)

    def _reporting(self, session: Session) -> bool:
        return self._reports is not None and session.flow == REPORT_FLOW

    def _language(self, session: Session, incoming: Incoming) -> Language:
        return choose_reply_language(
            self._answers.languages, session, None, incoming.client_language
        )

    # ---- commands ---------------------------------------------------------------------------
    def _on_command(self, session: Session, incoming: Incoming) -> list[Reply]:
        name, _, payload = incoming.text.strip().partition(" ")
        word = name[1:].split("@", 1)[0].lower()
        payload = payload.strip().lower()
        languages = self._answers.languages
        chosen = languages.from_client_tag(payload[5:]) if payload.startswith("lang_") else None
        if word == "start" and chosen:
            session.chosen_language = chosen
        lang = self._language(session, incoming)
        command = BY_NAME.get(word)
        if command is None:
            text = self._kit.t(
                lang,
                "Sorry, I don't know the command /{command}. Here is the menu.",
                command=word[:32],
            )
            return [self._kit.menu(lang, text)]
        if incoming.in_group and (
            command.private_only or (word == "start" and payload in ("report", "photos", "check"))
        ):
            return [self._kit.to_private(lang, payload if word == "start" else word)]
        if command.topic:
            return [self._shown(session, command.topic, lang)]
        return self._command_handlers[word](session, lang, payload)

    def _handlers(self) -> dict[str, CommandHandler]:
        handlers: dict[str, CommandHandler] = {
            "start": self._cmd_start,
            "help": lambda _s, lang, _p: [self._kit.topic("bot_help", lang, with_menu=True)],
            "menu": lambda _s, lang, _p: [self._kit.topic("bot_help", lang, with_menu=True)],
            "language": lambda _s, lang, _p: [self._kit.language_question(lang)],
            "report": lambda session, lang, _p: self._starts.report(session, lang),
            "status": lambda session, lang, _p: self._starts.status(session, lang),
            "cancel": self._cmd_cancel,
            "end": self._cmd_cancel,
            "exit": self._cmd_exit,
            "forget": lambda _s, lang, _p: [self._prefs.ask_forget(lang)],
            "alerts": lambda session, lang, _p: [self._prefs.toggle_alerts(session, lang)],
            "check": lambda session, lang, _p: self._starts.scam(session, lang, "start"),
        }
        unhandled = {c.name for c in COMMANDS if not c.topic} ^ set(handlers)
        if unhandled:
            raise ValueError(f"commands and their handlers differ: {sorted(unhandled)}")
        return handlers

    def _cmd_start(self, session: Session, lang: Language, payload: str) -> list[Reply]:
        if payload == "status":
            return self._starts.status(session, lang)
        if payload == "photos":
            started = self._checklist.start(session, PHOTO_CHECK, lang)
            return [started] if started else [self._kit.topic("greet", lang, with_menu=True)]
        if payload == "report":
            return self._starts.report(session, lang)
        if payload == "alerts":
            return [self._prefs.toggle_alerts(session, lang)]
        if payload == "check":
            return self._starts.scam(session, lang, "start")
        return [self._kit.topic("greet", lang, with_menu=True)]

    def _cmd_cancel(self, session: Session, lang: Language, _payload: str) -> list[Reply]:
        session.flow, session.flow_state = None, {}
        return [self._kit.menu(lang, self._kit.t(lang, "Cancelled. What would you like to know?"))]

    def _cmd_exit(self, session: Session, lang: Language, _payload: str) -> list[Reply]:
        session.flow, session.flow_state = None, {}
        # TRANSLATORS: the only line left after a quick exit; it must not hint at the topic.
        return [Reply(self._kit.t(lang, "Done."), language=lang, clears_chat=True)]

    # ---- buttons ----------------------------------------------------------------------------
    def _on_button(self, session: Session, incoming: Incoming) -> list[Reply]:
        lang = self._language(session, incoming)
        expired = [
            self._kit.menu(lang, self._kit.t(lang, "That menu has expired. Here is the main menu."))
        ]
        callback = callbacks.decode(incoming.text)
        if callback is None:
            return expired
        action, value = callback.action, callback.value
        if incoming.in_group and action in ("report", "check"):
            return [self._kit.to_private(lang, "report" if action == "report" else "photos")]
        if action == "language":
            return self._prefs.pick_language(session, value) or expired
        if action == "language_menu":
            return [self._kit.language_question(lang)]
        if action == "scan":
            if incoming.in_group:
                return [self._kit.to_private(lang, "check")]
            return self._starts.scam(session, lang, value)
        if action == "alerts":
            if incoming.in_group:
                return [self._kit.to_private(lang, "alerts")]
            return [self._prefs.toggle_alerts(session, lang)]
        if action == "menu":
            return [self._kit.menu(lang)]
        if action == "report":
            return self._starts.report(session, lang)
        if action == "report_step" and self._reports is not None:
            pressed = callbacks.report_step(callback)
            stepped = self._reports.on_button(session, *pressed, lang) if pressed else None
            return stepped if stepped is not None else expired
        if action == "forget":
            return [self._prefs.forget(session, lang, confirmed=value == "yes")]
        if action == "topic" and value in self._answers.topics():
            return [self._shown(session, value, lang)]
        if action == "helpful" and self._ratings:
            rated = self._ratings.pressed(session, value, lang)
            return [rated] if rated else expired
        if action == "more":
            more = self._kit.more(value, lang)
            return [more] if more else expired
        if action == "contact":
            contact = self._kit.contact(value, lang)
            return [contact] if contact else expired
        if action == "check":
            started = self._checklist.start(session, value, lang)
            return [started] if started else expired
        if action == "answer":
            step, choice = callbacks.checklist_answer(callback)
            answered = self._checklist.on_answer(session, step, choice, lang)
            return [replace(answered, replaces_menu=True)] if answered else expired
        return expired

    # ---- free text ----------------------------------------------------------------------------
    async def _on_text(self, session: Session, incoming: Incoming) -> list[Reply]:
        text = incoming.text.strip()
        detection = self._detector.detect(text[:MAX_TEXT_CHARS]) if text else None
        lang = choose_reply_language(
            self._answers.languages, session, detection, incoming.client_language
        )
        if not text:
            return [self._kit.menu(lang)]
        result = await self._nlu.parse(text[:MAX_TEXT_CHARS])
        crisis = self._safety.cards(result.risks, lang)
        if len(text) > MAX_TEXT_CHARS:
            too_long = self._kit.t(
                lang,
                "That message is very long. Please send a shorter one "
                "(up to {limit} characters) so I can understand it.",
                limit=MAX_TEXT_CHARS,
            )
            return [r for r in (crisis, self._kit.reply(lang, too_long)) if r]
        replies, outcome, topic = self._place(session, incoming, result, lang)
        if self._insight:
            self._insight.asked(session.user_key, text, result, lang, outcome, topic)
        if crisis is None:
            return replies
        kept = [r for r in replies if r.topic not in SMALL_TALK]
        if "self_harm" in result.risks:
            # A warm card, not a wall of topic buttons under it.
            kept = [r for r in kept if not r.guessing]
        return [crisis, *kept]

    def _shown(self, session: Session, topic: str, lang: Language) -> Reply:
        """A topic's answer from a button or command, open for 👍/👎."""
        if self._ratings:
            self._ratings.shown(session, topic, lang)
        return self._kit.topic(topic, lang)

    def _place(
        self, session: Session, incoming: Incoming, result: NluResult, lang: Language
    ) -> tuple[list[Reply], Outcome, str]:
        """The replies to a typed question, how it was met and the topic answered ("" if none)."""
        intent = result.intent
        if incoming.in_group and intent in PRIVATE_ONLY_INTENTS:
            payload = "status" if intent == "report_status" else "report"
            return [self._kit.to_private(lang, payload)], "direct", intent
        forwarded = incoming.forwarded
        if (
            self._scam
            and not incoming.in_group
            and self._scam.wants(incoming.text, result, forwarded=forwarded)
        ):
            return [self._scam.check(session, incoming.text, result, lang)], "direct", "scam_check"
        accepted = self._policy.accepts(intent, result.confidence)
        placed = intent if accepted and intent.startswith("faq_") else None
        self._safety.remember(session, placed, result.risks)
        if accepted and intent == REPORT_TOPIC:
            platform = next((e.value for e in result.entities if e.entity == "platform"), None)
            return self._starts.report(session, lang, platform), "direct", intent
        if accepted and intent == HANDOFF_TOPIC and self._handoff:
            return self._handoff.start(session, lang), "direct", intent
        if accepted and intent == "report_status":
            return self._starts.status(session, lang), "direct", intent
        if accepted and intent == "set_language":
            return [self._prefs.set_language(session, result, lang)], "direct", intent
        if accepted and intent in self._answers.topics():
            if intent in ("greet", "bot_help"):
                return [self._kit.topic(intent, lang, with_menu=True)], "direct", intent
            if intent == OUT_OF_SCOPE:
                return [self._kit.topic(intent, lang)], "out_of_scope", ""
            if self._ratings:
                text = incoming.text.strip()
                self._ratings.shown(session, intent, lang, asked=text, result=result)
            return [self._kit.topic(intent, lang)], "direct", intent
        if not result.risks:
            follow_up = self._safety.follow_up(session, incoming.text.strip(), lang)
            recent = self._safety.recent(session)
            if follow_up and recent:
                return [follow_up], "follow_up", recent.topic or ""
        guess = self._kit.did_you_mean(lang, [name for name, _ in result.ranking])
        return [guess], "did_you_mean" if guess.guessing else "out_of_scope", ""
