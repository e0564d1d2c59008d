"""Writing and loading our scikit-learn models without trusting the file. skops refuses types it
does not know unless told to trust them; trusting whatever `get_untrusted_types` lists would trust
anything a crafted file names (`os.system`, `builtins.eval`). So the allowed types are listed here,
and a file naming any other is refused.

skops writes a dict as one schema node per entry. Our n-gram vocabularies hold hundreds of
thousands of entries, so for the risk screen alone that was 18 s to write, 18 s to read and a
160 MB schema: most of training and of a bot's start-up. They are kept beside the model as plain
JSON instead, which is data and cannot name a type:

| file                      | holds                                   | risk screen: write / read |
|---------------------------|-----------------------------------------|---------------------------|
| `<name>.skops`            | the model, vocabularies left empty      | 0.5 s / 0.4 s             |
| `<name>.vocabulary.json`  | each vectorizer's vocabulary, in order  | 0.8 s / 0.4 s             |
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
import skops.io as sio
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer
from sklearn.preprocessing import normalize

from bot.errors import ModelNotTrained

# Beyond the scikit-learn and numpy types skops trusts itself, our models hold exactly these.
ALLOWED_TYPES = frozenset(
    {
        "bot.nlu.tokenizer.mixed_words",
        "scipy.sparse._csr.csr_matrix",
        "sklearn.utils._bunch.Bunch",
    }
)


def dump_model(model: Any, path: Path) -> None:
    vectorizers = list(_vectorizers(model))
    vocabularies = [v.vocabulary_ for v in vectorizers]
    try:
        for vectorizer in vectorizers:
            vectorizer.vocabulary_ = {}
        sio.dump(model, path)
    finally:
        for vectorizer, vocabulary in zip(vectorizers, vocabularies, strict=True):
            vectorizer.vocabulary_ = vocabulary
    _vocabulary_file(path).write_text(json.dumps(vocabularies, ensure_ascii=False), "utf-8")


def load_trusted(path: Path) -> Any:
    unexpected = sorted(set(sio.get_untrusted_types(file=path)) - ALLOWED_TYPES)
    if unexpected:
        raise ModelNotTrained(
            f"{path.name} names types we never write ({', '.join(unexpected)}); "
            "retrain with `waspada nlu train --force`."
        )
    model = sio.load(path, trusted=sorted(ALLOWED_TYPES))
    _restore_vocabularies(model, path)
    _ready_for_one_message_at_a_time(model)
    return model


def _vocabulary_file(path: Path) -> Path:
    return path.with_suffix(".vocabulary.json")


def _restore_vocabularies(model: Any, path: Path) -> None:
    """Each vocabulary must fit its vectorizer's weights, so a file from another model, or one
    cut short, is refused instead of silently scoring the wrong n-grams."""
    vectorizers = list(_vectorizers(model))
    try:
        vocabularies = json.loads(_vocabulary_file(path).read_text("utf-8"))
    except (OSError, ValueError) as error:
        raise ModelNotTrained(
            f"{path.name}: its vocabularies cannot be read ({error}); "
            "retrain with `waspada nlu train --force`."
        ) from None
    fits = isinstance(vocabularies, list) and len(vocabularies) == len(vectorizers)
    if fits:
        for vectorizer, vocabulary in zip(vectorizers, vocabularies, strict=True):
            fits = fits and isinstance(vocabulary, dict)
            fits = fits and len(vocabulary) == len(vectorizer.idf_)
            fits = fits and set(vocabulary.values()) == set(range(len(vocabulary)))
    if not fits:
        raise ModelNotTrained(
            f"{path.name}: its vocabularies do not fit the model; "
            "retrain with `waspada nlu train --force`."
        )
    for vectorizer, vocabulary in zip(vectorizers, vocabularies, strict=True):
        vectorizer.vocabulary_ = vocabulary


def _vectorizers(node: Any) -> Iterator[TfidfVectorizer]:
    """The fitted ones, in one fixed order: the same for the model written and the model read
    back. An unfitted template (a pipeline's parameter) has no vocabulary to keep."""
    if isinstance(node, (list, tuple)):
        for item in node:
            yield from _vectorizers(item)
    elif isinstance(node, dict):
        for item in node.values():
            yield from _vectorizers(item)
    elif isinstance(node, BaseEstimator):
        if isinstance(node, TfidfVectorizer) and hasattr(node, "vocabulary_"):
            yield node
        for value in vars(node).values():
            yield from _vectorizers(value)


class _OneMessageTfidf(TfidfTransformer):  # type: ignore[misc]
    """scikit-learn 1.1 weighs a message by multiplying with an n×n diagonal matrix and recomputes
    `idf_` from it on every call: work in proportion to the vocabulary (hundreds of thousands of
    character n-grams), not the message. Scaling the message's own non-zeros gives the same
    numbers."""

    _idf_vector: np.ndarray[Any, Any]

    def transform(self, counts: Any, copy: bool = True) -> Any:
        weights = sp.csr_matrix(counts, dtype=np.float64, copy=copy)
        if self.sublinear_tf:
            np.log(weights.data, weights.data)
            weights.data += 1
        if self.use_idf:
            weights.data *= self._idf_vector[weights.indices]
        return normalize(weights, norm=self.norm, copy=False) if self.norm else weights


def _ready_for_one_message_at_a_time(node: Any) -> None:
    """The bot predicts one message at a time, which scikit-learn does not optimise for. Two
    fixes, same numbers: coefficients in column order (`X @ coef_.T` otherwise copies the whole
    matrix per call) and the weighting above. Together they took a parse from 14 to 3 ms (p50)."""
    if isinstance(node, (list, tuple)):
        for item in node:
            _ready_for_one_message_at_a_time(item)
    elif isinstance(node, dict):
        for item in node.values():
            _ready_for_one_message_at_a_time(item)
    elif isinstance(node, BaseEstimator):
        coef = getattr(node, "coef_", None)
        if isinstance(coef, np.ndarray) and coef.ndim == 2:
            node.coef_ = np.asfortranarray(coef)
        if type(node) is TfidfTransformer and node.use_idf:
            node.__class__ = _OneMessageTfidf
            node._idf_vector = np.asarray(node.idf_, dtype=np.float64)
        for value in list(vars(node).values()):
            _ready_for_one_message_at_a_time(value)
