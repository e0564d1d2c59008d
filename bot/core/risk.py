"""What the risk screen can raise, in the order their actions are shown: a life in danger before
money. The names are shared with the NLU data (`risk_<class>` intents, `cue_<class>` cues) and the
crisis cards in responses/crisis.yml."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

RiskClass = Literal["danger_now", "self_harm", "child_at_risk", "sextortion_now", "money_just_lost"]
RISK_CLASSES: tuple[RiskClass, ...] = (
    "danger_now",
    "self_harm",
    "child_at_risk",
    "sextortion_now",
    "money_just_lost",
)


def by_urgency(names: Iterable[str]) -> tuple[RiskClass, ...]:
    """Known classes only, most urgent first, each once."""
    wanted = set(names)
    return tuple(r for r in RISK_CLASSES if r in wanted)
