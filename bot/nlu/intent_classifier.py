"""Intent classifier for how Malaysians write, measured better than Rasa's DIET on our held-out set
(docs/benchmarks.md): TF-IDF character n-grams carry typos and SMS spellings ("sy nk", "gmbr");
word n-grams add meaning for Latin-script messages. Messages with Chinese characters are read by
two models whose probabilities are averaged: characters alone, and characters plus jieba's words.
In 5-fold cross-validation on the training data (Chinese folds) that took 0.921 to 0.931;
whitespace "words", where a whole Chinese run is one token, had made Chinese worse.

Referenced from nlu/config.yml as `bot.nlu.intent_classifier.ScriptAwareIntentClassifier`.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import regex
from joblib import Parallel, delayed
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.ensemble import VotingClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline, make_union

from bot.core.labels import is_topic_label
from bot.nlu.safe_load import dump_model, load_trusted
from bot.nlu.tokenizer import mixed_words

log = logging.getLogger(__name__)
_HAN = regex.compile(r"\p{Han}")
_MODELS = ("han", "latin")


def _chars() -> TfidfVectorizer:
    # An n-gram seen in one example only teaches nothing it can reuse: dropping them halved the
    # training time and changed 3 of 1,302 held-out predictions.
    return TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True, min_df=2)


def build_models(c: float) -> dict[str, Pipeline]:
    words = TfidfVectorizer(
        analyzer="word",
        ngram_range=(1, 2),
        sublinear_tf=True,
        token_pattern=r"[\w']+",  # noqa: S106 - a regex, not a password
    )
    jieba_words = TfidfVectorizer(tokenizer=mixed_words, token_pattern=None, sublinear_tf=True)
    han = VotingClassifier(
        [
            ("chars", make_pipeline(_chars(), LogisticRegression(C=c, max_iter=3000))),
            (
                "chars_words",
                make_pipeline(
                    make_union(_chars(), jieba_words), LogisticRegression(C=c, max_iter=3000)
                ),
            ),
        ],
        voting="soft",
    )
    return {
        "han": make_pipeline(han),
        "latin": make_pipeline(make_union(_chars(), words), LogisticRegression(C=c, max_iter=3000)),
    }


def _fitted(model: Pipeline, texts: list[str], labels: list[str]) -> Pipeline:
    return model.fit(texts, labels)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class ScriptAwareIntentClassifier(IntentClassifier, GraphComponent):  # type: ignore[misc]
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"C": 10.0, "ranking_length": 10}

    @staticmethod
    def required_packages() -> list[str]:
        return ["sklearn", "skops"]

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        models: dict[str, Pipeline] | None = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._storage = model_storage
        self._resource = resource
        self._models = models or {}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ScriptAwareIntentClassifier:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        # Risk and scam-signal examples train their own screens: "不想活了" has no FAQ topic.
        examples = [
            e
            for e in training_data.intent_examples
            if is_topic_label(str(e.get("intent") or "")) and e.get("text")
        ]
        texts = [str(e.get("text")) for e in examples]
        labels = [str(e.get("intent")) for e in examples]
        models = build_models(float(self._config["C"]))
        # The two models are independent and each takes a minute or two: one per core.
        fitted = Parallel(n_jobs=min(len(models), os.cpu_count() or 1))(
            delayed(_fitted)(model, texts, labels) for model in models.values()
        )
        self._models = dict(zip(models, fitted, strict=True))
        with self._storage.write_to(self._resource) as directory:
            for name, model in self._models.items():
                dump_model(model, Path(directory) / f"{name}.skops")
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> ScriptAwareIntentClassifier:
        """The files are the ones this component wrote into its own model archive."""
        models = {}
        with model_storage.read_from(resource) as directory:
            for name in _MODELS:
                path = Path(directory) / f"{name}.skops"
                models[name] = load_trusted(path)
        return cls(config, model_storage, resource, models)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = str(message.get("text") or "")
            model = self._models["han" if _HAN.search(text) else "latin"]
            probabilities = model.predict_proba([text])[0]
            scored = sorted(
                zip((str(n) for n in model.classes_), map(float, probabilities), strict=True),
                key=lambda pair: -pair[1],
            )
            ranking = [{"name": name, "confidence": score} for name, score in scored]
            message.set("intent", ranking[0], add_to_output=True)
            message.set(
                "intent_ranking", ranking[: int(self._config["ranking_length"])], add_to_output=True
            )
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
