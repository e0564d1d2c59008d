"""Answers come from the YAML files forum staff edit; a malformed file is refused with the file
name and the fix, never half-loaded."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.core.messages import LANGUAGES, Language
from bot.errors import ContentError


@dataclass(frozen=True)
class Topic:
    name: str
    answers: dict[Language, str]
    titles: dict[Language, str]


def _per_language(
    path: Path, data: dict[str, Any], key: str, *, required: bool
) -> dict[Language, str]:
    block = data.get(key)
    if block is None and not required:
        return {}
    if not isinstance(block, dict):
        raise ContentError(f"{path.name}: `{key}:` must map en, ms and zh to text.")
    result: dict[Language, str] = {}
    for lang in LANGUAGES:
        text = block.get(lang)
        if not isinstance(text, str) or not text.strip():
            raise ContentError(
                f"{path.name}: `{key}: {lang}:` is missing or empty; "
                f"write the {lang} text under `{key}:`."
            )
        result[lang] = text.strip()
    return result


def load_topic(path: Path) -> Topic:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise ContentError(
            f"{path.name}{where}: not valid YAML ({getattr(exc, 'problem', exc)}); check the "
            "indentation and that text blocks start with `|`."
        ) from exc
    if not isinstance(data, dict):
        raise ContentError(f"{path.name}: expected `topic:`, `sources:` and `answer:` keys.")
    name = data.get("topic")
    if name != path.stem:
        raise ContentError(f"{path.name}: `topic:` must be `{path.stem}` (the file name).")
    return Topic(
        name=name,
        answers=_per_language(path, data, "answer", required=True),
        titles=_per_language(path, data, "title", required=False),
    )


class FileAnswerBook:
    def __init__(self, topics: dict[str, Topic]) -> None:
        self._topics = topics
        self._names = frozenset(topics)

    @classmethod
    def load(cls, directory: Path) -> FileAnswerBook:
        files = sorted(directory.glob("*.yml"))
        if not files:
            raise ContentError(f"No answer files (*.yml) found in {directory}.")
        return cls({topic.name: topic for topic in map(load_topic, files)})

    def topics(self) -> frozenset[str]:
        return self._names

    def answer(self, topic: str, language: Language) -> str | None:
        found = self._topics.get(topic)
        return found.answers[language] if found else None

    def title(self, topic: str, language: Language) -> str:
        found = self._topics.get(topic)
        if found and language in found.titles:
            return found.titles[language]
        return topic.removeprefix("faq_").replace("_", " ").capitalize()
