"""One NLU pipeline measured in its own process, so its memory is its own:
`python -m tests.bench.pipelines NAME OUT.json`."""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from bot.core.labels import is_topic_label
from bot.core.ports import NluResult
from bot.nlu.evaluation import Case, load_cases, macro_f1
from bot.nlu.risk_evaluation import evaluate_risk, load_risk_cases
from bot.settings import PROJECT_ROOT

NLU = PROJECT_ROOT / "nlu"
# What `rasa init` trains with when its config leaves the pipeline out (Rasa 3.6 defaults).
RASA_DEFAULT = {
    "recipe": "default.v1",
    "language": "en",
    "assistant_id": "bench-default",
    "pipeline": [
        {"name": "WhitespaceTokenizer"},
        {"name": "RegexFeaturizer"},
        {"name": "LexicalSyntacticFeaturizer"},
        {"name": "CountVectorsFeaturizer"},
        {"name": "CountVectorsFeaturizer", "analyzer": "char_wb", "min_ngram": 1, "max_ngram": 4},
        {"name": "DIETClassifier", "epochs": 100, "constrain_similarities": True},
        {"name": "EntitySynonymMapper"},
        {"name": "ResponseSelector", "epochs": 100, "constrain_similarities": True},
        {"name": "FallbackClassifier", "threshold": 0.3, "ambiguity_threshold": 0.1},
    ],
    "policies": [],
}


def rasa_pipeline(
    config: dict[str, object] | None,
) -> tuple[Callable[[str], NluResult], float, int]:
    from bot.nlu.rasa_agent import RasaAgentNlu, quiet_rasa

    quiet_rasa()
    from rasa.model_training import train_nlu

    work = Path(tempfile.mkdtemp(prefix="waspada-bench-"))
    config_path = NLU / "config.yml"
    if config is not None:
        config_path = work / "config.yml"
        config_path.write_text(yaml.safe_dump(config), encoding="utf-8")
    os.environ["RASA_CACHE_DIRECTORY"] = str(work / "cache")
    started = time.perf_counter()
    model = train_nlu(str(config_path), str(NLU / "data"), str(work), fixed_model_name="model")
    train_s = time.perf_counter() - started
    assert model
    nlu = RasaAgentNlu.load(Path(model))
    return nlu.parse_sync, train_s, Path(model).stat().st_size


def tfidf_pipeline() -> tuple[Callable[[str], NluResult], float, int]:
    import pickle

    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from bot.nlu.language_id import _ENTITY

    texts, labels = [], []
    for path in (NLU / "data").rglob("*.yml"):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            if "intent" not in block or not is_topic_label(block["intent"]):
                continue
            for line in block["examples"].splitlines():
                if line.strip().startswith("- "):
                    texts.append(_ENTITY.sub(r"\1", line.strip()[2:]))
                    labels.append(block["intent"])
    model = make_pipeline(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True),
        LogisticRegression(C=10, max_iter=3000),
    )
    started = time.perf_counter()
    model.fit(texts, labels)
    train_s = time.perf_counter() - started

    def parse(text: str) -> NluResult:
        probabilities = model.predict_proba([text])[0]
        ranked = sorted(zip(model.classes_, probabilities, strict=True), key=lambda p: -p[1])
        return NluResult(
            str(ranked[0][0]),
            float(ranked[0][1]),
            tuple((str(n), float(p)) for n, p in ranked[:10]),
        )

    return parse, train_s, len(pickle.dumps(model))


def risk_screen(
    parse: Callable[[str], NluResult], cases: list[Case], results: list[NluResult]
) -> dict[str, object]:
    """Each round of the risk suite on its own, and how often an ordinary topic question of the
    held-out set (not one of the topics that may carry risk) raises a crisis card."""
    config = yaml.safe_load((NLU / "config.yml").read_text(encoding="utf-8"))
    screen = next(c for c in config["pipeline"] if c["name"].endswith("RiskScreen"))
    suite = load_risk_cases(NLU / "tests" / "risk")
    rounds = {}
    for number in sorted({c.round for c in suite}):
        report = evaluate_risk([c for c in suite if c.round == number], lambda t: parse(t).risks)
        rounds[str(number)] = {
            "cases": report.cases,
            "per_class": report.per_class,
            "false_alarms": report.false_alarms,
            "critical_misses": len(report.critical_misses),
        }
    ordinary: dict[str, list[bool]] = {}
    risky_topics = set(screen.get("not_negative", ()))
    for case, result in zip(cases, results, strict=True):
        if case.intent not in risky_topics:
            ordinary.setdefault(case.language, []).append(bool(result.risks))
    topic_alarms = {lang: sum(hits) / len(hits) for lang, hits in ordinary.items()}
    topic_alarms["all"] = sum(sum(h) for h in ordinary.values()) / sum(map(len, ordinary.values()))
    return {"rounds": rounds, "topic_false_alarms": topic_alarms}


def measure(name: str) -> dict[str, object]:
    if name == "ours":
        parse, train_s, size = rasa_pipeline(None)
    elif name == "rasa_default":
        parse, train_s, size = rasa_pipeline(RASA_DEFAULT)
    else:
        parse, train_s, size = tfidf_pipeline()
    cases: list[Case] = load_cases(NLU / "tests")
    for case in cases[:20]:
        parse(case.text)
    results = []
    latencies = []
    for case in cases:
        started = time.perf_counter()
        results.append(parse(case.text))
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    languages: dict[str, dict[str, float]] = {}
    for lang in ("en", "ms", "zh", "mixed"):
        pairs = [(c, r) for c, r in zip(cases, results, strict=True) if c.language == lang]
        truth, predicted = [c.intent for c, _ in pairs], [r.intent for _, r in pairs]
        languages[lang] = {
            "accuracy": sum(t == p for t, p in zip(truth, predicted, strict=True)) / len(pairs),
            "macro_f1": macro_f1(truth, predicted),
        }
    truth, predicted = [c.intent for c in cases], [r.intent for r in results]
    risk = risk_screen(parse, cases, results) if name == "ours" else None
    return {
        "risk": risk,
        "name": name,
        "languages": languages,
        "macro_f1": macro_f1(truth, predicted),
        "accuracy": sum(t == p for t, p in zip(truth, predicted, strict=True)) / len(cases),
        "train_s": train_s,
        "p50_ms": latencies[len(latencies) // 2],
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "model_mb": size / 1e6,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "cases": len(cases),
    }


if __name__ == "__main__":
    import warnings

    warnings.filterwarnings("ignore")
    Path(sys.argv[2]).write_text(json.dumps(measure(sys.argv[1])), encoding="utf-8")
