"""Test doubles for the core's ports. Storage is the real SQLite store on an in-memory database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot.core.languages import Language
from bot.core.ports import Detection, NluResult
from bot.core.risk import RiskClass, in_reply_order


@dataclass
class FakeNlu:
    """Answers from a table of text → (intent, confidence); anything else is a weak guess.
    `risks` is what the risk screen raises for a text (nothing unless listed)."""

    table: dict[str, tuple[str, float]] = field(default_factory=dict)
    seen: list[str] = field(default_factory=list)
    risks: dict[str, tuple[RiskClass, ...]] = field(default_factory=dict)

    async def parse(self, text: str) -> NluResult:
        self.seen.append(text)
        intent, confidence = self.table.get(text, ("out_of_scope", 0.3))
        others = [("faq_child_photos", 0.2), ("faq_scam_victim", 0.15), ("greet", 0.05)]
        ranking = ((intent, confidence), *[o for o in others if o[0] != intent])
        return NluResult(
            intent,
            confidence,
            ranking,
            risks=in_reply_order((r, 1.0) for r in self.risks.get(text, ())),
        )


@dataclass
class FakeDetector:
    table: dict[str, Language] = field(default_factory=dict)

    def detect(self, text: str) -> Detection:
        found = self.table.get(text)
        return Detection(found, 0.99 if found else 0.0)


class FakeTranslator:
    """Marks the language so tests can see which catalog a UI string came from."""

    def gettext(self, language: Language, message: str, **values: object) -> str:
        text = message.format(**values) if values else message
        return f"[{language}] {text}"

    def format_date(self, language: Language, value: date) -> str:
        return f"[{language}] {value.isoformat()}"
