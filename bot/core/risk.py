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


# At or above this, the screen is sure enough of a class for it to lead by urgency.
SURE = 0.5


def in_reply_order(scored: Iterable[tuple[str, float]]) -> tuple[RiskClass, ...]:
    """The order the cards are shown in. Classes the screen is sure of come first, most urgent
    first (a life in danger before money); classes it only suspects follow, most likely first.
    A new user's sextortion message, with a faint danger_now beside it, used to open with
    "Call 999" instead of "Don't pay".

    | class         | certainty | place                                   |
    |---------------|-----------|-----------------------------------------|
    | sure (≥ 0.5)  | any       | first, by urgency (RISK_CLASSES order)  |
    | suspected     | < 0.5     | after every sure class, by certainty    |
    """
    best: dict[str, float] = {}
    for name, certainty in scored:
        if name in RISK_CLASSES:
            best[name] = max(certainty, best.get(name, 0.0))
    sure = [r for r in RISK_CLASSES if best.get(r, 0.0) >= SURE]
    suspected = sorted(
        (r for r in RISK_CLASSES if r in best and best[r] < SURE), key=lambda r: -best[r]
    )
    return (*sure, *suspected)


def known(names: Iterable[str]) -> tuple[RiskClass, ...]:
    """Known classes only, each once, in the order given."""
    return tuple(r for r in dict.fromkeys(names) if r in RISK_CLASSES)
