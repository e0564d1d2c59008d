"""Platform and language names are a closed vocabulary ("fb", "脸书", "BM", "bahasa melayu"), so
they are matched exactly on our tokens rather than guessed: every surface form annotated in the
training data, or listed as a synonym, is learnt at training time.

Referenced from nlu/config.yml as `bot.nlu.entity_extractor.VocabularyEntityExtractor`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

MAX_WORDS = 3
FILE = "vocabulary.json"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class VocabularyEntityExtractor(GraphComponent, EntityExtractorMixin):  # type: ignore[misc]
    def __init__(
        self, model_storage: ModelStorage, resource: Resource, vocabulary: dict[str, str]
    ) -> None:
        self._storage = model_storage
        self._resource = resource
        self._vocabulary = vocabulary

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> VocabularyEntityExtractor:
        return cls(model_storage, resource, {})

    def train(self, training_data: TrainingData) -> Resource:
        vocabulary: dict[str, str] = {}
        canonical: dict[str, str] = {}
        for example in training_data.entity_examples:
            for entity in example.get("entities") or []:
                surface = str(example.get("text"))[entity["start"] : entity["end"]]
                vocabulary[surface.lower()] = entity["entity"]
                canonical[str(entity["value"]).lower()] = entity["entity"]
        for surface, value in training_data.entity_synonyms.items():
            if value.lower() in canonical:
                vocabulary[surface.lower()] = canonical[value.lower()]
        self._vocabulary = vocabulary
        with self._storage.write_to(self._resource) as directory:
            (Path(directory) / FILE).write_text(json.dumps(vocabulary, ensure_ascii=False), "utf-8")
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> VocabularyEntityExtractor:
        with model_storage.read_from(resource) as directory:
            vocabulary = json.loads((Path(directory) / FILE).read_text("utf-8"))
        return cls(model_storage, resource, vocabulary)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            found = self.find(message)
            if found:
                entities = [*message.get("entities", []), *found]
                message.set("entities", entities, add_to_output=True)
        return messages

    def find(self, message: Message) -> list[dict[str, Any]]:
        text = str(message.get("text") or "")
        tokens = message.get("text_tokens") or []
        found: list[dict[str, Any]] = []
        i = 0
        while i < len(tokens):
            for width in range(min(MAX_WORDS, len(tokens) - i), 0, -1):
                start, end = tokens[i].start, tokens[i + width - 1].end
                surface = text[start:end]
                kind = self._vocabulary.get(surface.lower())
                if kind:
                    found.append(
                        {
                            "entity": kind,
                            "value": surface,
                            "start": start,
                            "end": end,
                            "extractor": self.__class__.__name__,
                        }
                    )
                    i += width
                    break
            else:
                i += 1
        return found
