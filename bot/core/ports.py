"""The small interfaces the core needs from the outside world."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from bot.core.messages import Language
from bot.core.session import Session


@dataclass(frozen=True)
class Entity:
    entity: str
    value: str


@dataclass(frozen=True)
class NluResult:
    intent: str
    confidence: float
    ranking: tuple[tuple[str, float], ...] = ()
    entities: tuple[Entity, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Detection:
    """A language guess; `language` is None when the text gives no usable signal."""

    language: Language | None
    confidence: float


class Nlu(Protocol):
    async def parse(self, text: str) -> NluResult: ...


class LanguageDetector(Protocol):
    def detect(self, text: str) -> Detection: ...


class AnswerBook(Protocol):
    def answer(self, topic: str, language: Language) -> str | None: ...

    def title(self, topic: str, language: Language) -> str: ...

    def topics(self) -> frozenset[str]: ...


class Translator(Protocol):
    def gettext(self, language: Language, message: str, **values: object) -> str: ...


class SessionStore(Protocol):
    def load(self, user_key: str) -> Session: ...

    def save(self, session: Session) -> None: ...
