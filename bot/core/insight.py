"""What the dialogue tells staff about its questions: counts without words, and the messages it
could not place, redacted, for review. One object, called where the decision is made
(`Dialogue._place` and `_on_text`, the 👍/👎 buttons), so the counts and the queue never disagree.

| the bot…                         | counted (day, language)        | kept for review (redacted)  |
|----------------------------------|--------------------------------|-----------------------------|
| answered a topic from free text  | question: direct, topic        | —                           |
| read a follow-up in context      | question: follow_up, topic     | —                           |
| asked "did you mean…?"           | question: did_you_mean         | yes, with the top guesses   |
| said it is out of scope          | question: out_of_scope         | yes, with the top guesses   |
| raised risk classes              | one count per class            | only with one of the above  |
| got 👍/👎 under an answer         | rating per topic               | 👎: the question, if typed  |

Days are Malaysian days: staff read "Tuesday" as theirs.
"""

from __future__ import annotations

import re

from bot.core.identity import UserKey
from bot.core.incident_date import malaysia_today
from bot.core.languages import Language
from bot.core.ports import Clock, NluResult, Outcome, ReviewQueue, UsageCounts
from bot.core.redaction import redact
from bot.core.review_entry import MIXED, ReviewItem, ReviewReason

# The model's guesses kept beside a message: enough for staff to see what it hesitated over.
GUESSES_KEPT = 3
REVIEW_CHARS = 1000
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def review_language(text: str, reply_language: Language) -> str:
    """Chinese characters beside Latin words ("shipping fee 多少 ah") go to the mixed file, as
    nlu/data/mixed/ holds them; otherwise the language the bot answered in."""
    if _HAN.search(text) and _LATIN_WORD.search(_HAN.sub(" ", without_placeholders(text))):
        return MIXED
    return reply_language


def without_placeholders(text: str) -> str:
    """Placeholders are Latin words too; they say nothing about the language."""
    return re.sub(r"\[(?:phone|email|mykad|account|link|name)\]", " ", text)


class Insight:
    def __init__(self, clock: Clock, counts: UsageCounts, queue: ReviewQueue | None) -> None:
        self._clock = clock
        self._counts = counts
        self._queue = queue

    def asked(
        self,
        owner: UserKey,
        text: str,
        result: NluResult,
        lang: Language,
        outcome: Outcome,
        topic: str = "",
    ) -> None:
        """A free-text question and what the bot did with it."""
        day = malaysia_today(self._clock.now())
        self._counts.question(day, lang, outcome, topic)
        if result.risks:
            self._counts.risks(day, lang, result.risks)
        if outcome in ("did_you_mean", "out_of_scope"):
            self.keep(owner, redact(text), result, lang, outcome)

    def rated(self, topic: str, lang: Language, *, helpful: bool) -> None:
        self._counts.rating(malaysia_today(self._clock.now()), topic, lang, helpful)

    def keep(
        self,
        owner: UserKey,
        redacted: str,
        result: NluResult | None,
        lang: Language,
        reason: ReviewReason,
        *,
        guesses: tuple[tuple[str, float], ...] = (),
        risks: tuple[str, ...] = (),
    ) -> None:
        """`redacted` must already have gone through `redact` (the 👎 path redacts when the
        answer is given, so the session never holds the raw words either)."""
        if self._queue is None or not redacted.strip():
            return
        if result is not None:
            guesses = tuple((name, round(score, 3)) for name, score in result.ranking)
            risks = tuple(result.risks)
        self._queue.keep(
            ReviewItem(
                owner=owner,
                language=review_language(redacted, lang),
                reason=reason,
                text=" ".join(redacted.split())[:REVIEW_CHARS],
                guesses=guesses[:GUESSES_KEPT],
                risks=risks,
                day=malaysia_today(self._clock.now()),
            )
        )
