"""When the bot answers and when it asks "did you mean…?"."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ConfidencePolicy:
    """Below this bar we ask "did you mean…?" instead of answering. One bar for every topic: a
    sensitive topic needs its urgent line shown (`SafetyNet`), not a higher bar, which made the
    most serious messages the ones most often answered with a question."""

    default: float = 0.4

    @classmethod
    def from_mapping(cls, values: dict[str, float]) -> ConfidencePolicy:
        return cls(default=float(values["default"]))

    def accepts(self, intent: str, confidence: float) -> bool:
        return confidence >= self.default
