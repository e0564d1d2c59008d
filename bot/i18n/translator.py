"""UI strings (menus, prompts, errors) come from compiled gettext catalogs in locales/, one per
language in responses/languages.yml, found by its `babel_locale`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from babel.dates import format_date
from babel.support import NullTranslations, Translations

from bot.core.languages import Language, Languages


class BabelTranslator:
    def __init__(self, locales_dir: Path, languages: Languages) -> None:
        self._languages = languages
        self._catalogs: dict[Language, NullTranslations] = {
            info.code: Translations.load(str(locales_dir), [info.babel_locale], domain="messages")
            for info in languages
        }

    def gettext(self, language: Language, message: str, **values: object) -> str:
        """An unknown language is answered in the default one rather than failing the turn."""
        catalog = self._catalogs.get(language) or self._catalogs[self._languages.default]
        text: str = catalog.gettext(message)
        return text.format(**values) if values else text

    def format_date(self, language: Language, value: date) -> str:
        """Dates as a Malaysian reader expects them: "24 Nov 2026", "2026年11月24日"."""
        locale = self._languages.info(language).date_locale
        return str(format_date(value, format="medium", locale=locale))
