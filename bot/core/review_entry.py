"""What the review queue keeps about a message the bot could not place, as plain values.

Staff teach the bot from these (`bot/core/review.py`). Only the redacted words are kept
(`bot/core/redaction.py`), never the raw message, and nothing a channel knows about the person
except an opaque owner key, so `/forget` can find and remove their entries.

Messages on which the risk screen fired are kept too, redacted like the rest: they are the ones
most worth learning from (a crisis phrased in a way the model missed). Their risk classes are
kept as labels beside the words, so staff can see why the bot put a crisis card first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from bot.core.identity import UserKey

ReviewReason = Literal["did_you_mean", "out_of_scope", "thumbs_down"]
REVIEW_REASONS: tuple[ReviewReason, ...] = ("did_you_mean", "out_of_scope", "thumbs_down")
# Labels staff may give besides an intent: "out_of_scope" is an intent of its own in the
# training data; "new_topic_needed" is a note for whoever writes answers, never training data.
OUT_OF_SCOPE = "out_of_scope"
NEW_TOPIC_NEEDED = "new_topic_needed"
# The review files are named by the language the message was written in; "mixed" when it mixes
# Chinese with Latin-script words (the folder layout of nlu/data/).
MIXED = "mixed"


@dataclass(frozen=True)
class ReviewItem:
    """A message to keep for review. `text` must already be redacted; `guesses` are the
    model's top intents (name, confidence), best first; `risks` the classes the screen raised."""

    owner: UserKey
    language: str
    reason: ReviewReason
    text: str
    guesses: tuple[tuple[str, float], ...]
    risks: tuple[str, ...]
    day: date


@dataclass(frozen=True)
class ReviewEntry:
    """A kept message as staff see it, with the label once one was given."""

    entry_id: int
    language: str
    reason: ReviewReason
    text: str
    guesses: tuple[tuple[str, float], ...]
    risks: tuple[str, ...]
    day: date
    label: str | None = None
    labelled_by: str | None = None
