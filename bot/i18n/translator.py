"""UI strings (menus, prompts, errors) come from compiled gettext catalogs in locales/."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from babel.dates import format_date
from babel.support import NullTranslations, Translations

from bot.core.messages import LANGUAGES, Language

BABEL_LOCALES: dict[Language, str] = {"en": "en", "ms": "ms", "zh": "zh_Hans"}
# Dates as a Malaysian reader expects them: "24 Nov 2026" (en, ms), "2026年11月24日" (zh).
DATE_LOCALES: dict[Language, str] = {"en": "en_MY", "ms": "ms_MY", "zh": "zh_Hans_MY"}


class BabelTranslator:
    def __init__(self, locales_dir: Path) -> None:
        self._catalogs: dict[Language, NullTranslations] = {
            lang: Translations.load(str(locales_dir), [BABEL_LOCALES[lang]], domain="messages")
            for lang in LANGUAGES
        }

    def gettext(self, language: Language, message: str, **values: object) -> str:
        text: str = self._catalogs[language].gettext(message)
        return text.format(**values) if values else text

    def format_date(self, language: Language, value: date) -> str:
        return str(format_date(value, format="medium", locale=DATE_LOCALES[language]))
