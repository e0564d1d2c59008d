"""Retention rules that run on a schedule (abandoned drafts, chat message ids, closed
complaints' words): each says how long it keeps things and removes what is older."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Sweep:
    """Another retention rule on the dispatcher's schedule (abandoned drafts, chat message ids):
    `drop(cutoff)` removes what was last touched before the cutoff and says how many."""

    name: str
    keep: timedelta
    drop: Callable[[datetime], int]

    def run(self, now: datetime) -> int:
        return self.drop(now - self.keep)


def run_sweeps(sweeps: tuple[Sweep, ...], now: datetime) -> None:
    for sweep in sweeps:
        swept = sweep.run(now)
        if swept:
            log.info("retention: %s: %d", sweep.name, swept)
