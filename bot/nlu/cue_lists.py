"""The risk screen's word lists, readable without Rasa: the `cue_<class>` and `defuse_<class>`
regexes kept as data in nlu/data (risk_cues.yml, risk_defusers.yml), and the normalising they
are written against. The trained screen (`bot/nlu/risk_screen.py`) gates cues with its model;
`CueScreen` is what is left when the model is out of reach (`bot/nlu/http_nlu.py`): any cue
raises its class, so a crisis line still comes first while the NLU server restarts.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import yaml

from bot.core.risk import RISK_CLASSES, RiskClass, in_reply_order

CUE_PREFIX = "cue_"
DEFUSE_PREFIX = "defuse_"
# Cues are regexes with lookaheads: they read the start of a long message, the model reads all.
CUE_CHARS = 1500
_REPEATS = re.compile(r"(.)\1{2,}")
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """What cues are written against: NFKC, casefolded, "tolonggg" → "tolong", one space."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return _SPACE.sub(" ", _REPEATS.sub(r"\1", text)).strip()


def read_regex_lists(data_dir: Path, prefix: str) -> dict[str, list[str]]:
    """`{class: [pattern, …]}` from every Rasa `regex:` entry named `<prefix><class>`. Only files
    that name such an entry are parsed: a bot started with WASPADA_NLU_URL reads them at start-up,
    and parsing all the training data took over 4 s of it."""
    found: dict[str, list[str]] = {}
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for path in sorted(data_dir.rglob("*.yml")):
        text = path.read_text(encoding="utf-8")
        if f"regex: {prefix}" not in text:
            continue
        data = yaml.load(text, Loader=loader) or {}  # noqa: S506 - a safe loader
        for entry in data.get("nlu") or ():
            name = str(entry.get("regex", ""))
            if not name.startswith(prefix) or name[len(prefix) :] not in RISK_CLASSES:
                continue
            lines = str(entry.get("examples", "")).splitlines()
            patterns = [line.strip()[2:] for line in lines if line.strip().startswith("- ")]
            found.setdefault(name[len(prefix) :], []).extend(patterns)
    return found


class CueScreen:
    def __init__(self, cues: dict[str, list[str]], defusers: dict[str, list[str]]) -> None:
        self._cues = {k: [re.compile(p) for p in v] for k, v in cues.items()}
        self._defusers = {k: [re.compile(p) for p in v] for k, v in defusers.items()}

    @classmethod
    def from_data(cls, data_dir: Path) -> CueScreen:
        return cls(
            read_regex_lists(data_dir, CUE_PREFIX), read_regex_lists(data_dir, DEFUSE_PREFIX)
        )

    def screen(self, text: str) -> tuple[RiskClass, ...]:
        head = normalise(text)[:CUE_CHARS]
        raised = [
            name
            for name, patterns in self._cues.items()
            if any(p.search(head) for p in patterns)
            and not any(p.search(head) for p in self._defusers.get(name, ()))
        ]
        return in_reply_order((name, 1.0) for name in raised)
