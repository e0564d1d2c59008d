"""The first screen of an answer is what a worried person reads on a phone: at most about 90
English words, the rest behind More. Malay runs about a tenth longer than English for the same
content; Chinese is counted in characters. Links and e-mail addresses are not words people read."""

from __future__ import annotations

import re

import pytest

from bot.content.answer_book import FileAnswerBook
from bot.settings import PROJECT_ROOT

BOOK = FileAnswerBook.load(PROJECT_ROOT / "responses", nlu_dir=PROJECT_ROOT / "nlu")
LIMITS = {"en": 95, "ms": 105, "zh": 200}
_ADDRESSES = re.compile(r"https?://\S+|\S+@\S+")
_WORD = re.compile(r"[A-Za-z0-9'’-]+")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def length(text: str, lang: str) -> int:
    text = _ADDRESSES.sub("", text)
    return len(_HAN.findall(text)) if lang == "zh" else len(_WORD.findall(text))


@pytest.mark.parametrize("lang", sorted(LIMITS))
def test_every_first_screen_fits_a_phone_screen(lang: str) -> None:
    too_long = {}
    for topic in BOOK.topics():
        answer = BOOK.answer(topic, lang)  # type: ignore[arg-type]
        assert answer is not None, topic
        if length(answer.text, lang) > LIMITS[lang]:
            too_long[topic] = length(answer.text, lang)
    assert too_long == {}, f"move detail under More ({lang} limit {LIMITS[lang]})"


def test_the_measure_counts_words_not_links() -> None:
    assert length("Call 997 now: https://semakmule.rmp.gov.my/ or a@b.my", "en") == 4
    assert length("马上打997，或上网 https://x.my", "zh") == 6
