"""UI strings (menus, prompts, errors) come from compiled gettext catalogs in locales/."""

from __future__ import annotations

from pathlib import Path

from babel.support import NullTranslations, Translations

from bot.core.messages import LANGUAGES, Language

BABEL_LOCALES: dict[Language, str] = {"en": "en", "ms": "ms", "zh": "zh_Hans"}


class BabelTranslator:
    def __init__(self, locales_dir: Path) -> None:
        self._catalogs: dict[Language, NullTranslations] = {
            lang: Translations.load(str(locales_dir), [BABEL_LOCALES[lang]], domain="messages")
            for lang in LANGUAGES
        }

    def gettext(self, language: Language, message: str, **values: object) -> str:
        text: str = self._catalogs[language].gettext(message)
        return text.format(**values) if values else text
