"""Staff teach the bot: label what it could not place, and see which labels it still gets wrong.

`label` outcomes, each a value the caller must handle (the console shows a sentence for each):

| outcome          | when                                                  | written to           |
|------------------|-------------------------------------------------------|----------------------|
| LABELLED         | an intent the training data knows, or out_of_scope    | SQLite + review file |
| NOTED            | "new_topic_needed": no answer exists yet              | SQLite only          |
| NO_SUCH_ENTRY    | the id is unknown, or the entry forgotten or expired  | nothing              |
| ALREADY_LABELLED | the entry has a label (its line may be in a file)     | nothing              |
| UNKNOWN_INTENT   | a typo, or a risk_/scam_ screen label                 | nothing              |
| ALREADY_TRAINED  | the words are already a training example              | nothing              |
| HELD_OUT         | the words are in the held-out test set: training on   | nothing              |
|                  | them breaks `tests/test_nlu_data.py` and the eval     |                      |

The review files live in `nlu/data/review/<language>.yml`, so the next `waspada nlu train`
trains on them (its fingerprint covers every file under `nlu/data/`); nothing here retrains.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from bot.core.labels import is_topic_label
from bot.core.ports import NLU_UNAVAILABLE, Nlu, ReviewStore, TrainingExamples
from bot.core.review_entry import NEW_TOPIC_NEEDED, ReviewEntry


class LabelOutcome(Enum):
    LABELLED = "labelled"
    NOTED = "noted"
    NO_SUCH_ENTRY = "no_such_entry"
    ALREADY_LABELLED = "already_labelled"
    UNKNOWN_INTENT = "unknown_intent"
    ALREADY_TRAINED = "already_trained"
    HELD_OUT = "held_out"


@dataclass(frozen=True)
class Labelling:
    outcome: LabelOutcome
    # The review file the example went into, for LABELLED.
    file: str | None = None


@dataclass(frozen=True)
class StillWrong:
    """A labelled entry the current model still places elsewhere."""

    entry: ReviewEntry
    predicted: str
    confidence: float


class StaffReview:
    def __init__(self, queue: ReviewStore, training: TrainingExamples) -> None:
        self._queue = queue
        self._training = training

    def label(self, entry_id: int, label: str, staff_name: str) -> Labelling:
        entry = self._queue.entry(entry_id)
        if entry is None:
            return Labelling(LabelOutcome.NO_SUCH_ENTRY)
        if entry.label is not None:
            return Labelling(LabelOutcome.ALREADY_LABELLED)
        if label == NEW_TOPIC_NEEDED:
            self._queue.set_label(entry_id, label, staff_name)
            return Labelling(LabelOutcome.NOTED)
        if not is_topic_label(label) or label not in self._training.intents():
            return Labelling(LabelOutcome.UNKNOWN_INTENT)
        if self._training.held_out(entry.text):
            return Labelling(LabelOutcome.HELD_OUT)
        if self._training.trained(entry.text):
            return Labelling(LabelOutcome.ALREADY_TRAINED)
        written = self._training.add(entry.language, label, entry.text)
        self._queue.set_label(entry_id, label, staff_name)
        return Labelling(LabelOutcome.LABELLED, written)


class ModelUnavailable(Exception):  # noqa: N818 - reads better at the raise site
    """The NLU answered without its model (its server is down): no prediction to compare."""


async def still_wrong(queue: ReviewStore, nlu: Nlu) -> list[StillWrong]:
    """Labelled entries (not "new topic needed") whose current prediction differs from the
    staff label: what the next training should fix, or what needs more examples. Raises
    `ModelUnavailable` rather than call every entry wrong when the model cannot be asked."""
    wrong: list[StillWrong] = []
    for entry in queue.labelled():
        if entry.label is None or entry.label == NEW_TOPIC_NEEDED:
            continue
        result = await nlu.parse(entry.text)
        if result.intent == NLU_UNAVAILABLE:
            raise ModelUnavailable
        if result.intent != entry.label:
            wrong.append(StillWrong(entry, result.intent, result.confidence))
    return wrong
