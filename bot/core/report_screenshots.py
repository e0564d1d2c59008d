"""The screenshots step of the guided report: what is received, what is refused unseen, and when
screenshots already added are deleted again.

A file is downloaded (`Attachment.fetch`) only at this step and only when no child can be in it
(`bot/core/evidence.py`); everything else is answered from what the channel declares.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from bot.core.evidence import (
    MAX_EVIDENCE,
    MAX_EVIDENCE_BYTES,
    evidence_allowed,
    image_type,
    looks_like_image,
)
from bot.core.identity import UserKey
from bot.core.languages import Language
from bot.core.messages import Attachment, Reply
from bot.core.ports import EvidenceStore, Translator
from bot.core.report_form import ReportForm
from bot.core.report_steps import Step

Ask = Callable[[ReportForm, Language], Reply]
Moved = tuple[ReportForm, list[Reply]]


@dataclass(frozen=True)
class Kept:
    evidence_id: str


class ScreenshotStep:
    """Without a store (no `EvidenceStore` configured) no image is ever received."""

    def __init__(self, translator: Translator, store: EvidenceStore | None) -> None:
        self._tr = translator
        self._store = store

    def _t(self, lang: Language, message: str, **values: object) -> str:
        return self._tr.gettext(lang, message, **values)

    async def on_media(
        self,
        user_key: UserKey,
        form: ReportForm,
        attachment: Attachment | None,
        lang: Language,
        ask: Ask,
    ) -> Moved:
        """A file is downloaded only at the screenshots step, and only once it is known that no
        child can be in it; anything else is answered from what the channel declares."""
        if not self.applies(form):
            return form, [Reply(self._no_images_text(form, lang), language=lang), ask(form, lang)]
        if form.step is not Step.SCREENSHOTS:
            text = self._t(
                lang,
                "Please keep your screenshots for now: I will ask for them in a moment. If you "
                "have passed that step, choose Edit on the summary, then Screenshots.",
            )
            return form, [Reply(text, language=lang), ask(form, lang)]
        received = await self._receive(user_key, form, attachment, lang)
        if isinstance(received, str):
            return form, [Reply(received, language=lang), ask(form, lang)]
        form = replace(form, evidence=(*form.evidence, received.evidence_id))
        count = len(form.evidence)
        added = self._t(
            lang, "Screenshot {count} of {limit} added.", count=count, limit=MAX_EVIDENCE
        )
        more = (
            self._t(lang, "Send another, or press Continue.")
            if count < MAX_EVIDENCE
            else self._t(lang, "Press Continue.")
        )
        # One short message per image, with the step's buttons: an album of three photos
        # should not repeat the whole question three times.
        return form, [replace(ask(form, lang), text=f"{added} {more}")]

    async def _receive(
        self, user_key: UserKey, form: ReportForm, attachment: Attachment | None, lang: Language
    ) -> Kept | str:
        """Keeps one screenshot; returns what went wrong instead, in words for the person."""
        too_large = self._t(
            lang,
            "That image is larger than {size} MB. Please send a smaller one: sending it as a "
            "photo, not as a file, makes it smaller.",
            size=MAX_EVIDENCE_BYTES // (1024 * 1024),
        )
        not_image = self._t(lang, "Only images (photos or screenshots) can be added to a report.")
        if len(form.evidence) >= MAX_EVIDENCE:
            return self._t(
                lang,
                "This report already has {limit} screenshots, the most it can take. Press "
                "Continue, or remove them to choose others.",
                limit=MAX_EVIDENCE,
            )
        if attachment is None or not looks_like_image(attachment.content_type):
            return not_image
        if attachment.size is not None and attachment.size > MAX_EVIDENCE_BYTES:
            return too_large
        try:
            data = await attachment.fetch()
        except Exception:
            return self._t(lang, "I couldn't receive that image. Please send it again.")
        content_type = image_type(data)
        if content_type is None:
            return not_image
        if len(data) > MAX_EVIDENCE_BYTES:
            return too_large
        store = self._store
        if store is None:  # ruled out by _may_hold_evidence
            return not_image
        return Kept(store.keep(user_key, data, content_type))

    def applies(self, form: ReportForm) -> bool:
        return self._store is not None and evidence_allowed(
            form.category, form.involves_child, form.child == "unsure"
        )

    def _no_images_text(self, form: ReportForm, lang: Language) -> str:
        if form.category == "csam" or form.involves_child:
            return self._t(
                lang,
                "Please don't send images when a child is involved: I don't open or keep them, "
                "and no one should download, screenshot or forward them. Only the link is needed.",
            )
        if self._store is None:
            return self._t(
                lang,
                "Screenshots can't be added to reports here. Keep them safe on your phone: the "
                "officer handling your report may ask for them. The link and your description "
                "are enough.",
            )
        return self._t(
            lang,
            "Please don't send images when a child may be in sexual content: I don't open or "
            "keep them, and no one should download, screenshot or forward them. Only the link "
            "is needed.",
        )

    def drop(self, user_key: UserKey, form: ReportForm) -> ReportForm:
        """The form without its screenshots, which are deleted from the store."""
        if form.evidence and self._store is not None:
            self._store.discard(user_key, list(form.evidence))
        return replace(form, evidence=())

    def drop_if_not_allowed(
        self, user_key: UserKey, form: ReportForm, lang: Language
    ) -> tuple[ReportForm, list[Reply]]:
        """An answer changed so that a child may be in the screenshots: they are deleted."""
        if self.applies(form) or not form.evidence:
            return form, []
        form = self.drop(user_key, form)
        text = self._t(
            lang,
            "I deleted the screenshots you added: when a child may be involved, only the link "
            "is needed.",
        )
        return form, [Reply(text, language=lang)]
