"""Anonymous daily counts of what people ask (the tables are drawn in `bot/storage/usage.py`),
incremented by every replica with `INSERT … ON CONFLICT DO UPDATE`, which PostgreSQL runs
atomically per row: two replicas counting the same question at once make it 2, not 1."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from bot.core.incident_date import malaysia_today
from bot.core.languages import Language
from bot.core.ports import Clock, Outcome
from bot.core.risk import RiskClass
from bot.storage.postgres.database import PostgresDatabase
from bot.storage.usage import (
    OUTCOMES,
    OutcomeDay,
    OutcomeShare,
    RiskCount,
    TopicCount,
    TopicRating,
)


class PostgresUsageCounts:
    """The `UsageCounts` port and the console's read side; `days` counts Malaysian days up to
    and including today."""

    def __init__(self, db: PostgresDatabase, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    # ---- written by the dialogue ---------------------------------------------------------
    def question(self, day: date, language: Language, outcome: Outcome, topic: str) -> None:
        self._add(
            "INSERT INTO usage_questions (day, language, outcome, topic, count) "
            "VALUES (%s, %s, %s, %s, 1) ON CONFLICT (day, language, outcome, topic) "
            "DO UPDATE SET count = usage_questions.count + 1",
            [[day, language, outcome, topic]],
        )

    def risks(self, day: date, language: Language, risks: tuple[RiskClass, ...]) -> None:
        self._add(
            "INSERT INTO usage_risks (day, language, risk, count) VALUES (%s, %s, %s, 1) "
            "ON CONFLICT (day, language, risk) DO UPDATE SET count = usage_risks.count + 1",
            [[day, language, risk] for risk in dict.fromkeys(risks)],
        )

    def rating(self, day: date, topic: str, language: Language, helpful: bool) -> None:
        column = "helpful" if helpful else "unhelpful"
        self._add(
            f"INSERT INTO usage_ratings (day, topic, language, {column}) "  # noqa: S608
            f"VALUES (%s, %s, %s, 1) ON CONFLICT (day, topic, language) "
            f"DO UPDATE SET {column} = usage_ratings.{column} + 1",
            [[day, topic, language]],
        )

    def _add(self, sql: str, rows: list[list[Any]]) -> None:
        with self._db.transaction() as conn:
            for row in rows:
                conn.execute(sql, row)

    # ---- read by the staff console -------------------------------------------------------
    def since(self, days: int) -> date:
        return malaysia_today(self._clock.now()) - timedelta(days=max(days, 1) - 1)

    def counts_by_topic(self, days: int) -> list[TopicCount]:
        rows = self._rows(
            "SELECT day, topic, language, sum(count) AS n FROM usage_questions "
            "WHERE day >= %s AND topic != '' AND outcome IN ('direct', 'follow_up') "
            "GROUP BY day, topic, language ORDER BY day DESC, n DESC, topic, language",
            [self.since(days)],
        )
        return [TopicCount(r["day"], r["topic"], r["language"], int(r["n"])) for r in rows]

    def risk_counts(self, days: int) -> list[RiskCount]:
        rows = self._rows(
            "SELECT day, risk, language, count FROM usage_risks WHERE day >= %s "
            "ORDER BY day DESC, count DESC, risk, language",
            [self.since(days)],
        )
        return [RiskCount(r["day"], r["risk"], r["language"], int(r["count"])) for r in rows]

    def direct_share(self, days: int, language: Language | None = None) -> OutcomeShare:
        where, values = "day >= %s", list[Any]([self.since(days)])
        if language is not None:
            where += " AND language = %s"
            values.append(language)
        rows = self._rows(
            f"SELECT outcome, sum(count) AS n FROM usage_questions WHERE {where} "  # noqa: S608
            "GROUP BY outcome",
            values,
        )
        found = {r["outcome"]: r["n"] for r in rows}
        return OutcomeShare({o: int(found.get(o, 0)) for o in OUTCOMES})

    def outcomes_by_day(self, days: int) -> list[OutcomeDay]:
        """How free-text questions were met, per day (all languages), oldest day first."""
        rows = self._rows(
            "SELECT day, outcome, sum(count) AS n FROM usage_questions WHERE day >= %s "
            "GROUP BY day, outcome ORDER BY day, outcome",
            [self.since(days)],
        )
        return [OutcomeDay(r["day"], r["outcome"], int(r["n"])) for r in rows]

    def helpful_by_topic(self, days: int) -> list[TopicRating]:
        rows = self._rows(
            "SELECT topic, language, sum(helpful) AS up, sum(unhelpful) AS down "
            "FROM usage_ratings WHERE day >= %s GROUP BY topic, language "
            "ORDER BY down DESC, up DESC, topic, language",
            [self.since(days)],
        )
        return [TopicRating(r["topic"], r["language"], int(r["up"]), int(r["down"])) for r in rows]

    def _rows(self, sql: str, values: list[Any]) -> list[dict[str, Any]]:
        with self._db.transaction() as conn:
            return conn.execute(sql, values).fetchall()
