"""Loading our scikit-learn models without trusting the file. skops refuses types it does not
know unless told to trust them; trusting whatever `get_untrusted_types` lists would trust anything a
crafted file names (`os.system`, `builtins.eval`). So the allowed types are listed here, and a
file naming any other is refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import skops.io as sio

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
    return sio.load(path, trusted=sorted(ALLOWED_TYPES))
