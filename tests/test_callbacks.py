from __future__ import annotations

from bot.content.answer_book import FileAnswerBook
from bot.core import callbacks
from bot.settings import PROJECT_ROOT
from tests.support.languages import LANGUAGES


def every_button_the_bot_can_make() -> list[str]:
    topics = FileAnswerBook.load(PROJECT_ROOT / "responses").topics()
    return (
        [callbacks.encode("topic", t) for t in topics]
        + [callbacks.encode("language", lang) for lang in LANGUAGES.codes]
        + [callbacks.encode("menu"), callbacks.encode("language_menu")]
    )


def test_every_button_fits_telegrams_64_bytes_and_decodes_back() -> None:
    for data in every_button_the_bot_can_make():
        assert len(data.encode()) <= 64
        decoded = callbacks.decode(data)
        assert decoded is not None
        assert callbacks.encode(decoded.action, decoded.value) == data


def test_buttons_from_another_version_are_not_trusted() -> None:
    assert callbacks.decode("v0:m") is None
    assert callbacks.decode("v1:zz:x") is None
