"""Per-message language, for the languages in responses/languages.yml.

Letters of a language's own script settle it: any Chinese characters (`script: Han`) mean
Chinese, so rojak with Chinese is answered in Chinese. Otherwise a small character-n-gram
classifier trained on the other languages' own training data (English and Malay) decides: measured
on the held-out set it beat lingua restricted to English/Malay/Indonesian (see docs/benchmarks.md),
because it has seen SMS Malay ("sy nk tanya", "x blh") and Manglish. It is fitted from nlu/data,
so it never goes stale; fitting took 4 s of every start-up, so the fitted model is kept in the
models folder under a hash of its training examples and read back (0.1 s) while they are unchanged.
"""

from __future__ import annotations

import hashlib
import os
import re
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import regex
import sklearn
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline, make_union

from bot.core.languages import Language, Languages
from bot.core.ports import Detection

# Bump when the pipeline in `_fit` changes, so a model kept by the old code is not read back.
_PIPELINE_VERSION = "1"
_CACHE_PREFIX = "language-id-"

_LETTER = regex.compile(r"\p{L}")
_WORD = regex.compile(r"[\p{L}']+")
# libyaml when PyYAML has it: the pure-Python parser took most of the start-up here.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
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
            text = path.read_text(encoding="utf-8")
            data = yaml.load(text, Loader=_LOADER) or {}  # noqa: S506 - a safe loader
            for block in data.get("nlu", []):
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
    def from_nlu_data(
        cls, nlu_dir: Path, languages: Languages, cache_dir: Path | None = None
    ) -> TrainedDetector:
        scripts = tuple(
            (regex.compile(rf"\p{{{info.script}}}"), info.code) for info in languages if info.script
        )
        others = tuple(info.code for info in languages if not info.script)
        if len(others) < 2:
            return cls(None, scripts, others[0] if others else None)
        texts, labels = training_examples(nlu_dir, others)
        if cache_dir is None:
            return cls(_fit(texts, labels), scripts)
        path = cache_dir / f"{_CACHE_PREFIX}{_fingerprint(texts, labels)}.npz"
        model = _read(path)
        if model is None:
            model = _fit(texts, labels)
            _keep(model, path)
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


def _vectorizers() -> tuple[TfidfVectorizer, TfidfVectorizer]:
    return (
        TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True),
        TfidfVectorizer(analyzer="word", token_pattern=r"[\w']+"),  # noqa: S106
    )


def _fit(texts: list[str], labels: list[str]) -> Pipeline:
    model = make_pipeline(make_union(*_vectorizers()), LogisticRegression(C=10, max_iter=2000))
    model.fit([_normalise(t) for t in texts], labels)
    return model


def _fingerprint(texts: list[str], labels: list[str]) -> str:
    digest = hashlib.sha256(f"{_PIPELINE_VERSION} {sklearn.__version__}".encode())
    for text, label in zip(texts, labels, strict=True):
        digest.update(f"\n{label}\t{text}".encode())
    return digest.hexdigest()[:16]


def _read(path: Path) -> Pipeline | None:
    """Plain arrays (`allow_pickle=False`), so the file can only ever hold numbers and words:
    0.05 s, where skops took 3 s over its 21 MB. One that cannot be read (cut short) is refitted."""
    if not path.is_file():
        return None
    try:
        with path.open("rb") as file, np.load(file, allow_pickle=False) as arrays:
            vectorizers = _vectorizers()
            for i, vectorizer in enumerate(vectorizers):
                terms = arrays[f"terms{i}"].tolist()
                vectorizer.set_params(vocabulary={term: n for n, term in enumerate(terms)})
                vectorizer.idf_ = arrays[f"idf{i}"]
            classifier = LogisticRegression(C=10, max_iter=2000)
            classifier.coef_ = arrays["coef"]
            classifier.intercept_ = arrays["intercept"]
            classifier.classes_ = arrays["classes"]
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return None
    return make_pipeline(make_union(*vectorizers), classifier)


def _keep(model: Pipeline, path: Path) -> None:
    """Written beside, then renamed: two processes starting together never read half a file.
    Older kept models go, so the folder holds one."""
    union, classifier = model.steps[0][1], model.steps[-1][1]
    arrays: dict[str, Any] = {
        "coef": classifier.coef_,
        "intercept": classifier.intercept_,
        "classes": np.asarray(classifier.classes_, dtype=str),
    }
    for i, (_, vectorizer) in enumerate(union.transformer_list):
        vocabulary = vectorizer.vocabulary_
        terms = sorted(vocabulary, key=vocabulary.__getitem__)
        arrays[f"terms{i}"] = np.asarray(terms, dtype=str)
        arrays[f"idf{i}"] = vectorizer.idf_
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
        with partial.open("wb") as file:
            np.savez(file, **arrays)
        partial.chmod(0o600)
        partial.replace(path)
        for old in path.parent.glob(f"{_CACHE_PREFIX}*.npz"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        return
