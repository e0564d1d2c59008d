"""What people ask, as the staff console shows it: the read side of the anonymous daily counts
(`bot/storage/usage.py`, passed in by `bot/app_console.py`) and a PNG chart of them.

Only counts, topics, languages and risk classes: the tables these come from hold no message text.
The chart is drawn by matplotlib's Agg renderer on a `Figure` of its own (no pyplot, no global
state), so two requests at once do not draw on each other's chart.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from matplotlib.figure import Figure

from bot.console.direct_share import OutcomeDayCount
from bot.core.languages import Language
from bot.core.ports import Outcome

PERIODS = (7, 30, 90)
OUTCOME_NAMES: dict[Outcome, str] = {
    "direct": "Answered directly",
    "follow_up": "Answered as a follow-up",
    "did_you_mean": '"Did you mean…?"',
    "out_of_scope": "Out of scope",
}


class TopicDayCount(Protocol):
    @property
    def day(self) -> date: ...
    @property
    def topic(self) -> str: ...
    @property
    def language(self) -> str: ...
    @property
    def count(self) -> int: ...


class RiskDayCount(Protocol):
    @property
    def day(self) -> date: ...
    @property
    def risk(self) -> str: ...
    @property
    def language(self) -> str: ...
    @property
    def count(self) -> int: ...


class Rating(Protocol):
    @property
    def topic(self) -> str: ...
    @property
    def language(self) -> str: ...
    @property
    def helpful(self) -> int: ...
    @property
    def unhelpful(self) -> int: ...


class Share(Protocol):
    @property
    def counts(self) -> dict[str, int]: ...
    @property
    def total(self) -> int: ...
    def share(self, outcome: Outcome) -> float: ...


class UsageFigures(Protocol):
    """`SqliteUsageCounts`' read side."""

    def since(self, days: int) -> date: ...
    def counts_by_topic(self, days: int) -> Sequence[TopicDayCount]: ...
    def risk_counts(self, days: int) -> Sequence[RiskDayCount]: ...
    def direct_share(self, days: int, language: Language | None = None) -> Share: ...
    def helpful_by_topic(self, days: int) -> Sequence[Rating]: ...
    def outcomes_by_day(self, days: int) -> Sequence[OutcomeDayCount]: ...


@dataclass(frozen=True)
class ShareRow:
    outcome: str
    count: int
    percent: float


@dataclass(frozen=True)
class UsageView:
    days: int
    since: date
    languages: tuple[str, ...]
    # topic → language → count, most asked topic first
    totals: list[tuple[str, dict[str, int], int]]
    per_day: Sequence[TopicDayCount]
    risks: Sequence[RiskDayCount]
    ratings: Sequence[Rating]
    questions: int
    shares: list[ShareRow]
    direct_percent: dict[str, float]


def period(raw: str | None) -> int:
    """`?days=`: 7, 30 or 90; anything else is 7."""
    return int(raw) if raw in {str(p) for p in PERIODS} else PERIODS[0]


def usage_view(figures: UsageFigures, days: int) -> UsageView:
    per_day = figures.counts_by_topic(days)
    risks = figures.risk_counts(days)
    languages = tuple(sorted({c.language for c in per_day} | {r.language for r in risks}))
    by_topic: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for c in per_day:
        by_topic[c.topic][c.language] += c.count
    totals = sorted(
        ((t, dict(counts), sum(counts.values())) for t, counts in by_topic.items()),
        key=lambda row: (-row[2], row[0]),
    )
    share = figures.direct_share(days)
    shares = [
        ShareRow(name, share.counts.get(outcome, 0), 100 * share.share(outcome))
        for outcome, name in OUTCOME_NAMES.items()
    ]
    direct_percent = {
        lang: 100 * figures.direct_share(days, lang).share("direct") for lang in languages
    }
    return UsageView(
        days=days,
        since=figures.since(days),
        languages=languages,
        totals=totals,
        per_day=per_day,
        risks=risks,
        ratings=figures.helpful_by_topic(days),
        questions=share.total,
        shares=shares,
        direct_percent=direct_percent,
    )


def questions_chart(figures: UsageFigures, days: int) -> bytes:
    """Questions answered per day, one line per language, as a PNG."""
    first = figures.since(days)
    dates = [first + timedelta(days=i) for i in range(days)]
    per_language: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for c in figures.counts_by_topic(days):
        per_language[c.language][c.day] += c.count
    figure = Figure(figsize=(8, 3), dpi=100)
    axes = figure.add_subplot()
    styles = ("-", "--", ":", "-.")
    markers = ("o", "s", "^", "D")
    for i, language in enumerate(sorted(per_language)):
        counts = [per_language[language][d] for d in dates]
        # Own marker and dash per language: equal counts would otherwise hide one line.
        axes.plot(
            dates,
            counts,
            marker=markers[i % len(markers)],
            linestyle=styles[i % len(styles)],
            fillstyle="none",
            label=language,
        )
    axes.set_title(f"Questions answered per day, last {days} days")
    axes.set_ylabel("questions")
    axes.set_ylim(bottom=0)
    if dates:
        axes.set_xlim(dates[0] - timedelta(hours=12), dates[-1] + timedelta(hours=12))
    if per_language:
        axes.legend(loc="best")
    figure.autofmt_xdate()
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
