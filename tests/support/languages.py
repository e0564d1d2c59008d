"""The project's languages, read from responses/languages.yml as the bot reads them."""

from __future__ import annotations

from bot.content.languages import load_languages
from bot.core.languages import Languages
from bot.settings import PROJECT_ROOT


def project_languages() -> Languages:
    languages, problems = load_languages(PROJECT_ROOT / "responses")
    assert languages is not None, problems
    return languages


LANGUAGES = project_languages()
