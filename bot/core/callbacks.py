"""Button data: short ASCII codes (Telegram allows 64 bytes) with a version prefix, so a button
from an older release is recognised as stale instead of being misread."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import Literal

from bot.core.report_steps import Step, step_of

VERSION = "v1"
MAX_BYTES = 64

Action = Literal[
    "topic",
    "more",
    "contact",
    "report",
    "language",
    "language_menu",
    "menu",
    "check",
    "answer",
    "report_step",
    "forget",
    "alerts",
    "scan",
    "handoff",
    "helpful",
]
_CODES: dict[str, Action] = {
    "t": "topic",
    "mo": "more",
    "c": "contact",
    "r": "report",
    "l": "language",
    "lm": "language_menu",
    "m": "menu",
    "ck": "check",
    "a": "answer",
    "rs": "report_step",
    "fg": "forget",
    "al": "alerts",
    "sc": "scan",
    "h": "handoff",
    "hp": "helpful",
}
_ACTIONS: dict[Action, str] = {action: code for code, action in _CODES.items()}
# Talk to a person: ask, consent, decline, end the case, and 👍/👎 after it.
HANDOFF_CHOICES = frozenset({"start", "yes", "no", "end", "up", "down"})
_NAME = re.compile(r"^[a-z0-9_]{1,48}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")  # a code from responses/languages.yml
# A checklist answer: step number then y (yes), n (no), b (back) or x (stop).
_ANSWER = re.compile(r"^(\d{1,2})([ynbx])$")
# A report step and the choice made there: "cat.harassment", "sum.confirm".
_REPORT_STEP = re.compile(r"^[a-z]{3}\.[a-z0-9_]{1,24}$")
# 👍 (u) or 👎 (d) and the topic of the answer it was under: "u.faq_phishing".
_RATING = re.compile(r"^[ud]\.[a-z0-9_]{1,48}$")


@dataclass(frozen=True)
class Callback:
    action: Action
    value: str = ""


def encode(action: Action, value: str = "") -> str:
    data = f"{VERSION}:{_ACTIONS[action]}" + (f":{value}" if value else "")
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
    return data


def decode(data: str) -> Callback | None:
    """None for anything stale, forged or malformed."""
    parts = data.split(":", 2)
    if len(parts) < 2 or parts[0] != VERSION or parts[1] not in _CODES:
        return None
    action = _CODES[parts[1]]
    value = parts[2] if len(parts) == 3 else ""
    if action in ("menu", "language_menu", "report", "alerts"):
        return Callback(action) if not value else None
    if action == "language":
        return Callback(action, value) if _LANGUAGE.match(value) else None
    if action == "answer":
        return Callback(action, value) if _ANSWER.match(value) else None
    if action == "report_step":
        return Callback(action, value) if _REPORT_STEP.match(value) else None
    if action == "forget":
        return Callback(action, value) if value in ("yes", "no") else None
    if action == "helpful":
        return Callback(action, value) if _RATING.match(value) else None
    if action == "handoff":
        return Callback(action, value) if value in HANDOFF_CHOICES else None
    return Callback(action, value) if _NAME.match(value) else None


class ChecklistChoice(Enum):
    """A checklist button, as its one-letter code in the callback data."""

    YES = "y"
    NO = "n"
    BACK = "b"
    STOP = "x"


def checklist_answer(callback: Callback) -> tuple[int, ChecklistChoice]:
    """The question's step and the choice, decoded here so the flow never sees raw codes."""
    match = _ANSWER.match(callback.value)
    if not match:
        raise ValueError(callback.value)
    return int(match.group(1)), ChecklistChoice(match.group(2))


def checklist_button(step: int, choice: ChecklistChoice) -> str:
    return encode("answer", f"{step}{choice.value}")


def report_step(callback: Callback) -> tuple[Step, str] | None:
    """`rs:lnk.none` → (Step.LINKS, "none"); None for a step that does not exist."""
    code, _, choice = callback.value.partition(".")
    step = step_of(code)
    return (step, choice) if step else None
