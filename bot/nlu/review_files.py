"""Labelled review entries as Rasa training data: `nlu/data/review/<language>.yml`.

One file per language (en, ms, zh, mixed), in Rasa's NLU YAML:

    version: "3.1"
    nlu:
    - intent: faq_phishing
      examples: |
        - got sms say my [account] blocked, click [link]

The folder sits under `nlu/data/`, which `waspada nlu train` hands to Rasa whole and whose
every `*.yml` the model fingerprint hashes (`bot/nlu/training.py`): a labelled line makes the
model stale and the next training uses it. The files are rewritten whole (to a temporary file,
then renamed), grouped by intent and sorted, so a diff shows what staff taught.

Placeholders look like Rasa entity markup only when a bracket is followed by "(", "{" or "[";
a space is put there so "[phone](x)" stays plain words.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.nlu.evaluation import load_cases
from bot.nlu.risk_evaluation import load_risk_cases

REVIEW_FOLDER = "review"
HEADER = 'version: "3.1"\nnlu:\n'
_ENTITY = re.compile(r"\[([^\]]+)\]\((\w+)\)")
_MARKUP_AFTER_BRACKET = re.compile(r"\](?=[({\[])")
# libyaml's loader when PyYAML has it: the whole of nlu/data/ in a fraction of the time.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def normalised(text: str) -> str:
    """How tests/test_nlu_data.py compares examples: entity markup removed, case and spacing
    folded."""
    return " ".join(_ENTITY.sub(r"\1", text).lower().split())


def plain_line(text: str) -> str:
    return _MARKUP_AFTER_BRACKET.sub("] ", " ".join(text.split()))


def _blocks(path: Path) -> list[dict[str, object]]:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}  # noqa: S506 - a safe loader
    blocks = data.get("nlu") or []
    return [b for b in blocks if isinstance(b, dict)]


def _examples(block: dict[str, object]) -> list[str]:
    return [
        line.strip()[2:]
        for line in str(block.get("examples", "")).splitlines()
        if line.strip().startswith("- ")
    ]


class NluReviewFiles:
    """The `TrainingExamples` port over the nlu/ folder. `review_dir` defaults to
    `nlu/data/review`; tests point it at a temporary folder."""

    def __init__(self, nlu_dir: Path, review_dir: Path | None = None) -> None:
        self._nlu_dir = nlu_dir
        self._review_dir = review_dir or nlu_dir / "data" / REVIEW_FOLDER
        self._intents: set[str] | None = None
        self._trained: set[str] | None = None
        self._held_out: set[str] | None = None

    def _files(self) -> list[Path]:
        files = set((self._nlu_dir / "data").rglob("*.yml"))
        if self._review_dir.exists():
            files |= set(self._review_dir.glob("*.yml"))
        return sorted(files)

    def _load(self) -> tuple[set[str], set[str]]:
        if self._intents is None or self._trained is None:
            self._intents, self._trained = set(), set()
            for path in self._files():
                for block in _blocks(path):
                    if "intent" in block:
                        self._intents.add(str(block["intent"]))
                        self._trained.update(normalised(t) for t in _examples(block))
        return self._intents, self._trained

    def intents(self) -> frozenset[str]:
        return frozenset(self._load()[0])

    def trained(self, text: str) -> bool:
        return normalised(plain_line(text)) in self._load()[1]

    def held_out(self, text: str) -> bool:
        if self._held_out is None:
            tests = self._nlu_dir / "tests"
            texts = [c.text for c in load_cases(tests)]
            if (tests / "risk").exists():
                texts += [c.text for c in load_risk_cases(tests / "risk")]
            self._held_out = {normalised(t) for t in texts}
        return normalised(plain_line(text)) in self._held_out

    def add(self, language: str, intent: str, text: str) -> str:
        path = self._review_dir / f"{language}.yml"
        grouped: dict[str, list[str]] = {}
        if path.exists():
            for block in _blocks(path):
                if "intent" in block:
                    grouped.setdefault(str(block["intent"]), []).extend(_examples(block))
        line = plain_line(text)
        grouped.setdefault(intent, []).append(line)
        body = "".join(
            f"- intent: {name}\n  examples: |\n"
            + "".join(f"    - {example}\n" for example in sorted(set(examples)))
            for name, examples in sorted(grouped.items())
        )
        self._review_dir.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".yml.tmp")
        temporary.write_text(HEADER + body, encoding="utf-8")
        temporary.replace(path)
        intents, trained = self._load()
        intents.add(intent)
        trained.add(normalised(line))
        return path.name
