"""When staff are at the desk: `WASPADA_STAFF_HOURS` (HH:MM-HH:MM) on `WASPADA_STAFF_DAYS`
(mon-fri, or a list such as mon,tue,sat), in Malaysia time (UTC+8 all year, no summer time)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone

from bot.core.commands import N_
from bot.core.languages import Language
from bot.core.ports import Translator

MALAYSIA = timezone(timedelta(hours=8))
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# TRANSLATORS: short day names, as in "Mon-Fri, 08:30-17:30".
DAY_NAMES = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
# Longer waits than this count as "long enough" anyway; it bounds the loop in `open_time`.
LOOK_BACK = timedelta(days=14)
_HOURS = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class OfficeHours:
    start: time = time(8, 30)
    end: time = time(17, 30)
    # Weekday numbers, Monday 0.
    days: frozenset[int] = frozenset(range(5))

    @classmethod
    def parse(cls, hours: str, days: str) -> OfficeHours:
        """Raises ValueError with a sentence naming what is wrong."""
        match = _HOURS.match(hours.replace(" ", ""))
        if not match:
            raise ValueError("WASPADA_STAFF_HOURS must look like 08:30-17:30 (Malaysia time).")
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        start, end = time(h1, m1), time(h2, m2)
        if end <= start:
            raise ValueError("WASPADA_STAFF_HOURS must end after it starts, on the same day.")
        return cls(start, end, _days(days))

    def is_open(self, now: datetime) -> bool:
        local = now.astimezone(MALAYSIA)
        return local.weekday() in self.days and self.start <= local.time() < self.end

    def open_time(self, start: datetime, end: datetime) -> timedelta:
        """Office time between two instants: a wait that began at 17:25 on Friday has lasted
        five minutes at 08:30 on Monday, not three days."""
        a, b = start.astimezone(MALAYSIA), end.astimezone(MALAYSIA)
        a = max(a, b - LOOK_BACK)
        total, day = timedelta(0), a.date()
        while day <= b.date():
            if day.weekday() in self.days:
                opens = datetime.combine(day, self.start, MALAYSIA)
                closes = datetime.combine(day, self.end, MALAYSIA)
                lo, hi = max(opens, a), min(closes, b)
                if hi > lo:
                    total += hi - lo
            day += timedelta(days=1)
        return total

    def describe(self, translator: Translator, lang: Language) -> str:
        """ "Mon-Fri, 08:30-17:30" with the day names in the person's language."""
        names = [translator.gettext(lang, DAY_NAMES[d]) for d in sorted(self.days)]
        ordered = sorted(self.days)
        runs = ordered == list(range(ordered[0], ordered[-1] + 1)) and len(ordered) > 2
        days = f"{names[0]}-{names[-1]}" if runs else ", ".join(names)
        return f"{days}, {self.start:%H:%M}-{self.end:%H:%M}"


def _days(text: str) -> frozenset[int]:
    wrong = "WASPADA_STAFF_DAYS must be a range such as mon-fri or a list such as mon,tue,sat."
    text = text.replace(" ", "").lower()
    found: set[int] = set()
    for part in filter(None, text.split(",")):
        first, _, last = part.partition("-")
        if first not in DAYS or (last and last not in DAYS):
            raise ValueError(wrong)
        a, b = DAYS.index(first), DAYS.index(last or first)
        if b < a:
            raise ValueError(wrong)
        found.update(range(a, b + 1))
    if not found:
        raise ValueError(wrong)
    return frozenset(found)
