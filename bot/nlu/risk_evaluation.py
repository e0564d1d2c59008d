"""Measures the risk screen on its own held-out suite (nlu/tests/risk/, written by people who never
saw the training data): recall and precision per class and language, false alarms on ordinary
questions, and the critical messages it must never miss.

Suite files are named by language (`en.yml`, `ms.yml`, `zh.yml`, `mixed_*.yml`):

    messages:
      - text: "kawan sy kat atas bumbung nk terjun skrg"
        risk: [self_harm, danger_now]
        critical: true          # optional: a miss fails `make test`
      - text: "camne nk set fb jadi private"
        risk: []                # an ordinary question: any class raised is a false alarm
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.core.risk import RISK_CLASSES


@dataclass(frozen=True)
class RiskCase:
    text: str
    risks: frozenset[str]
    language: str
    critical: bool = False
    # Rounds are written at different times by different people (`en.yml` is round 1,
    # `en_2.yml` round 2): a round tuned against is no longer an honest measure.
    round: int = 1


@dataclass
class RiskReport:
    cases: int
    # class -> language (and "all") -> {recall, precision, positives}
    per_class: dict[str, dict[str, dict[str, float]]]
    false_alarms: dict[str, float]
    critical_misses: list[str] = field(default_factory=list)
    misses: list[dict[str, Any]] = field(default_factory=list)
    false_alarm_examples: list[dict[str, Any]] = field(default_factory=list)


def load_risk_cases(directory: Path) -> list[RiskCase]:
    cases: list[RiskCase] = []
    for path in sorted(directory.glob("*.yml")):
        parts = path.stem.split("_")
        language, round_ = parts[0], int(parts[-1]) if parts[-1].isdigit() else 1
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("messages", []):
            risks = frozenset(str(r) for r in item.get("risk") or ())
            unknown = risks - set(RISK_CLASSES)
            if unknown:
                raise ValueError(f"{path.name}: unknown risk class {sorted(unknown)}")
            cases.append(
                RiskCase(
                    str(item["text"]), risks, language, bool(item.get("critical", False)), round_
                )
            )
    return cases


def _rates(pairs: list[tuple[RiskCase, frozenset[str]]], risk: str) -> dict[str, float]:
    tp = sum(risk in c.risks and risk in got for c, got in pairs)
    fn = sum(risk in c.risks and risk not in got for c, got in pairs)
    fp = sum(risk not in c.risks and risk in got for c, got in pairs)
    return {
        "positives": tp + fn,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
        "precision": tp / (tp + fp) if tp + fp else 1.0,
    }


def evaluate_risk(cases: Iterable[RiskCase], screen: Callable[[str], Iterable[str]]) -> RiskReport:
    pairs = [(case, frozenset(screen(case.text))) for case in cases]
    languages = sorted({c.language for c, _ in pairs})
    per_class: dict[str, dict[str, dict[str, float]]] = {}
    for risk in RISK_CLASSES:
        per_class[risk] = {
            lang: _rates([p for p in pairs if p[0].language == lang], risk) for lang in languages
        }
        per_class[risk]["all"] = _rates(pairs, risk)
    false_alarms: dict[str, float] = {}
    for lang in [*languages, "all"]:
        ordinary = [(c, g) for c, g in pairs if not c.risks and lang in (c.language, "all")]
        false_alarms[lang] = sum(bool(g) for _, g in ordinary) / len(ordinary) if ordinary else 0.0
    report = RiskReport(cases=len(pairs), per_class=per_class, false_alarms=false_alarms)
    for case, got in pairs:
        missing = sorted(case.risks - got)
        if missing:
            report.misses.append({"text": case.text, "language": case.language, "missed": missing})
            if case.critical:
                report.critical_misses.append(f"{case.text!r} missed {', '.join(missing)}")
        elif not case.risks and got:
            report.false_alarm_examples.append(
                {"text": case.text, "language": case.language, "raised": sorted(got)}
            )
    return report


def risk_failures(report: RiskReport, minimums: dict[str, Any]) -> list[str]:
    """Minimums from nlu/thresholds.yml `risk:`; each class and language is checked."""
    found = [f"critical miss: {m}" for m in report.critical_misses]
    for risk, by_language in report.per_class.items():
        for lang, rates in by_language.items():
            if not rates["positives"] or lang == "all":
                continue
            if rates["recall"] < minimums.get("recall", 0):
                found.append(f"risk {risk} recall {lang}: {rates['recall']:.3f}")
            if rates["precision"] < minimums.get("precision", 0):
                found.append(f"risk {risk} precision {lang}: {rates['precision']:.3f}")
    if report.false_alarms.get("all", 0.0) > minimums.get("false_alarms", 1.0):
        found.append(f"risk false alarms: {report.false_alarms['all']:.3f}")
    return found


def risk_markdown(report: RiskReport) -> list[str]:
    languages = [k for k in next(iter(report.per_class.values())) if k != "all"] + ["all"]
    lines = [
        "## Risk screen (nlu/tests/risk/)",
        "",
        f"{report.cases} messages. Recall / precision per class and language:",
        "",
        "| class | " + " | ".join(languages) + " |",
        "|---|" + "---|" * len(languages),
    ]
    for risk, by_language in report.per_class.items():
        cells = [
            f"{r['recall']:.3f} / {r['precision']:.3f} ({int(r['positives'])})"
            for r in (by_language[lang] for lang in languages)
        ]
        lines.append(f"| {risk} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "False alarms on ordinary questions: "
        + ", ".join(f"{k} {v:.1%}" for k, v in report.false_alarms.items()),
        "",
        f"Critical misses: {len(report.critical_misses)}.",
        "",
    ]
    return lines
