"""Teach the bot, in the console: the review queue grouped by similarity, a label per entry
(`StaffReview.label` decides; the page says what happened), and on demand the labelled entries
the current model still places elsewhere (`still_wrong`, through the bot's NLU port).

| path               | method | what                                                          |
|--------------------|--------|---------------------------------------------------------------|
| /review            | GET    | pending entries, grouped; `?check=1` asks the model too       |
| /review/{entry_id} | POST   | label one entry; back to /review with the outcome             |
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from aiohttp import web

from bot.console.kit import PageKit
from bot.core.labels import is_topic_label
from bot.core.ports import Nlu, ReviewStore, TrainingExamples
from bot.core.review import LabelOutcome, ModelUnavailable, StaffReview, StillWrong, still_wrong
from bot.core.review_entry import NEW_TOPIC_NEEDED, OUT_OF_SCOPE
from bot.core.review_groups import group_entries

LABEL_MESSAGES = {
    LabelOutcome.LABELLED: "Labelled: the words went into the review file {file}; the next "
    "training (waspada nlu train) learns them.",
    LabelOutcome.NOTED: "Noted as a new topic needed: nothing goes into training data.",
    LabelOutcome.NO_SUCH_ENTRY: "There is no such entry: it was forgotten or has expired.",
    LabelOutcome.ALREADY_LABELLED: "Someone already labelled that entry; nothing changed.",
    LabelOutcome.UNKNOWN_INTENT: "That is not an intent the training data knows; nothing changed.",
    LabelOutcome.ALREADY_TRAINED: "Those words are already a training example; nothing changed.",
    LabelOutcome.HELD_OUT: "Those words are in the held-out test set, which must never be "
    "trained on; nothing changed.",
}


class ReviewPages:
    def __init__(
        self, kit: PageKit, review: ReviewStore, training: TrainingExamples, nlu: Nlu | None
    ) -> None:
        self._kit = kit
        self._review = review
        self._training = training
        self._nlu = nlu

    def add_routes(self, router: web.UrlDispatcher) -> None:
        router.add_get("/review", self.review)
        router.add_post("/review/{entry_id}", self.label)

    async def _still_wrong(self) -> list[StillWrong] | None:
        """None: no model to ask (no NLU server configured, or it did not answer)."""
        if self._nlu is None:
            return None
        try:
            return await still_wrong(self._review, self._nlu)
        except ModelUnavailable:
            return None

    def _labels(self, training: TrainingExamples) -> list[str]:
        """What `StaffReview.label` accepts: topic intents of the training data (not the risk_
        and scam_ screens'), out_of_scope, and "new topic needed"."""
        topics = sorted(i for i in training.intents() if is_topic_label(i) and i != OUT_OF_SCOPE)
        return [*topics, OUT_OF_SCOPE, NEW_TOPIC_NEEDED]

    async def review(self, request: web.Request) -> web.StreamResponse:
        review, training = self._review, self._training
        outcome = request.query.get("outcome", "")
        message = None
        for known, text in LABEL_MESSAGES.items():
            if known.value == outcome:
                message = text.format(file=_review_file(request.query.get("file", "")))
        checked = request.query.get("check") == "1"
        wrong = await self._still_wrong() if checked else None
        return self._kit.page(
            request,
            "review.html",
            groups=group_entries(review.pending()),
            labels=self._labels(training),
            message=message,
            out_of_scope=OUT_OF_SCOPE,
            new_topic=NEW_TOPIC_NEEDED,
            checked=checked,
            model=self._nlu is not None,
            still_wrong=wrong,
        )

    async def label(self, request: web.Request) -> web.StreamResponse:
        session = self._kit.session(request)
        review, training = self._review, self._training
        form = await request.post()
        label = form.get("label")
        try:
            entry_id = int(request.match_info["entry_id"])
        except ValueError:
            raise web.HTTPNotFound(text="No such entry.") from None
        if not isinstance(label, str) or not label:
            raise web.HTTPBadRequest(text="Choose a label.")
        result = StaffReview(review, training).label(entry_id, label, session.name)
        self._kit.auth.record(
            session.name, "labelled review entry", f"#{entry_id} as {label}: {result.outcome.name}"
        )
        query = {"outcome": result.outcome.value}
        if result.file:
            query["file"] = result.file
        raise web.HTTPSeeOther("/review?" + urlencode(query))


def _review_file(named: str) -> str:
    """The file in the address only if it is one a label can write: a link cannot make the page
    claim that words went anywhere else."""
    folder = "nlu/data/review/"
    return folder + named if re.fullmatch(r"[A-Za-z_]+\.yml", named) else folder
