"""UI strings: every message translated in every language, placeholders intact, catalog current."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from bot.i18n.fill_source import fill
from bot.i18n.translator import BabelTranslator
from bot.settings import PROJECT_ROOT
from tests.support.languages import LANGUAGES

LOCALES = PROJECT_ROOT / "locales"
PYBABEL = str(Path(sys.executable).with_name("pybabel"))
PLACEHOLDER = re.compile(r"\{\w+\}")
ALL_LOCALES = [i.babel_locale for i in LANGUAGES]
SOURCE = LANGUAGES.info(LANGUAGES.default).babel_locale
TRANSLATED = [locale for locale in ALL_LOCALES if locale != SOURCE]


def read_catalog(locale: str) -> Catalog:
    with (LOCALES / locale / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=locale)


def forms(text: object) -> tuple[str, ...]:
    """A msgid or msgstr as a tuple: a plural entry has several forms, each must be filled."""
    return tuple(text) if isinstance(text, (list, tuple)) else (str(text),)


def test_every_language_has_a_catalog() -> None:
    for info in LANGUAGES:
        assert (LOCALES / info.babel_locale / "LC_MESSAGES" / "messages.po").exists(), info.code


@pytest.mark.parametrize("locale", ALL_LOCALES)
def test_no_catalog_has_an_empty_or_fuzzy_entry(locale: str) -> None:
    """English too: `make locales` fills it from the msgids (bot/i18n/fill_source.py)."""
    for message in read_catalog(locale):
        if not message.id:
            continue
        assert all(forms(message.string)), f"{locale}: empty msgstr for {message.id!r}"
        assert not message.fuzzy, f"{locale}: fuzzy {message.id!r}"
        for text in forms(message.string):
            assert sorted(PLACEHOLDER.findall(text)) == sorted(
                PLACEHOLDER.findall(" ".join(forms(message.id)))
            ), f"{locale}: placeholders differ in {message.id!r}"


def test_english_says_what_the_code_says() -> None:
    for message in read_catalog(SOURCE):
        if message.id and not isinstance(message.id, (list, tuple)):
            assert message.string == message.id, f"{SOURCE}: {message.id!r} reads differently"


def test_filling_english_copies_every_msgid_including_plurals() -> None:
    catalog = Catalog(locale="en")
    catalog.add("New string", "")
    catalog.add(("{count} screenshot", "{count} screenshots"), ("", ""))
    catalog.add("Guessed", "Something else", flags=["fuzzy"])
    catalog.add("Already filled", "Already filled")
    assert fill(catalog) == 3
    assert catalog.get("New string").string == "New string"
    plural = catalog.get("{count} screenshot")
    assert plural.string == ("{count} screenshot", "{count} screenshots")
    assert catalog.get("Guessed").string == "Guessed"
    assert not catalog.get("Guessed").fuzzy
    assert fill(catalog) == 0, "a filled catalog is left as it is"


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
    for locale in ALL_LOCALES:
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
