"""What an answer is, as the dialogue sees it: text already in the person's language, with the
next steps a person can take from it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

NextKind = Literal["topic", "report", "contact", "check", "scam_check"]


@dataclass(frozen=True)
class NextStep:
    kind: NextKind
    value: str = ""


@dataclass(frozen=True)
class Answer:
    topic: str
    text: str
    more: str | None = None
    next_steps: tuple[NextStep, ...] = field(default_factory=tuple)
    sensitive: bool = False
    reviewed: date | None = None
    # The one line to act on now ("Already paid? Call 997…"): first in `text`, and shown on its
    # own when the person's question is only guessed at.
    urgent: str | None = None


@dataclass(frozen=True)
class ContactCard:
    key: str
    name: str
    text: str
    url: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class ChecklistQuestion:
    key: str
    ask: str
    advice: str


@dataclass(frozen=True)
class Checklist:
    """Yes/no questions where "yes" is the risky answer, each with the advice it earns."""

    name: str
    intro: str
    questions: tuple[ChecklistQuestion, ...]
    all_clear: str
    always: str
