"""Per-message language for en/ms/zh.

Any Chinese characters settle it (rojak with Chinese is answered in Chinese). Otherwise a small
character-n-gram classifier trained on our own English and Malay training data decides: measured
on the held-out set it beat lingua restricted to English/Malay/Indonesian (see docs/benchmarks.md),
because it has seen SMS Malay ("sy nk tanya", "x blh") and Manglish. It trains in well under a
second, so it is fitted at start-up from nlu/data and never goes stale.
"""

from __future__ import annotations

import re
from pathlib import Path

import regex
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline, make_union

from bot.core.messages import Language
from bot.core.ports import Detection

_HAN = regex.compile(r"\p{Han}")
_LETTER = regex.compile(r"\p{L}")
_WORD = regex.compile(r"[\p{L}']+")
_ENTITY = re.compile(r"\[([^\]]+)\]\(\w+\)")
# Words every Malaysian uses whatever language they speak: alone they say nothing about it.
NEUTRAL = frozenset(
    "ok okay okey k hi hii hey tq ty thx bye byee lol haha hahaha hehe hmm yes no ya ye "
    "yup nope sorry pls please help menu start waspada bot".split()
)


def training_examples(
    nlu_dir: Path, languages: tuple[Language, ...] = ("en", "ms")
) -> tuple[list[str], list[str]]:
    texts: list[str] = []
    labels: list[str] = []
    for lang in languages:
        for path in sorted((nlu_dir / "data" / lang).glob("*.yml")):
            for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
                for line in str(block.get("examples", "")).splitlines():
                    if line.strip().startswith("- "):
                        texts.append(_ENTITY.sub(r"\1", line.strip()[2:]))
                        labels.append(lang)
    return texts, labels


def _normalise(text: str) -> str:
    return " ".join(w for w in _WORD.findall(text.lower()) if w not in NEUTRAL)


class TrainedDetector:
    def __init__(self, model: Pipeline) -> None:
        self._model = model

    @classmethod
    def from_nlu_data(cls, nlu_dir: Path) -> TrainedDetector:
        texts, labels = training_examples(nlu_dir)
        model = make_pipeline(
            make_union(
                TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True),
                TfidfVectorizer(analyzer="word", token_pattern=r"[\w']+"),  # noqa: S106
            ),
            LogisticRegression(C=10, max_iter=2000),
        )
        model.fit([_normalise(t) for t in texts], labels)
        return cls(model)

    def detect(self, text: str) -> Detection:
        han = len(_HAN.findall(text))
        if han:
            return Detection("zh", 1.0 if han >= 2 else 0.8)
        cleaned = _normalise(text)
        if len(_LETTER.findall(cleaned)) < 2:
            return Detection(None, 0.0)
        probabilities = self._model.predict_proba([cleaned])[0]
        best = int(probabilities.argmax())
        language: Language = "en" if self._model.classes_[best] == "en" else "ms"
        return Detection(language, float(probabilities[best]))
