"""Per-message language, for the languages in responses/languages.yml.

Letters of a language's own script settle it: any Chinese characters (`script: Han`) mean
Chinese, so rojak with Chinese is answered in Chinese. Otherwise a small character-n-gram
classifier trained on the other languages' own training data (English and Malay) decides: measured
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

from bot.core.languages import Language, Languages
from bot.core.ports import Detection

_LETTER = regex.compile(r"\p{L}")
_WORD = regex.compile(r"[\p{L}']+")
_ENTITY = re.compile(r"\[([^\]]+)\]\(\w+\)")
# Words every Malaysian uses whatever language they speak: alone they say nothing about it.
NEUTRAL = frozenset(
    "ok okay okey k hi hii hey tq ty thx bye byee lol haha hahaha hehe hmm yes no ya ye "
    "yup nope sorry pls please help menu start waspada bot".split()
)


def training_examples(
    nlu_dir: Path, languages: tuple[Language, ...]
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
    """`scripts`: a compiled `\\p{Script}` pattern per language it settles. `model` tells the
    other languages apart; with only one of them there is nothing to learn."""

    def __init__(
        self,
        model: Pipeline | None,
        scripts: tuple[tuple[regex.Pattern[str], Language], ...] = (),
        only: Language | None = None,
    ) -> None:
        self._model = model
        self._scripts = scripts
        self._only = only

    @classmethod
    def from_nlu_data(cls, nlu_dir: Path, languages: Languages) -> TrainedDetector:
        scripts = tuple(
            (regex.compile(rf"\p{{{info.script}}}"), info.code) for info in languages if info.script
        )
        others = tuple(info.code for info in languages if not info.script)
        if len(others) < 2:
            return cls(None, scripts, others[0] if others else None)
        texts, labels = training_examples(nlu_dir, others)
        model = make_pipeline(
            make_union(
                TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True),
                TfidfVectorizer(analyzer="word", token_pattern=r"[\w']+"),  # noqa: S106
            ),
            LogisticRegression(C=10, max_iter=2000),
        )
        model.fit([_normalise(t) for t in texts], labels)
        return cls(model, scripts)

    def detect(self, text: str) -> Detection:
        for pattern, code in self._scripts:
            letters = len(pattern.findall(text))
            if letters:
                return Detection(code, 1.0 if letters >= 2 else 0.8)
        cleaned = _normalise(text)
        if len(_LETTER.findall(cleaned)) < 2:
            return Detection(None, 0.0)
        if self._model is None:
            return Detection(self._only, 1.0 if self._only else 0.0)
        probabilities = self._model.predict_proba([cleaned])[0]
        best = int(probabilities.argmax())
        return Detection(str(self._model.classes_[best]), float(probabilities[best]))
