"""Scam patterns in a pasted message's words: fake police or courier, a parcel or prize, an easy
job, guaranteed returns, a request for an OTP, a loan with an upfront fee, urgency or threats.
It runs inside the Rasa model beside the topic classifier and adds a `scam_signals` output, which
"is this a scam?" (`bot.core.scam_check`) turns into reasons a person can read.

| learns from                                          | label                          |
|------------------------------------------------------|--------------------------------|
| `scam_<signal>` examples in nlu/data/*/scam_signals.yml | that signal                 |
| `scam_<a>__<b>`                                      | both                           |
| `scam_none`: benign forwards, questions about scams  | no signal                      |

One-vs-rest logistic regression over character and word n-grams, as the risk screen. Unlike the
risk screen it is tuned for precision: a signal becomes a sentence in the reply ("it asks for
your OTP"), so a wrong one would be a wrong reason.

Referenced from nlu/config.yml as `bot.nlu.scam_signals.ScamSignals`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.pipeline import Pipeline

from bot.core.labels import joined_labels
from bot.core.scam_check import MESSAGE_SIGNALS
from bot.nlu.cue_lists import normalise
from bot.nlu.risk_screen import build_model
from bot.nlu.safe_load import dump_model, load_trusted

PREFIX = "scam_"
MODEL_FILE = "scam_signals.skops"


def signals_of(intent: str) -> list[str] | None:
    """`scam_asks_otp` → [asks_otp]; `scam_a__b` → [a, b]; `scam_none` → []; others → None."""
    return joined_labels(intent, PREFIX, MESSAGE_SIGNALS, "scam signal")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class ScamSignals(GraphComponent):  # type: ignore[misc]
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"C": 5.0, "threshold": 0.5}

    @staticmethod
    def required_packages() -> list[str]:
        return ["sklearn", "skops"]

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: Pipeline | None = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._storage = model_storage
        self._resource = resource
        self._model = model

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ScamSignals:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        texts: list[str] = []
        labels: list[list[str]] = []
        for example in training_data.intent_examples:
            signals = signals_of(str(example.get("intent") or ""))
            text = str(example.get("text") or "")
            if signals is None or not text:
                continue
            texts.append(normalise(text))
            labels.append(signals)
        if not texts:
            return self._resource
        targets = np.array([[name in row for name in MESSAGE_SIGNALS] for row in labels], dtype=int)
        self._model = build_model(float(self._config["C"]))
        self._model.fit(texts, targets)
        with self._storage.write_to(self._resource) as directory:
            dump_model(self._model, Path(directory) / MODEL_FILE)
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> ScamSignals:
        try:
            with model_storage.read_from(resource) as directory:
                model = load_trusted(Path(directory) / MODEL_FILE)
        except (ValueError, FileNotFoundError):
            model = None
        return cls(config, model_storage, resource, model)

    def read(self, text: str) -> list[dict[str, Any]]:
        """[{name, confidence}] for each signal at or above the threshold, most likely first."""
        normal = normalise(text)
        if not normal or self._model is None:
            return []
        scores = self._model.predict_proba([normal])[0]
        threshold = float(self._config["threshold"])
        raised = [
            {"name": name, "confidence": round(float(score), 4)}
            for name, score in zip(MESSAGE_SIGNALS, scores, strict=True)
            if score >= threshold
        ]
        return sorted(raised, key=lambda r: -float(r["confidence"]))

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = str(message.get("text") or "")
            message.set("scam_signals", self.read(text), add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
