"""The held-out NLU test set (nlu/tests/, never trained on), as the tests read it."""

from __future__ import annotations

from bot.nlu.evaluation import Case, load_cases
from bot.settings import PROJECT_ROOT

__all__ = ["Case", "all_cases"]


def all_cases() -> list[Case]:
    return load_cases(PROJECT_ROOT / "nlu" / "tests")
