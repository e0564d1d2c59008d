"""UI strings: every message translated in every language, placeholders intact, catalog current."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.i18n.translator import BabelTranslator
from bot.settings import PROJECT_ROOT
from tests.support.languages import LANGUAGES

LOCALES = PROJECT_ROOT / "locales"
PYBABEL = str(Path(sys.executable).with_name("pybabel"))
PLACEHOLDER = re.compile(r"\{\w+\}")
TRANSLATED = [i.babel_locale for i in LANGUAGES if i.code != LANGUAGES.default]


def test_every_language_has_a_catalog() -> None:
    for info in LANGUAGES:
        assert (LOCALES / info.babel_locale / "LC_MESSAGES" / "messages.po").exists(), info.code


@pytest.mark.parametrize("locale", TRANSLATED)
def test_catalog_is_fully_translated_without_fuzzy_entries(locale: str) -> None:
    with (LOCALES / locale / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f, locale=locale)
    for message in catalog:
        if not message.id:
            continue
        assert message.string, f"{locale}: untranslated {message.id!r}"
        assert not message.fuzzy, f"{locale}: fuzzy {message.id!r}"
        assert sorted(PLACEHOLDER.findall(str(message.string))) == sorted(
            PLACEHOLDER.findall(str(message.id))
        ), f"{locale}: placeholders differ in {message.id!r}"


def test_catalog_template_matches_the_code(tmp_path: Path) -> None:
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            PYBABEL,
            "-q",
            "extract",
            "-F",
            "pyproject.toml",
            "-o",
            str(pot),
            "--no-location",
            "--sort-output",
            "-c",
            "TRANSLATORS:",
            "--no-default-keywords",
            "-k",
            "_t:2",
            "-k",
            "t:2",
            "-k",
            "gettext:2",
            "-k",
            "N_",
            ".",
        ],
        cwd=PROJECT_ROOT,
        check=True,
    )
    for locale in TRANSLATED:
        result = subprocess.run(
            [
                PYBABEL,
                "-q",
                "update",
                "--check",
                "-i",
                str(pot),
                "-d",
                str(LOCALES),
                "-D",
                "messages",
                "-l",
                locale,
                "--no-fuzzy-matching",
                "--ignore-obsolete",
                "--ignore-pot-creation-date",
            ],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, f"run `make locales`: {result.stderr[-400:]}"


def test_malay_and_chinese_people_see_translated_menus() -> None:
    translator = BabelTranslator(LOCALES, LANGUAGES)
    assert translator.gettext("ms", "Main menu") == "Menu utama"
    assert translator.gettext("zh", "Main menu") == "主菜单"
    assert translator.gettext("en", "Main menu") == "Main menu"
