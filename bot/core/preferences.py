"""What a person sets about themselves: the reply language, scam alerts, and /forget, which
erases all of it. Kept together because /forget must undo exactly what the others keep."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from bot.core import callbacks
from bot.core.alerts import AlertToggle
from bot.core.identity import UserKey
from bot.core.languages import Language, Languages
from bot.core.messages import Button, Reply
from bot.core.ports import Forgetting, NluResult
from bot.core.replies import ReplyKit
from bot.core.session import Session


class Preferences:
    def __init__(
        self,
        kit: ReplyKit,
        languages: Languages,
        alerts: AlertToggle,
        forgetting: Forgetting | None,
        also_forget: Callable[[UserKey], None] = lambda _key: None,
    ) -> None:
        """`also_forget`: what the core holds in memory about the person (a scam check's link)."""
        self._kit = kit
        self._languages = languages
        self._alerts = alerts
        self._forgetting = forgetting
        self._also_forget = also_forget

    def pick_language(self, session: Session, code: str) -> list[Reply] | None:
        lang = self._languages.known(code)
        if lang is None:
            return None
        session.chosen_language = lang
        chosen = self._kit.menu(lang, self._kit.t(lang, "OK, I will reply in English from now on."))
        return [replace(chosen, replaces_menu=True)]

    def set_language(self, session: Session, result: NluResult, lang: Language) -> Reply:
        wanted = next(
            (
                self._languages.from_client_tag(e.value)
                for e in result.entities
                if e.entity == "language"
            ),
            None,
        )
        if wanted is None:
            return self._kit.language_question(lang)
        session.chosen_language = wanted
        return self._kit.menu(
            wanted, self._kit.t(wanted, "OK, I will reply in English from now on.")
        )

    def toggle_alerts(self, session: Session, lang: Language) -> Reply:
        return self._kit.menu(lang, self._alerts.toggle(session.user_key, lang))

    def follow_language(self, session: Session, lang: Language) -> None:
        self._alerts.follow(session.user_key, session.last_language, lang)
        session.last_language = lang

    def ask_forget(self, lang: Language) -> Reply:
        text = self._kit.t(
            lang,
            "This erases what I hold about you: your language, any report in progress, your "
            "scam-alert subscription, and the details of your reports (reports already "
            "delivered keep only their numbers and category). Erase now?",
        )
        buttons = [
            Button(self._kit.t(lang, "Yes, erase"), callbacks.encode("forget", "yes")),
            Button(self._kit.t(lang, "No, keep"), callbacks.encode("forget", "no")),
        ]
        return self._kit.reply(lang, text, buttons)

    def forget(self, session: Session, lang: Language, *, confirmed: bool) -> Reply:
        if not confirmed:
            return self._kit.menu(lang, self._kit.t(lang, "Nothing was erased."))
        erased = self._forgetting.forget(session.user_key) if self._forgetting else 0
        self._also_forget(session.user_key)
        session.forgotten = True
        text = self._kit.t(
            lang, "Done: I erased what I held about you ({count} report(s) affected).", count=erased
        )
        return replace(self._kit.reply(lang, text), forgets_person=True)
