"""How often the bot answered a typed question straight away, per day, against how often it had
to ask "did you mean…?": a table and a PNG chart for "What people ask". A falling direct share
is the first sign the model or the answers no longer fit what people ask.

Counts only (`usage_questions`: day × language × outcome × topic, no words, no people). The
chart is drawn like the questions chart (`usage.py`): matplotlib's Agg renderer on a `Figure`
of its own, never pyplot's global state.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter


class OutcomeDayCount(Protocol):
    @property
    def day(self) -> date: ...
    @property
    def outcome(self) -> str: ...
    @property
    def count(self) -> int: ...


class OutcomeFigures(Protocol):
    """`SqliteUsageCounts`' read side for this chart."""

    def since(self, days: int) -> date: ...
    def outcomes_by_day(self, days: int) -> Sequence[OutcomeDayCount]: ...


@dataclass(frozen=True)
class ShareDay:
    """One day's typed questions and how they were met."""

    day: date
    direct: int = 0
    follow_up: int = 0
    did_you_mean: int = 0
    out_of_scope: int = 0

    @property
    def questions(self) -> int:
        return self.direct + self.follow_up + self.did_you_mean + self.out_of_scope

    @property
    def direct_percent(self) -> float | None:
        return 100 * self.direct / self.questions if self.questions else None

    @property
    def did_you_mean_percent(self) -> float | None:
        return 100 * self.did_you_mean / self.questions if self.questions else None


def share_days(figures: OutcomeFigures, days: int) -> list[ShareDay]:
    """Every day of the period, oldest first; a day without questions has zeros."""
    first = figures.since(days)
    found: dict[date, dict[str, int]] = defaultdict(dict)
    for row in figures.outcomes_by_day(days):
        found[row.day][row.outcome] = row.count
    result = []
    for i in range(max(days, 1)):
        day = first + timedelta(days=i)
        counts = found.get(day, {})
        result.append(
            ShareDay(
                day,
                direct=counts.get("direct", 0),
                follow_up=counts.get("follow_up", 0),
                did_you_mean=counts.get("did_you_mean", 0),
                out_of_scope=counts.get("out_of_scope", 0),
            )
        )
    return result


def direct_share_chart(figures: OutcomeFigures, days: int) -> bytes:
    """Share of each day's typed questions answered directly and met with "did you mean…?", as
    a PNG; days without questions are gaps, not zeros."""
    rows = share_days(figures, days)
    dates = [r.day for r in rows]
    direct = [r.direct_percent if r.direct_percent is not None else float("nan") for r in rows]
    unsure = [
        r.did_you_mean_percent if r.did_you_mean_percent is not None else float("nan") for r in rows
    ]
    figure = Figure(figsize=(8, 3), dpi=100)
    axes = figure.add_subplot()
    axes.plot(dates, direct, marker="o", label="answered directly")
    axes.plot(dates, unsure, marker="s", linestyle="--", label='"did you mean…?"')
    axes.set_title(f'Typed questions answered directly vs "did you mean", last {days} days')
    axes.set_ylabel("share of the day's questions")
    axes.set_ylim(0, 100)
    # The whole window, even when only one day has questions (else a year either side of it).
    axes.set_xlim(dates[0] - timedelta(hours=12), dates[-1] + timedelta(hours=12))
    axes.yaxis.set_major_formatter(PercentFormatter())
    axes.legend(loc="best")
    figure.autofmt_xdate()
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
