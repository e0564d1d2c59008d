"""The small interfaces the core needs from the outside world."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal, Protocol

from bot.core.content import Answer, Checklist, ContactCard
from bot.core.identity import UserKey
from bot.core.languages import Language, Languages
from bot.core.report import Report, ReportSummary
from bot.core.review_entry import ReviewEntry, ReviewItem
from bot.core.risk import RiskClass
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
    # Raised by the risk screen, most urgent first; independent of the topic guess.
    # In the order their cards are shown (`bot.core.risk.in_reply_order`).
    risks: tuple[RiskClass, ...] = ()
    # Scam patterns in the words (`bot.core.scam_check.MESSAGE_SIGNALS`), most likely first.
    scam_signals: tuple[str, ...] = ()


@dataclass(frozen=True)
class Detection:
    """A language guess; `language` is None when the text gives no usable signal."""

    language: Language | None
    confidence: float


# The intent of a parse made without the model (its server did not answer): no topic guess.
NLU_UNAVAILABLE = "nlu_unavailable"


class Nlu(Protocol):
    async def parse(self, text: str) -> NluResult: ...


class LanguageDetector(Protocol):
    def detect(self, text: str) -> Detection: ...


class AnswerBook(Protocol):
    @property
    def languages(self) -> Languages:
        """The languages every answer is written in (responses/languages.yml)."""
        ...

    def answer(self, topic: str, language: Language) -> Answer | None: ...

    def title(self, topic: str, language: Language) -> str: ...

    def topics(self) -> frozenset[str]: ...

    def menu(self) -> tuple[str, ...]:
        """The main menu's topics, top to bottom (responses/menu.yml)."""
        ...

    def contact(self, key: str, language: Language) -> ContactCard | None: ...

    def checklist(self, name: str, language: Language) -> Checklist | None: ...

    def crisis(self, risk: RiskClass, language: Language) -> Answer | None:
        """The card whose first line is the action to take now (responses/crisis.yml)."""
        ...


class Translator(Protocol):
    def gettext(self, language: Language, message: str, **values: object) -> str: ...

    def format_date(self, language: Language, value: date) -> str: ...


class SessionStore(Protocol):
    def load(self, user_key: UserKey) -> Session: ...

    def save(self, session: Session) -> None: ...

    def forget(self, user_key: UserKey) -> None: ...


class Clock(Protocol):
    def now(self) -> datetime:
        """An aware datetime (UTC)."""
        ...


class EvidenceStore(Protocol):
    """Screenshots kept for a report still being written. `ReportStore.file` attaches them to
    the report in the same transaction; until then they can be dropped."""

    def keep(self, user_key: UserKey, data: bytes, content_type: str) -> str:
        """Returns the screenshot's id, which is also its upload's Idempotency-Key."""
        ...

    def discard(self, user_key: UserKey, evidence_ids: list[str]) -> None: ...


class ReportStore(Protocol):
    """Confirmed reports. `file` writes the report and its outbox entry in one transaction, so a
    crash either loses the confirmation (the person sees no reference) or keeps both."""

    def file(self, report: Report) -> Report: ...

    def find_duplicate(self, user_key: UserKey, fingerprint: str) -> ReportSummary | None: ...

    def count_since(self, user_key: UserKey, since: datetime) -> int: ...

    def summaries(self, user_key: UserKey) -> list[ReportSummary]: ...


class Forgetting(Protocol):
    """/forget, as one unit of work over every store."""

    def forget(self, user_key: UserKey) -> int:
        """Erases what we hold about this person (session, reports' words, screenshots, waiting
        notices); delivered reports keep only ids and category. Returns how many reports were
        touched."""
        ...


# How the bot met a free-text question: answered it straight away, asked "did you mean…?",
# said it is out of its scope, or read it as a follow-up to the topic of a minute ago.
Outcome = Literal["direct", "did_you_mean", "out_of_scope", "follow_up"]


class UsageCounts(Protocol):
    """Counts of what people ask, per day: no words, no person, only names and numbers."""

    def question(self, day: date, language: Language, outcome: Outcome, topic: str) -> None:
        """One free-text question; `topic` is the intent answered, "" when none was."""
        ...

    def risks(self, day: date, language: Language, risks: tuple[RiskClass, ...]) -> None: ...

    def rating(self, day: date, topic: str, language: Language, helpful: bool) -> None: ...


class ReviewQueue(Protocol):
    """Messages kept, redacted, for staff to teach the bot (`bot/core/review.py`)."""

    def keep(self, item: ReviewItem) -> int:
        """Returns the new entry's id."""
        ...


class ReviewStore(ReviewQueue, Protocol):
    """The queue as staff work through it."""

    def entry(self, entry_id: int) -> ReviewEntry | None: ...

    def pending(self) -> list[ReviewEntry]: ...

    def labelled(self) -> list[ReviewEntry]: ...

    def set_label(self, entry_id: int, label: str, staff_name: str) -> None: ...


class TrainingExamples(Protocol):
    """The NLU training data as labelling sees it (`bot/nlu/review_files.py`)."""

    def intents(self) -> frozenset[str]:
        """Every intent the training data defines."""
        ...

    def trained(self, text: str) -> bool:
        """The text (case and spacing aside) is already a training example."""
        ...

    def held_out(self, text: str) -> bool:
        """The text is in the held-out test sets, which must never be trained on."""
        ...

    def add(self, language: str, intent: str, text: str) -> str:
        """Appends the example to the review file of `language`; returns the file's name."""
        ...
