"""Per-message language for en/ms/zh. Any Chinese characters settle it (rojak with Chinese is
answered in Chinese); otherwise lingua, restricted to English, Malay and Indonesian, because
unrestricted detectors call short Malay "Indonesian" (shared/TRAPS.md). Indonesian counts as Malay.
"""

from __future__ import annotations

import regex
from lingua import Language as LinguaLanguage
from lingua import LanguageDetectorBuilder

from bot.core.ports import Detection

_HAN = regex.compile(r"\p{Han}")
_LETTER = regex.compile(r"\p{L}")
_WORD = regex.compile(r"[\p{L}']+")
# Words every Malaysian uses whatever language they speak: alone they say nothing about it.
_NEUTRAL = frozenset(
    "ok okay okey k hi hii hey tq ty thx bye byee lol haha hahaha hehe hmm yes no ya ye "
    "yup nope sorry pls please help menu start".split()
)


class LinguaDetector:
    def __init__(self) -> None:
        self._detector = LanguageDetectorBuilder.from_languages(
            LinguaLanguage.ENGLISH, LinguaLanguage.MALAY, LinguaLanguage.INDONESIAN
        ).build()

    def detect(self, text: str) -> Detection:
        han = len(_HAN.findall(text))
        if han:
            return Detection("zh", 1.0 if han >= 2 else 0.8)
        words = [w.lower() for w in _WORD.findall(text)]
        if len(_LETTER.findall(text)) < 2 or all(w in _NEUTRAL for w in words):
            return Detection(None, 0.0)
        english = malay = 0.0
        for value in self._detector.compute_language_confidence_values(text):
            if value.language == LinguaLanguage.ENGLISH:
                english += value.value
            else:
                malay += value.value
        return Detection("en", english) if english >= malay else Detection("ms", malay)
