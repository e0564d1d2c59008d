"""Reads the held-out NLU test set (never trained on) in tests/data/nlu_heldout/."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.settings import PROJECT_ROOT

HELDOUT = PROJECT_ROOT / "tests" / "data" / "nlu_heldout"
_ENTITY = re.compile(r"\[([^\]]+)\]\((\w+)\)")


@dataclass(frozen=True)
class Case:
    text: str
    intent: str
    language: str  # en, ms, zh or mixed
    platforms: tuple[str, ...]


def read_cases(path: Path) -> list[Case]:
    language = "mixed" if path.stem.startswith("mixed") else path.stem
    cases = []
    for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
        for line in block["examples"].splitlines():
            if line.strip().startswith("- "):
                raw = line.strip()[2:]
                platforms = tuple(v for v, kind in _ENTITY.findall(raw) if kind == "platform")
                cases.append(Case(_ENTITY.sub(r"\1", raw), block["intent"], language, platforms))
    return cases


def all_cases() -> list[Case]:
    return [case for path in sorted(HELDOUT.glob("*.yml")) for case in read_cases(path)]
