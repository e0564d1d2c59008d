"""Which training examples are topics. `risk_*` examples train the risk screen and `scam_*`
examples the scam-signal reader; neither is an intent a person's message can be answered with."""

from __future__ import annotations

SCREEN_PREFIXES = ("risk_", "scam_")


def is_topic_label(intent: str) -> bool:
    return bool(intent) and not intent.startswith(SCREEN_PREFIXES)


def joined_labels(intent: str, prefix: str, known: tuple[str, ...], what: str) -> list[str] | None:
    """`<prefix>a` → [a]; `<prefix>a__b` → [a, b] (both); `<prefix>none` → []; other intents →
    None. A name outside `known` is a typo in the training data and fails training."""
    if not intent.startswith(prefix):
        return None
    if intent == prefix + "none":
        return []
    names = intent[len(prefix) :].split("__")
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ValueError(f"unknown {what} {unknown} in intent {intent}")
    return names
