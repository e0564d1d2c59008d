"""Measures the trained model on the held-out set (nlu/tests/, never trained on) the way a person
would feel it: is the answer right, in every language, and how often is a wrong one confident?"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.core.confidence import ConfidencePolicy
from bot.core.ports import Detection, NluResult
from bot.nlu.risk_evaluation import (
    RiskCase,
    RiskReport,
    evaluate_risk,
    risk_failures,
    risk_markdown,
)

OUT_OF_SCOPE = "out_of_scope"
_ENTITY = re.compile(r"\[([^\]]+)\]\((\w+)\)")
BARS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


@dataclass(frozen=True)
class Case:
    text: str
    intent: str
    language: str  # a language code, or mixed
    entities: tuple[tuple[str, str], ...] = ()


MIXED = "mixed"  # files of messages that mix languages: no one language is right for them


def load_cases(directory: Path) -> list[Case]:
    """Files are named by language: en*.yml, ms*.yml, zh*.yml, mixed*.yml."""
    cases: list[Case] = []
    for path in sorted(directory.glob("*.yml")):
        language = path.stem.split("_")[0]
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            for line in str(block.get("examples", "")).splitlines():
                if line.strip().startswith("- "):
                    raw = line.strip()[2:]
                    entities = tuple((kind, value) for value, kind in _ENTITY.findall(raw))
                    text = _ENTITY.sub(r"\1", raw)
                    cases.append(Case(text, str(block["intent"]), language, entities))
    return cases


@dataclass
class Report:
    cases: int
    per_language: dict[str, dict[str, float]]
    overall: dict[str, float]
    out_of_scope: dict[str, float]
    language_id: dict[str, float]
    worst_confusions: list[tuple[str, str, int]]
    threshold_sweep: list[dict[str, float]]
    policy: dict[str, float]
    failures: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    confusion: list[list[int]] = field(default_factory=list)
    risk: RiskReport | None = None


def macro_f1(truth: list[str], predicted: list[str]) -> float:
    labels = sorted(set(truth))
    scores = []
    for label in labels:
        tp = sum(t == p == label for t, p in zip(truth, predicted, strict=True))
        fp = sum(p == label != t for t, p in zip(truth, predicted, strict=True))
        fn = sum(t == label != p for t, p in zip(truth, predicted, strict=True))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


def _scores(pairs: list[tuple[Case, NluResult]]) -> dict[str, float]:
    truth = [c.intent for c, _ in pairs]
    predicted = [r.intent for _, r in pairs]
    correct = sum(t == p for t, p in zip(truth, predicted, strict=True))
    return {
        "cases": len(pairs),
        "accuracy": correct / len(pairs),
        "macro_f1": macro_f1(truth, predicted),
    }


def _sweep(
    pairs: list[tuple[Case, NluResult]], sensitive: frozenset[str]
) -> list[dict[str, float]]:
    """For each bar: how many get an answer, and how many of all get a *confident wrong* one."""
    rows = []
    for bar in BARS:
        answered = [(c, r) for c, r in pairs if r.confidence >= bar and r.intent != OUT_OF_SCOPE]
        wrong = [(c, r) for c, r in answered if r.intent != c.intent]
        sensitive_wrong = [(c, r) for c, r in wrong if r.intent in sensitive]
        rows.append(
            {
                "bar": bar,
                "answered": len(answered) / len(pairs),
                "confident_wrong": len(wrong) / len(pairs),
                "sensitive_confident_wrong": len(sensitive_wrong) / len(pairs),
            }
        )
    return rows


def evaluate(
    cases: Iterable[Case],
    parse: Callable[[str], NluResult],
    detect: Callable[[str], Detection],
    policy: ConfidencePolicy,
    thresholds: dict[str, Any],
    *,
    sensitive: frozenset[str] = frozenset(),
    risk_cases: Iterable[RiskCase] = (),
) -> Report:
    """`sensitive`: the topics whose answers are marked `sensitive:` in responses/, counted
    apart in the confidence sweep."""
    pairs = [(case, parse(case.text)) for case in cases]
    by_language: dict[str, list[tuple[Case, NluResult]]] = defaultdict(list)
    for case, result in pairs:
        by_language[case.language].append((case, result))
    per_language = {lang: _scores(items) for lang, items in sorted(by_language.items())}

    oos_predicted = [c for c, r in pairs if r.intent == OUT_OF_SCOPE]
    oos_true = [c for c, _ in pairs if c.intent == OUT_OF_SCOPE]
    oos_hits = sum(c.intent == OUT_OF_SCOPE for c in oos_predicted)
    confusions = Counter((c.intent, r.intent) for c, r in pairs if c.intent != r.intent)
    labels, matrix = _confusion_matrix(pairs)

    report = Report(
        cases=len(pairs),
        per_language=per_language,
        overall=_scores(pairs),
        out_of_scope={
            "precision": oos_hits / len(oos_predicted) if oos_predicted else 0.0,
            "recall": oos_hits / len(oos_true) if oos_true else 0.0,
        },
        language_id=_language_id(pairs, detect),
        worst_confusions=[(t, p, n) for (t, p), n in confusions.most_common(10)],
        threshold_sweep=_sweep(pairs, sensitive),
        policy={"default": policy.default},
        labels=labels,
        confusion=matrix,
    )
    risk_cases = list(risk_cases)
    if risk_cases:
        report.risk = evaluate_risk(risk_cases, lambda text: parse(text).risks)
    report.failures = failures(report, thresholds)
    return report


def _language_id(
    pairs: list[tuple[Case, NluResult]], detect: Callable[[str], Detection]
) -> dict[str, float]:
    """How often the detector names each single-language message's language (mixed left out)."""
    language_id = {}
    single = sorted({c.language for c, _ in pairs} - {MIXED})
    for lang in single:
        items = [c for c, _ in pairs if c.language == lang]
        language_id[lang] = sum(detect(c.text).language == lang for c in items) / len(items)
    id_cases = [c for c, _ in pairs if c.language != MIXED]
    language_id["overall"] = (
        sum(detect(c.text).language == c.language for c in id_cases) / len(id_cases)
        if id_cases
        else 0.0
    )
    return language_id


def _confusion_matrix(pairs: list[tuple[Case, NluResult]]) -> tuple[list[str], list[list[int]]]:
    labels = sorted({c.intent for c, _ in pairs} | {r.intent for _, r in pairs})
    index = {label: i for i, label in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for case, result in pairs:
        matrix[index[case.intent]][index[result.intent]] += 1
    return labels, matrix


def failures(report: Report, thresholds: dict[str, Any]) -> list[str]:
    found = []
    for lang, minimum in (thresholds.get("accuracy") or {}).items():
        got = report.per_language.get(lang, {}).get("accuracy", 0.0)
        if got < minimum:
            found.append(f"accuracy {lang}: {got:.3f} < {minimum}")
    if report.overall["macro_f1"] < thresholds.get("macro_f1", 0):
        found.append(f"macro-F1: {report.overall['macro_f1']:.3f} < {thresholds['macro_f1']}")
    if report.language_id["overall"] < thresholds.get("language_id", 0):
        found.append(
            f"language id: {report.language_id['overall']:.3f} < {thresholds['language_id']}"
        )
    if report.risk is not None:
        found += risk_failures(report.risk, thresholds.get("risk") or {})
    return found


def to_markdown(report: Report) -> str:
    lines = [
        "# NLU evaluation (held-out set)",
        "",
        f"{report.cases} messages never seen in training.",
        "",
        "| language | cases | accuracy | macro-F1 |",
        "|---|---|---|---|",
    ]
    for lang, s in [*report.per_language.items(), ("overall", report.overall)]:
        lines.append(f"| {lang} | {int(s['cases'])} | {s['accuracy']:.3f} | {s['macro_f1']:.3f} |")
    lines += [
        "",
        f"Out of scope: precision {report.out_of_scope['precision']:.3f}, "
        f"recall {report.out_of_scope['recall']:.3f}.",
        "",
        "Language identification: "
        + ", ".join(f"{k} {v:.3f}" for k, v in report.language_id.items()),
        "",
        "## Ten worst confusions",
        "",
        "| expected | predicted | times |",
        "|---|---|---|",
    ]
    lines += [f"| {t} | {p} | {n} |" for t, p, n in report.worst_confusions]
    lines += [
        "",
        "## Confidence bar",
        "",
        f"The bot uses {report.policy['default']} for every topic.",
        "",
        "| bar | answered | confident wrong | sensitive confident wrong |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {r['bar']} | {r['answered']:.1%} | {r['confident_wrong']:.1%} | "
        f"{r['sensitive_confident_wrong']:.1%} |"
        for r in report.threshold_sweep
    ]
    if report.risk is not None:
        lines += ["", *risk_markdown(report.risk)]
    lines += [
        "",
        "**Result: "
        + ("FAIL — " + "; ".join(report.failures) if report.failures else "all thresholds met")
        + "**",
        "",
    ]
    return "\n".join(lines)


def write_reports(report: Report, directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    json_path, md_path, png_path = (
        directory / n for n in ("report.json", "report.md", "confusion.png")
    )
    json_path.write_text(json.dumps(asdict(report), indent=2, ensure_ascii=False), "utf-8")
    md_path.write_text(to_markdown(report), encoding="utf-8")
    _plot_confusion(report, png_path)
    return [json_path, md_path, png_path]


def _plot_confusion(report: Report, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    size = max(6.0, len(report.labels) * 0.45)
    fig, ax = plt.subplots(figsize=(size, size))
    ax.imshow(report.confusion, cmap="Blues")
    ax.set_xticks(range(len(report.labels)))
    ax.set_yticks(range(len(report.labels)))
    ax.set_xticklabels(report.labels, rotation=90, fontsize=7)
    ax.set_yticklabels(report.labels, fontsize=7)
    ax.set_xlabel("predicted")
    ax.set_ylabel("expected")
    for i, row in enumerate(report.confusion):
        for j, count in enumerate(row):
            if count:
                ax.text(j, i, str(count), ha="center", va="center", fontsize=6)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
