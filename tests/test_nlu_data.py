"""The training data itself: valid for Rasa, no example under two intents, and the held-out set
really held out."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import yaml

from bot.nlu.evaluation import load_cases
from bot.settings import PROJECT_ROOT

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


def test_every_intent_has_enough_examples_in_every_language() -> None:
    counts: dict[tuple[str, str], int] = {}
    for path in (NLU / "data").rglob("*.yml"):
        language = path.parent.name
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            if "intent" in block:
                n = sum(1 for line in block["examples"].splitlines() if line.strip()[:2] == "- ")
                key = (block["intent"], language)
                counts[key] = counts.get(key, 0) + n
    intents = {intent for intent, _ in counts}
    for intent in intents:
        for language, minimum in (("en", 25), ("ms", 25), ("zh", 25), ("mixed", 8)):
            assert counts.get((intent, language), 0) >= minimum, (intent, language)
    heldout: dict[tuple[str, str], int] = {}
    for case in load_cases(NLU / "tests"):
        heldout[(case.intent, case.language)] = heldout.get((case.intent, case.language), 0) + 1
    for intent in intents:
        for language in ("en", "ms", "zh"):
            assert heldout.get((intent, language), 0) >= 8, (intent, language)
