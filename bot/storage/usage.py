"""Anonymous daily counts of what people ask (`bot/core/insight.py`), and the figures the staff
console reads from them.

Three tables, none with words or people in them, keyed by Malaysian day:

| table            | one row per                         | holds                      |
|------------------|-------------------------------------|----------------------------|
| usage_questions  | day × language × outcome × topic    | count (topic "" if none)   |
| usage_risks      | day × language × risk class         | count                      |
| usage_ratings    | day × topic × language              | helpful, unhelpful         |

They are not personal data, so /forget leaves them and no retention sweep removes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlite_utils

from bot.core.incident_date import malaysia_today
from bot.core.languages import Language
from bot.core.ports import Clock, Outcome
from bot.core.risk import RiskClass
from bot.storage.database import write_transaction

OUTCOMES: tuple[Outcome, ...] = ("direct", "follow_up", "did_you_mean", "out_of_scope")


@dataclass(frozen=True)
class TopicCount:
    day: date
    topic: str
    language: str
    count: int


@dataclass(frozen=True)
class RiskCount:
    day: date
    risk: str
    language: str
    count: int


@dataclass(frozen=True)
class OutcomeShare:
    """How free-text questions were met over a period; `share` is a fraction of `total`."""

    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def share(self, outcome: Outcome) -> float:
        return self.counts.get(outcome, 0) / self.total if self.total else 0.0


@dataclass(frozen=True)
class OutcomeDay:
    day: date
    outcome: str
    count: int


@dataclass(frozen=True)
class TopicRating:
    topic: str
    language: str
    helpful: int
    unhelpful: int


class SqliteUsageCounts:
    """The `UsageCounts` port, and the console's read side. `days` is the number of Malaysian
    days up to and including today."""

    def __init__(self, db: sqlite_utils.Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    # ---- written by the dialogue ---------------------------------------------------------
    def question(self, day: date, language: Language, outcome: Outcome, topic: str) -> None:
        self._add(
            "INSERT INTO usage_questions (day, language, outcome, topic, count) "
            "VALUES (?, ?, ?, ?, 1) ON CONFLICT (day, language, outcome, topic) "
            "DO UPDATE SET count = count + 1",
            [[day.isoformat(), language, outcome, topic]],
        )

    def risks(self, day: date, language: Language, risks: tuple[RiskClass, ...]) -> None:
        self._add(
            "INSERT INTO usage_risks (day, language, risk, count) VALUES (?, ?, ?, 1) "
            "ON CONFLICT (day, language, risk) DO UPDATE SET count = count + 1",
            [[day.isoformat(), language, risk] for risk in dict.fromkeys(risks)],
        )

    def rating(self, day: date, topic: str, language: Language, helpful: bool) -> None:
        column = "helpful" if helpful else "unhelpful"
        self._add(
            f"INSERT INTO usage_ratings (day, topic, language, {column}) VALUES (?, ?, ?, 1) "  # noqa: S608 - a fixed column
            f"ON CONFLICT (day, topic, language) DO UPDATE SET {column} = {column} + 1",
            [[day.isoformat(), topic, language]],
        )

    def _add(self, sql: str, rows: list[list[str]]) -> None:
        with write_transaction(self._db):
            for row in rows:
                self._db.execute(sql, row)

    # ---- read by the staff console -------------------------------------------------------
    def since(self, days: int) -> date:
        """The first day of a window of `days` days ending today (Malaysian days)."""
        return malaysia_today(self._clock.now()) - timedelta(days=max(days, 1) - 1)

    def counts_by_topic(self, days: int) -> list[TopicCount]:
        """Questions answered per day, topic and language (directly or as a follow-up), most
        recent day first, then most asked."""
        rows = self._db.query(
            "SELECT day, topic, language, SUM(count) AS n FROM usage_questions "
            "WHERE day >= ? AND topic != '' AND outcome IN ('direct', 'follow_up') "
            "GROUP BY day, topic, language ORDER BY day DESC, n DESC, topic, language",
            [self.since(days).isoformat()],
        )
        return [
            TopicCount(date.fromisoformat(r["day"]), r["topic"], r["language"], r["n"])
            for r in rows
        ]

    def risk_counts(self, days: int) -> list[RiskCount]:
        """Messages on which the risk screen raised each class, per day and language."""
        rows = self._db.query(
            "SELECT day, risk, language, count FROM usage_risks WHERE day >= ? "
            "ORDER BY day DESC, count DESC, risk, language",
            [self.since(days).isoformat()],
        )
        return [
            RiskCount(date.fromisoformat(r["day"]), r["risk"], r["language"], r["count"])
            for r in rows
        ]

    def direct_share(self, days: int, language: Language | None = None) -> OutcomeShare:
        """How free-text questions were met: answered directly, as a follow-up, with "did you
        mean…?" or as out of scope; in one language or all."""
        where, values = "day >= ?", [self.since(days).isoformat()]
        if language is not None:
            where, values = where + " AND language = ?", [*values, language]
        rows = self._db.query(
            f"SELECT outcome, SUM(count) AS n FROM usage_questions WHERE {where} "  # noqa: S608
            "GROUP BY outcome",
            values,
        )
        found = {r["outcome"]: r["n"] for r in rows}
        return OutcomeShare({o: int(found.get(o, 0)) for o in OUTCOMES})

    def outcomes_by_day(self, days: int) -> list[OutcomeDay]:
        """How free-text questions were met, per day (all languages), oldest day first."""
        rows = self._db.query(
            "SELECT day, outcome, SUM(count) AS n FROM usage_questions WHERE day >= ? "
            "GROUP BY day, outcome ORDER BY day, outcome",
            [self.since(days).isoformat()],
        )
        return [OutcomeDay(date.fromisoformat(r["day"]), r["outcome"], r["n"]) for r in rows]

    def helpful_by_topic(self, days: int) -> list[TopicRating]:
        """👍 and 👎 per topic and language over the window, most 👎 first."""
        rows = self._db.query(
            "SELECT topic, language, SUM(helpful) AS up, SUM(unhelpful) AS down "
            "FROM usage_ratings WHERE day >= ? GROUP BY topic, language "
            "ORDER BY down DESC, up DESC, topic, language",
            [self.since(days).isoformat()],
        )
        return [TopicRating(r["topic"], r["language"], r["up"], r["down"]) for r in rows]
