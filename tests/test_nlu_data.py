"""The training data itself: valid for Rasa, no example under two intents, and the held-out set
really held out."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import yaml

from bot.core.labels import is_topic_label
from bot.core.risk import RISK_CLASSES
from bot.nlu.evaluation import load_cases
from bot.nlu.risk_evaluation import load_risk_cases
from bot.nlu.risk_screen import risk_classes_of
from bot.settings import PROJECT_ROOT

LANGUAGE_SETS = ("en", "ms", "zh", "mixed")
NLU = PROJECT_ROOT / "nlu"
_ENTITY = re.compile(r"\[([^\]]+)\]\((\w+)\)")


def training_examples() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in (NLU / "data").rglob("*.yml"):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            if "intent" in block:
                for line in block["examples"].splitlines():
                    if line.strip().startswith("- "):
                        text = _ENTITY.sub(r"\1", line.strip()[2:]).lower().strip()
                        found.setdefault(text, set()).add(block["intent"])
    return found


def test_rasa_validates_the_training_data(tmp_path: Path) -> None:
    from rasa.shared.importers.importer import TrainingDataImporter
    from rasa.validator import Validator

    examples = training_examples()
    intents = sorted({i for names in examples.values() for i in names})
    domain = tmp_path / "domain.yml"
    domain.write_text(
        yaml.safe_dump(
            {"version": "3.1", "intents": intents, "entities": ["platform", "language"]}
        ),
        encoding="utf-8",
    )
    importer = TrainingDataImporter.load_from_config(
        str(NLU / "config.yml"), str(domain), [str(NLU / "data")]
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        validator = Validator.from_importer(importer)
        assert validator.verify_intents(ignore_warnings=False)
        assert validator.verify_example_repetition_in_intents(ignore_warnings=False)
    rasa_warnings = [str(w.message) for w in caught if "rasa" in w.filename]
    assert rasa_warnings == []


def test_no_training_example_is_labelled_with_two_intents() -> None:
    clashes = {text: names for text, names in training_examples().items() if len(names) > 1}
    assert clashes == {}


def test_heldout_messages_are_never_in_the_training_data() -> None:
    trained = training_examples()
    leaked = [c.text for c in load_cases(NLU / "tests") if c.text.lower().strip() in trained]
    assert leaked == []


def test_risk_suite_messages_are_never_in_the_training_data() -> None:
    trained = training_examples()
    suite = load_risk_cases(NLU / "tests" / "risk")
    assert len(suite) >= 5 * 60 + 300
    assert [c.text for c in suite if c.text.lower().strip() in trained] == []


def test_risk_suite_has_sixty_messages_per_class_and_a_small_critical_subset() -> None:
    suite = load_risk_cases(NLU / "tests" / "risk")
    for risk in RISK_CLASSES:
        assert sum(risk in c.risks for c in suite) >= 60, risk
        assert 1 <= sum(c.critical and risk in c.risks for c in suite) <= 10, risk
    assert sum(not c.risks for c in suite) >= 300


def test_every_risk_class_has_training_examples_in_every_language() -> None:
    counts: dict[tuple[str, str], int] = {}
    for path in (NLU / "data").rglob("*.yml"):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            for risk in risk_classes_of(str(block.get("intent", ""))) or ():
                n = sum(1 for line in block["examples"].splitlines() if line.strip()[:2] == "- ")
                counts[(risk, path.parent.name)] = counts.get((risk, path.parent.name), 0) + n
    for risk in RISK_CLASSES:
        for language, minimum in (("en", 60), ("ms", 60), ("zh", 60), ("mixed", 25)):
            assert counts.get((risk, language), 0) >= minimum, (risk, language)


def test_every_intent_has_enough_examples_in_every_language() -> None:
    counts: dict[tuple[str, str], int] = {}
    for path in (NLU / "data").rglob("*.yml"):
        language = path.parent.name
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            if "intent" in block:
                n = sum(1 for line in block["examples"].splitlines() if line.strip()[:2] == "- ")
                key = (block["intent"], language)
                counts[key] = counts.get(key, 0) + n
    # Risk classes and scam signals are counted above; risks are measured in nlu/tests/risk/.
    intents = {intent for intent, _ in counts if is_topic_label(intent)}
    for intent in intents:
        for language, minimum in (("en", 25), ("ms", 25), ("zh", 25), ("mixed", 8)):
            assert counts.get((intent, language), 0) >= minimum, (intent, language)
    heldout: dict[tuple[str, str], int] = {}
    for case in load_cases(NLU / "tests"):
        heldout[(case.intent, case.language)] = heldout.get((case.intent, case.language), 0) + 1
    for intent in intents:
        assert sum(heldout.get((intent, lang), 0) for lang in LANGUAGE_SETS) >= 30, intent
        for language in ("en", "ms", "zh"):
            assert heldout.get((intent, language), 0) >= 8, (intent, language)
