"""A fourth language is data only. The test builds a pseudo-language `xx` (English with its
vowels dotted, placeholders left alone) in copies of responses/, locales/ and nlu/data, and
runs the unmodified bot package on them: a person can pick it, and every answer, button, crisis
card, checklist and UI string reaches them in it."""

from __future__ import annotations

import asyncio
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from bot.content.answer_book import FileAnswerBook
from bot.core import callbacks
from bot.core.dialogue import Dialogue
from bot.core.messages import Incoming, Reply
from bot.i18n.translator import BabelTranslator
from bot.nlu.language_id import TrainedDetector
from bot.settings import PROJECT_ROOT
from bot.storage.database import open_database
from bot.storage.sessions import SqliteSessionStore
from tests.fakes.clock import FakeClock
from tests.fakes.doubles import FakeNlu
from tests.support.people import FIRST

_DOTTED = str.maketrans("aeiouAEIOU", "äëïöüÄËÏÖÜ")
_UNDOTTED = str.maketrans("äëïöüÄËÏÖÜ", "aeiouAEIOU")
_KEEP = re.compile(r"(\{[^}]*\}|https?://\S+|\*\*)")


def pseudo(text: str) -> str:
    """Same length, visibly different, placeholders and links intact."""
    return "".join(
        part if _KEEP.fullmatch(part) else part.translate(_DOTTED) for part in _KEEP.split(text)
    )


def _add_pseudo_texts(node: Any) -> Any:
    """Every `{en: …, ms: …, zh: …}` block gains an `xx:` text made from its English."""
    if isinstance(node, dict):
        node = {key: _add_pseudo_texts(value) for key, value in node.items()}
        if {"en", "ms", "zh"} <= node.keys() and isinstance(node["en"], str):
            node["xx"] = pseudo(node["en"])
        return node
    if isinstance(node, list):
        return [_add_pseudo_texts(item) for item in node]
    return node


def _write_yaml(path: Path, data: Any) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def build_pseudo_language(root: Path) -> tuple[Path, Path, Path]:
    """Copies of responses/, locales/ and nlu/ with `xx` added the way a translator would."""
    responses, locales, nlu = root / "responses", root / "locales", root / "nlu"
    shutil.copytree(PROJECT_ROOT / "responses", responses)
    shutil.copytree(PROJECT_ROOT / "locales", locales)
    shutil.copytree(PROJECT_ROOT / "nlu" / "data", nlu / "data")

    registry = yaml.safe_load((responses / "languages.yml").read_text(encoding="utf-8"))
    registry["languages"].append(
        {
            "code": "xx",
            "name": "Pseudo",
            "babel_locale": "xx",
            "date_locale": "en_MY",
            "client_tags": ["xx"],
            "contact_labels": {f: pseudo(f.title()) for f in ("phone", "whatsapp", "email")}
            | {"url": "Wëbsïtë", "hours": "Höürs"},
        }
    )
    _write_yaml(responses / "languages.yml", registry)
    for path in responses.rglob("*.yml"):
        if path.name != "languages.yml":
            _write_yaml(path, _add_pseudo_texts(yaml.safe_load(path.read_text(encoding="utf-8"))))

    with (PROJECT_ROOT / "locales" / "messages.pot").open("rb") as template_file:
        template = read_po(template_file)
    catalog = Catalog(locale="en", domain="messages")
    for message in template:
        if message.id:
            catalog.add(message.id, pseudo(str(message.id)))
    folder = locales / "xx" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "messages.po").open("wb") as po:
        write_po(po, catalog)
    with (folder / "messages.mo").open("wb") as mo:
        write_mo(mo, catalog)

    (nlu / "data" / "xx").mkdir()
    for path in (nlu / "data" / "en").glob("*.yml"):
        english = path.read_text(encoding="utf-8")
        examples = re.sub(r"(?m)^(\s+- )(.*)$", lambda m: m[1] + pseudo(m[2]), english)
        (nlu / "data" / "xx" / path.name).write_text(examples, encoding="utf-8")
    return responses, locales, nlu


@pytest.fixture(scope="module")
def pseudo_project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    return build_pseudo_language(tmp_path_factory.mktemp("fourth-language"))


PHOTO_QUESTION = pseudo("is it safe to post my son's photo at the beach")
DANGER = pseudo("my ex is at my door with a knife")


@pytest.fixture(scope="module")
def detector(pseudo_project: tuple[Path, Path, Path]) -> TrainedDetector:
    responses, _, nlu_dir = pseudo_project
    return TrainedDetector.from_nlu_data(nlu_dir, FileAnswerBook.load(responses).languages)


@pytest.fixture
def dialogue(pseudo_project: tuple[Path, Path, Path], detector: TrainedDetector) -> Dialogue:
    responses, locales, _ = pseudo_project
    answers = FileAnswerBook.load(responses)
    return Dialogue(
        nlu=FakeNlu(
            {PHOTO_QUESTION: ("faq_child_photos", 0.97), DANGER: ("out_of_scope", 0.4)},
            risks={DANGER: ("danger_now",)},
        ),
        detector=detector,
        answers=answers,
        translator=BabelTranslator(locales, answers.languages),
        sessions=SqliteSessionStore(open_database(":memory:"), FakeClock()),
    )


def say(dialogue: Dialogue, text: str, client_language: str | None = "en") -> list[Reply]:
    return asyncio.run(dialogue.handle(Incoming(FIRST, "text", text, client_language)))


def press(dialogue: Dialogue, data: str) -> list[Reply]:
    return asyncio.run(dialogue.handle(Incoming(FIRST, "button", data, "en")))


def test_the_answer_files_pass_their_checks_with_a_fourth_language(
    pseudo_project: tuple[Path, Path, Path],
) -> None:
    book, problems = FileAnswerBook.check(pseudo_project[0], nlu_dir=PROJECT_ROOT / "nlu")
    assert problems == []
    assert book is not None and book.languages.codes == ("en", "ms", "zh", "xx")


def test_a_person_picks_the_new_language_from_the_language_menu(dialogue: Dialogue) -> None:
    menu = (press(dialogue, callbacks.encode("language_menu")))[0]
    names = {button.label: button.data for button in menu.buttons}
    assert "Pseudo" in names

    chosen = (press(dialogue, names["Pseudo"]))[0]
    assert chosen.language == "xx"
    assert chosen.text.startswith(pseudo("OK, I will reply in English from now on."))
    assert pseudo("Report this") in " ".join(b.label for b in chosen.buttons)


def test_answers_and_crisis_cards_come_in_the_new_language(dialogue: Dialogue) -> None:
    press(dialogue, callbacks.encode("language", "xx"))
    english = FileAnswerBook.load(PROJECT_ROOT / "responses")

    answer = (say(dialogue, PHOTO_QUESTION))[0]
    expected = english.answer("faq_child_photos", "en")
    assert expected is not None
    assert answer.text != expected.text
    assert answer.text.translate(_UNDOTTED) == expected.text

    checklist = press(dialogue, callbacks.encode("check", "photo_check"))[0]
    photo_check = english.checklist("photo_check", "en")
    assert photo_check is not None
    assert photo_check.intro not in checklist.text
    assert photo_check.intro in checklist.text.translate(_UNDOTTED)

    crisis = (say(dialogue, DANGER))[0]
    card = english.crisis("danger_now", "en")
    assert card is not None
    assert crisis.text != card.text
    assert crisis.text.translate(_UNDOTTED) == card.text
    assert "999" in crisis.text


def test_a_message_written_in_the_new_language_is_answered_in_it(
    dialogue: Dialogue,
) -> None:
    """No choice made: the detector, trained on the new language's examples, recognises it."""
    replies = say(dialogue, PHOTO_QUESTION, client_language=None)
    assert replies[0].language == "xx"


def test_a_phone_set_to_the_new_language_gets_it_from_the_first_message(
    dialogue: Dialogue,
) -> None:
    replies = say(dialogue, "/start", client_language="xx-XX")
    assert replies[0].language == "xx"
    assert replies[0].text != (say(dialogue, "/start", client_language="en"))[0].text
