"""The crisis cards in responses/crisis.yml: the first thing a person sees when the risk screen
fires. Staff own the words; the checks are the answer files' checks (three languages, contacts only
by placeholder), plus one card for every risk class, so no class can ever fire into silence."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.content.contacts import ContactBook
from bot.content.problems import ContentProblem, read_yaml
from bot.content.topics import read_next_steps, read_texts
from bot.core.content import NextStep
from bot.core.languages import Language
from bot.core.risk import RISK_CLASSES, RiskClass

CRISIS_FILE = "crisis.yml"


@dataclass(frozen=True)
class CrisisCard:
    risk: RiskClass
    text: dict[Language, str]
    next_steps: tuple[NextStep, ...]


def load_crisis_cards(
    directory: Path, contacts: ContactBook
) -> tuple[dict[RiskClass, CrisisCard], list[ContentProblem]]:
    path = directory / CRISIS_FILE
    if not path.exists():
        return {}, [
            ContentProblem(
                CRISIS_FILE,
                None,
                "the crisis cards are missing",
                "restore responses/crisis.yml (git checkout responses/crisis.yml)",
            )
        ]
    doc = read_yaml(path)
    if isinstance(doc, ContentProblem):
        return {}, [doc]
    problems: list[ContentProblem] = []
    cards_block = doc.data.get("cards") if isinstance(doc.data, dict) else None
    if not isinstance(cards_block, dict):
        return {}, [doc.problem((), "no `cards:` section", "start the cards with `cards:`")]
    cards: dict[RiskClass, CrisisCard] = {}
    for risk in RISK_CLASSES:
        if risk not in cards_block:
            problems.append(
                doc.problem(
                    ("cards",),
                    f"no card for `{risk}`",
                    f"add `{risk}:` under `cards:` with `text:` in en, ms and zh",
                )
            )
            continue
        text = read_texts(doc, "text", True, problems, contacts, within=("cards", risk))
        steps = read_next_steps(doc, problems, contacts, within=("cards", risk))
        if text:
            cards[risk] = CrisisCard(risk, text, steps)
    for extra in sorted(set(map(str, cards_block)) - set(RISK_CLASSES)):
        problems.append(
            doc.problem(
                ("cards", extra),
                f"`{extra}` is not a risk class",
                f"use one of: {', '.join(RISK_CLASSES)}",
            )
        )
    return cards, problems
