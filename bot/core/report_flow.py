"""The guided report: a small state machine kept in the session, so it survives restarts.

    triage → category → platform → links → what happened → when → child? → screenshots →
    contact → summary
      (csam skips category and child; screenshots only where no child can be in them; "contact
      me" adds name → phone → email; summary → edit any step and come back, or confirm → filed
      in the outbox with a reference)

Every button carries the step it belongs to, so a press on an old message is recognised as stale.
Safety first: money lost or danger now gets the hotline before any question; sexual images of a
child are never asked for — only the link.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from bot.core import callbacks
from bot.core.buttons import ButtonMaker
from bot.core.evidence import (
    MAX_EVIDENCE,
    MAX_EVIDENCE_BYTES,
    evidence_allowed,
    image_type,
    looks_like_image,
)
from bot.core.incident_date import is_dont_know, malaysia_today, parse_incident_date
from bot.core.links import extract_links, no_link
from bot.core.messages import Attachment, Button, Language, Reply
from bot.core.ports import AnswerBook, Clock, EvidenceStore, ReportStore, Translator
from bot.core.report import CATEGORIES, MAX_DESCRIPTION, PLATFORMS, Report, ReportDraft
from bot.core.session import Session

FLOW = "report"
STEPS = (
    "tri", "cat", "plt", "lnk", "dsc", "whn", "chd", "evd", "cnt", "nam", "phn", "eml", "sum"
)  # fmt: skip
EDITABLE = ("cat", "plt", "lnk", "dsc", "whn", "chd", "evd", "cnt")
_PHONE = re.compile(r"^\+?[0-9][0-9 -]{7,18}[0-9]$")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}\.[A-Za-z]{2,}$")
MAX_NAME = 100


class ReportFlow:
    def __init__(
        self,
        *,
        answers: AnswerBook,
        translator: Translator,
        buttons: ButtonMaker,
        store: ReportStore,
        clock: Clock,
        pseudonym: Callable[[str], str],
        per_day: int = 5,
        evidence: EvidenceStore | None = None,
    ) -> None:
        self._answers = answers
        self._tr = translator
        self._buttons = buttons
        self._store = store
        self._clock = clock
        self._pseudonym = pseudonym
        self._per_day = per_day
        self._evidence = evidence

    def _t(self, lang: Language, message: str, **values: object) -> str:
        return self._tr.gettext(lang, message, **values)

    # ---- entry points ----------------------------------------------------------------------
    def start(self, session: Session, lang: Language, platform: str | None = None) -> list[Reply]:
        if session.flow == FLOW:
            note = self._t(lang, "You have a report in progress. Let's continue where you were.")
            return [Reply(note, language=lang), self._ask(session.flow_state, lang)]
        session.flow = FLOW
        session.flow_state = {"step": "tri"}
        if platform in PLATFORMS:
            session.flow_state["platform"] = platform
        intro = self._t(
            lang,
            "I will help you report harmful content. It takes about two minutes; you can go "
            "back at any step or type /cancel to stop. Please also use the app's own Report "
            "option on the post or account: the platform can act on it too.",
        )
        return [Reply(intro, language=lang), self._ask(session.flow_state, lang)]

    def on_button(self, session: Session, value: str, lang: Language) -> list[Reply] | None:
        """None when the press does not belong to the step on screen (stale)."""
        step, _, choice = value.partition(".")
        state = session.flow_state
        if session.flow != FLOW or state.get("step") != step:
            return None
        if choice == "cancel":
            self._drop_evidence(session)
            session.flow, session.flow_state = None, {}
            text = self._t(lang, "Report cancelled. Nothing was sent.")
            return [Reply(text, tuple(self._buttons.menu(lang)), lang, replaces_menu=True)]
        if choice == "back":
            state["step"] = self._previous(state)
            return [self._ask(state, lang, replaces=True)]
        handler = getattr(self, f"_on_{step}", None)
        if handler is None:
            return None
        replies: list[Reply] | None = handler(state, choice, lang, session)
        return replies

    def on_text(self, session: Session, text: str, lang: Language) -> list[Reply]:
        state = session.flow_state
        step = str(state.get("step"))
        readers: dict[str, Callable[[dict[str, Any], str, Language], list[Reply]]] = {
            "lnk": self._read_links,
            "dsc": self._read_description,
            "whn": self._read_when,
            "nam": self._read_name,
            "phn": self._read_phone,
            "eml": self._read_email,
        }
        reader = readers.get(step)
        if reader is None:
            hint = self._t(
                lang,
                "Please choose one of the buttons below, or type /cancel to stop the report.",
            )
            return [Reply(hint, language=lang), self._ask(state, lang)]
        return reader(state, text.strip(), lang)

    async def on_media(
        self, session: Session, attachment: Attachment | None, lang: Language
    ) -> list[Reply]:
        """A file is downloaded only at the screenshots step, and only once it is known that no
        child can be in it; anything else is answered from what the channel declares."""
        state = session.flow_state
        if not self._may_hold_evidence(state):
            return [Reply(self._no_images_text(state, lang), language=lang), self._ask(state, lang)]
        if state.get("step") != "evd":
            text = self._t(
                lang,
                "Please keep your screenshots for now: I will ask for them in a moment. If you "
                "have passed that step, choose Edit on the summary, then Screenshots.",
            )
            return [Reply(text, language=lang), self._ask(state, lang)]
        problem = await self._receive(session, attachment, lang)
        if problem:
            return [Reply(problem, language=lang), self._ask(state, lang)]
        count = len(state.get("evidence", []))
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
        return [replace(self._ask(state, lang), text=f"{added} {more}")]

    async def _receive(
        self, session: Session, attachment: Attachment | None, lang: Language
    ) -> str | None:
        """Keeps one screenshot; returns what went wrong instead, in words for the person."""
        state = session.flow_state
        held: list[str] = state.setdefault("evidence", [])
        too_large = self._t(
            lang,
            "That image is larger than {size} MB. Please send a smaller one: sending it as a "
            "photo, not as a file, makes it smaller.",
            size=MAX_EVIDENCE_BYTES // (1024 * 1024),
        )
        not_image = self._t(lang, "Only images (photos or screenshots) can be added to a report.")
        if len(held) >= MAX_EVIDENCE:
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
        store = self._evidence
        if store is None:  # ruled out by _may_hold_evidence
            return not_image
        held.append(store.keep(session.user_key, data, content_type))
        return None

    def _may_hold_evidence(self, state: dict[str, Any]) -> bool:
        return self._evidence is not None and evidence_allowed(
            state.get("category"), bool(state.get("involves_child")), state.get("child") == "unsure"
        )

    def _no_images_text(self, state: dict[str, Any], lang: Language) -> str:
        if state.get("category") == "csam" or state.get("involves_child"):
            return self._t(
                lang,
                "Please don't send images when a child is involved: I don't open or keep them, "
                "and no one should download, screenshot or forward them. Only the link is needed.",
            )
        if self._evidence is None:
            return self._t(
                lang,
                "I can't receive screenshots or files. Keep them safe on your phone: the "
                "officer handling your report may ask for them. Here, the link and your "
                "description are enough.",
            )
        return self._t(
            lang,
            "Please don't send images when a child may be in sexual content: I don't open or "
            "keep them, and no one should download, screenshot or forward them. Only the link "
            "is needed.",
        )

    def _drop_evidence(self, session: Session) -> int:
        held = session.flow_state.pop("evidence", None) or []
        if held and self._evidence is not None:
            self._evidence.discard(session.user_key, list(held))
        return len(held)

    # ---- steps -----------------------------------------------------------------------------
    def _advance(self, state: dict[str, Any], lang: Language, *, replaces: bool) -> Reply:
        if state.pop("editing", False):
            state["step"] = "sum"
        else:
            state["step"] = self._next(state)
        return self._ask(state, lang, replaces=replaces)

    def _next(self, state: dict[str, Any]) -> str:
        step = str(state["step"])
        index = STEPS.index(step) + 1
        while index < len(STEPS) and self._skipped(STEPS[index], state):
            index += 1
        return STEPS[index]

    def _previous(self, state: dict[str, Any]) -> str:
        if state.pop("editing", False):
            return "sum"
        return self._previous_of(str(state["step"]), state)

    def _previous_of(self, step: str, state: dict[str, Any]) -> str:
        index = STEPS.index(step) - 1
        while index > 0 and self._skipped(STEPS[index], state):
            index -= 1
        return STEPS[max(index, 0)]

    def _skipped(self, step: str, state: dict[str, Any]) -> bool:
        if step == "evd":
            return not self._may_hold_evidence(state)
        if step == "cat":
            return state.get("triage") == "child"
        if step == "plt":
            return "platform" in state and not state.get("platform_asked")
        if step == "chd":
            return state.get("category") == "csam"
        if step in ("nam", "phn", "eml"):
            return not state.get("contact_consent")
        return False

    def _on_tri(
        self, state: dict[str, Any], choice: str, lang: Language, session: Session
    ) -> list[Reply] | None:
        if choice not in ("money", "danger", "child", "none"):
            return None
        state["triage"] = choice
        urgent: list[Reply] = []
        if choice == "money":
            state["category"] = "financial_fraud"
            text = self._t(
                lang,
                "**First, call the National Scam Response Centre now**, and your bank's 24-hour "
                "fraud line. Don't wait for this report: the sooner they know, the better.",
            )
            urgent.append(self._urgent(text, "nsrc", lang))
        elif choice == "danger":
            text = self._t(
                lang, "**If someone is in danger now, call 999 first.** This report can wait."
            )
            urgent.append(self._urgent(text, "emergency", lang))
        elif choice == "child":
            state["category"] = "csam"
            state["involves_child"] = True
            text = self._t(
                lang,
                "**Do not download, screenshot or forward it** — not even as evidence. "
                "Only the link is needed; I will ask for it in a moment.",
            )
            urgent.append(Reply(text, language=lang, protect=True))
        return [*urgent, self._advance(state, lang, replaces=not urgent)]

    def _urgent(self, text: str, contact: str, lang: Language) -> Reply:
        card = self._answers.contact(contact, lang)
        body = f"{text}\n\n{card.text}" if card else text
        return Reply(body, language=lang)

    def _on_cat(
        self, state: dict[str, Any], choice: str, lang: Language, session: Session
    ) -> list[Reply] | None:
        if choice not in CATEGORIES:
            return None
        state["category"] = choice
        if choice == "csam":
            state["involves_child"] = True
            self._drop_evidence(session)
            warning = self._t(
                lang,
                "**Do not download, screenshot or forward it** — not even as evidence. "
                "Only the link is needed; I will ask for it in a moment.",
            )
            return [
                Reply(warning, language=lang, protect=True),
                self._advance(state, lang, replaces=False),
            ]
        dropped = self._evidence_no_longer_allowed(session, lang)
        return [*dropped, self._advance(state, lang, replaces=not dropped)]

    def _on_plt(
        self, state: dict[str, Any], choice: str, lang: Language, session: Session
    ) -> list[Reply] | None:
        if choice not in PLATFORMS:
            return None
        state["platform"] = choice
        state["platform_asked"] = True
        return [self._advance(state, lang, replaces=True)]

    def _on_lnk(
        self, state: dict[str, Any], choice: str, lang: Language, session: Session
    ) -> list[Reply] | None:
        if choice != "none":
            return None
        state["urls"] = []
        return [self._advance(state, lang, replaces=True)]

    def _on_dsc(
        self, state: dict[str, Any], choice: str, lang: Language, session: Session
    ) -> list[Reply] | None:
        long_text = str(state.get("long_description") or "")
        if choice != "trim" or not long_text:
            return None
        state["description"] = long_text[:MAX_DESCRIPTION].rstrip()
        state.pop("long_description", None)
        return [self._advance(state, lang, replaces=True)]

    def _on_whn(
        self, state: dict[str, Any], choice: str, lang: Language, session: Session
    ) -> list[Reply] | None:
        today = malaysia_today(self._clock.now())
        dates = {"today": today, "yesterday": today - timedelta(days=1), "skip": None}
        if choice not in dates:
            return None
        picked = dates[choice]
        state["incident_date"] = picked.isoformat() if picked else None
        return [self._advance(state, lang, replaces=True)]

    def _on_chd(
        self, state: dict[str, Any], choice: str, lang: Language, session: Session
    ) -> list[Reply] | None:
        if choice not in ("yes", "no", "unsure"):
            return None
        state["involves_child"] = choice == "yes"
        state["child"] = choice
        dropped = self._evidence_no_longer_allowed(session, lang)
        return [*dropped, self._advance(state, lang, replaces=not dropped)]

    def _evidence_no_longer_allowed(self, session: Session, lang: Language) -> list[Reply]:
        """An answer changed so that a child may be in the screenshots: they are deleted."""
        if self._may_hold_evidence(session.flow_state) or not self._drop_evidence(session):
            return []
        text = self._t(
            lang,
            "I deleted the screenshots you added: when a child may be involved, only the link "
            "is needed.",
        )
        return [Reply(text, language=lang)]

    def _on_evd(
        self, state: dict[str, Any], choice: str, lang: Language, session: Session
    ) -> list[Reply] | None:
        if choice == "clear":
            self._drop_evidence(session)
            return [self._ask(state, lang, replaces=True)]
        if choice != "done":
            return None
        return [self._advance(state, lang, replaces=True)]

    def _on_cnt(
        self, state: dict[str, Any], choice: str, lang: Language, session: Session
    ) -> list[Reply] | None:
        if choice not in ("anon", "contact"):
            return None
        state["contact_consent"] = choice == "contact"
        if choice == "anon":
            for field in ("name", "phone", "email"):
                state.pop(field, None)
        return [self._advance(state, lang, replaces=True)]

    def _on_phn(
        self, state: dict[str, Any], choice: str, lang: Language, session: Session
    ) -> list[Reply] | None:
        if choice != "skip":
            return None
        state.pop("phone", None)
        return [self._advance(state, lang, replaces=True)]

    def _on_eml(
        self, state: dict[str, Any], choice: str, lang: Language, session: Session
    ) -> list[Reply] | None:
        if choice != "skip":
            return None
        if not state.get("phone"):
            text = self._t(
                lang, "Please give a phone number or an email, or choose to stay anonymous."
            )
            state["step"] = "cnt"
            return [Reply(text, language=lang), self._ask(state, lang)]
        state.pop("email", None)
        return [self._advance(state, lang, replaces=True)]

    def _on_sum(
        self, state: dict[str, Any], choice: str, lang: Language, session: Session
    ) -> list[Reply] | None:
        if choice == "confirm":
            return self._confirm(session, lang)
        if choice == "edit":
            return [self._edit_menu(state, lang)]
        if choice.startswith("e_") and choice[2:] in EDITABLE:
            state["step"] = choice[2:]
            state["editing"] = True
            if state["step"] == "plt":
                state["platform_asked"] = True
            return [self._ask(state, lang, replaces=True)]
        return None

    # ---- free-text steps ---------------------------------------------------------------------
    def _read_links(self, state: dict[str, Any], text: str, lang: Language) -> list[Reply]:
        if no_link(text):
            state["urls"] = []
            return [self._advance(state, lang, replaces=False)]
        found = extract_links(text)
        if not found.urls:
            hint = self._t(
                lang,
                "I couldn't find a link in that. A link starts with https:// or looks like "
                'tiktok.com/… — or press "I don\'t have a link".',
            )
            return [Reply(hint, language=lang), self._ask(state, lang)]
        state["urls"] = list(found.urls)
        notes = [self._t(lang, "Got {count} link(s).", count=len(found.urls))]
        if found.rejected:
            notes.append(
                self._t(
                    lang,
                    "I left out {count} that were not web links (only http and https links "
                    "can be checked).",
                    count=len(found.rejected),
                )
            )
        if found.over_limit:
            notes.append(self._t(lang, "A report takes at most 10 links; I kept the first 10."))
        return [Reply(" ".join(notes), language=lang), self._advance(state, lang, replaces=False)]

    def _read_description(self, state: dict[str, Any], text: str, lang: Language) -> list[Reply]:
        if not text:
            return [self._ask(state, lang)]
        if len(text) > MAX_DESCRIPTION:
            state["long_description"] = text
            ask = self._t(
                lang,
                "That is {length} characters; a report can hold {limit}. Nothing is lost: "
                "please send a shorter version, or keep the first {limit} characters.",
                length=len(text),
                limit=MAX_DESCRIPTION,
            )
            trim = Button(
                self._t(lang, "Keep the first {limit} characters", limit=MAX_DESCRIPTION),
                self._data("dsc", "trim"),
            )
            return [Reply(ask, (trim, *self._nav("dsc", lang)), lang)]
        state["description"] = text
        state.pop("long_description", None)
        return [self._advance(state, lang, replaces=False)]

    def _read_when(self, state: dict[str, Any], text: str, lang: Language) -> list[Reply]:
        if is_dont_know(text):
            state["incident_date"] = None
            return [self._advance(state, lang, replaces=False)]
        when = parse_incident_date(text, malaysia_today(self._clock.now()))
        if when is None:
            hint = self._t(
                lang,
                'I couldn\'t read that date. Try "yesterday", "3 days ago" or 20/11/2026, '
                'or press "Not sure".',
            )
            return [Reply(hint, language=lang), self._ask(state, lang)]
        state["incident_date"] = when.isoformat()
        return [self._advance(state, lang, replaces=False)]

    def _read_name(self, state: dict[str, Any], text: str, lang: Language) -> list[Reply]:
        if not text or len(text) > MAX_NAME:
            return [self._ask(state, lang)]
        state["name"] = text
        return [self._advance(state, lang, replaces=False)]

    def _read_phone(self, state: dict[str, Any], text: str, lang: Language) -> list[Reply]:
        if not _PHONE.match(text):
            hint = self._t(lang, "That doesn't look like a phone number. Example: 012-345 6789.")
            return [Reply(hint, language=lang), self._ask(state, lang)]
        state["phone"] = text
        return [self._advance(state, lang, replaces=False)]

    def _read_email(self, state: dict[str, Any], text: str, lang: Language) -> list[Reply]:
        if not _EMAIL.match(text):
            hint = self._t(lang, "That doesn't look like an email address.")
            return [Reply(hint, language=lang), self._ask(state, lang)]
        state["email"] = text
        return [self._advance(state, lang, replaces=False)]

    # ---- confirmation ------------------------------------------------------------------------
    def _confirm(self, session: Session, lang: Language) -> list[Reply]:
        state = session.flow_state
        draft = self._draft(state, lang)
        now = self._clock.now()
        earlier = self._store.find_duplicate(session.user_key, draft.fingerprint())
        if earlier is not None:
            self._drop_evidence(session)
            session.flow, session.flow_state = None, {}
            text = self._t(
                lang,
                "You already sent this report: its reference is {reference}. I did not send "
                "it again. Type /status to see how it is going.",
                reference=earlier.reference,
            )
            return [Reply(text, tuple(self._buttons.menu(lang)), lang, replaces_menu=True)]
        if self._store.count_since(session.user_key, now - timedelta(days=1)) >= self._per_day:
            text = self._t(
                lang,
                "You have sent {count} reports today, the most I can take from one person in a "
                "day. Your answers are kept: press Confirm again tomorrow, or report directly "
                "on the MCMC complaint portal.",
                count=self._per_day,
            )
            card = self._answers.contact("mcmc", lang)
            links = (Button("🔗 " + card.name, url=card.url),) if card and card.url else ()
            return [Reply(text, links, lang)]
        report = Report(
            draft=draft,
            channel="telegram" if session.user_key.startswith("tg:") else "terminal",
            submitted_at=now,
            user_key=session.user_key,
            reporter_ref=self._pseudonym(session.user_key),
            evidence_ids=tuple(state.get("evidence", [])),
        )
        report = self._store.file(report)
        session.flow, session.flow_state = None, {}
        text = self._t(
            lang,
            "**Thank you. Your report is saved.** Your reference is **{reference}**.\n\n"
            "What happens next:\n"
            "1. I send it to the complaint system. If the connection is down, I keep trying: "
            "nothing is lost and it is never sent twice.\n"
            "2. When it is received, I will message you its official complaint number.\n"
            "3. I will tell you here when its status changes. Type /status any time.",
            reference=report.reference,
        )
        return [Reply(text, (self._buttons.main_menu_button(lang),), lang, replaces_menu=True)]

    def _draft(self, state: dict[str, Any], lang: Language) -> ReportDraft:
        consent = bool(state.get("contact_consent"))
        when = state.get("incident_date")
        return ReportDraft(
            category=str(state.get("category", "other")),
            platform=str(state.get("platform", "other")),
            content_urls=tuple(state.get("urls", [])),
            description=str(state.get("description", "")),
            incident_date=date.fromisoformat(when) if when else None,
            involves_child=bool(state.get("involves_child")),
            language=lang,
            contact_consent=consent,
            name=state.get("name") if consent else None,
            phone=state.get("phone") if consent else None,
            email=state.get("email") if consent else None,
        )

    # ---- questions -------------------------------------------------------------------------
    def _data(self, step: str, choice: str) -> str:
        return callbacks.encode("report_step", f"{step}.{choice}")

    def _nav(self, step: str, lang: Language) -> list[Button]:
        buttons = []
        if step != "tri":
            buttons.append(Button("◂ " + self._t(lang, "Back"), self._data(step, "back")))
        buttons.append(Button("✖ " + self._t(lang, "Cancel report"), self._data(step, "cancel")))
        return buttons

    def _ask(self, state: dict[str, Any], lang: Language, *, replaces: bool = False) -> Reply:
        step = str(state["step"])
        text, choices = self._question(step, state, lang)
        buttons = [Button(label, self._data(step, choice)) for choice, label in choices]
        return Reply(text, (*buttons, *self._nav(step, lang)), lang, replaces_menu=replaces)

    def _question(
        self, step: str, state: dict[str, Any], lang: Language
    ) -> tuple[str, list[tuple[str, str]]]:
        t = self._t
        if step == "tri":
            return t(lang, "First: does any of these apply right now?"), [
                ("money", "💸 " + t(lang, "Money has already been transferred")),
                ("danger", "🚨 " + t(lang, "Someone is in danger now")),
                ("child", "🧒 " + t(lang, "It shows sexual images of a child")),
                ("none", t(lang, "None of these")),
            ]
        if step == "cat":
            return t(lang, "What kind of content is it?"), [
                (c, self.category_label(c, lang)) for c in CATEGORIES
            ]
        if step == "plt":
            return t(lang, "Where did you see it?"), [
                (p, self.platform_label(p, lang)) for p in PLATFORMS
            ]
        if step == "lnk":
            text = t(
                lang,
                "Send me the link to the content (up to 10 links in one message).\n\n"
                "To copy a link: open the post, tap **Share** (or ⋯), then **Copy link**, and "
                "paste it here. WhatsApp messages have no link: describe the sender's number "
                "in the next step instead.",
            )
            return text, [("none", t(lang, "I don't have a link"))]
        if step == "dsc":
            text = t(
                lang,
                "What happened? Describe it in your own words: who posted it, the account name, "
                "and what it shows. Please don't include passwords or OTP codes.",
            )
            return text, []
        if step == "whn":
            text = t(lang, "When did you see it? Type a date, or choose:")
            return text, [
                ("today", t(lang, "Today")),
                ("yesterday", t(lang, "Yesterday")),
                ("skip", t(lang, "Not sure")),
            ]
        if step == "chd":
            return t(lang, "Does it involve a child (under 18)?"), [
                ("yes", t(lang, "Yes")),
                ("no", t(lang, "No")),
                ("unsure", t(lang, "Not sure")),
            ]
        if step == "evd":
            return self._evidence_question(state, lang)
        if step == "cnt":
            text = t(
                lang,
                "**Your privacy.** You can stay anonymous: the report is sent without your name "
                "or number, and I only keep a coded reference to you so I can tell you about its "
                "progress. If you agree to be contacted, your name, phone and email go with the "
                "report so an officer can reach you. Type /forget at any time to erase what I "
                "hold about you.",
            )
            return text, [
                ("anon", "🕶 " + t(lang, "Stay anonymous")),
                ("contact", "📞 " + t(lang, "You may contact me")),
            ]
        if step == "nam":
            return t(lang, "Your name?"), []
        if step == "phn":
            return t(lang, "Your phone number?"), [("skip", t(lang, "Skip"))]
        if step == "eml":
            return t(lang, "Your email address?"), [("skip", t(lang, "Skip"))]
        return self._summary(state, lang), [
            ("confirm", "✅ " + t(lang, "Confirm and send")),
            ("edit", "✏️ " + t(lang, "Edit")),
        ]

    def _evidence_question(
        self, state: dict[str, Any], lang: Language
    ) -> tuple[str, list[tuple[str, str]]]:
        t = self._t
        held = len(state.get("evidence", []))
        text = t(
            lang,
            "Do you have screenshots of it? You can send up to {limit} images (up to {size} MB "
            "each); they go to the officer with your report. Cover anything private that is not "
            "part of the problem, such as OTP codes or bank balances.",
            limit=MAX_EVIDENCE,
            size=MAX_EVIDENCE_BYTES // (1024 * 1024),
        )
        if not held:
            return text, [("done", t(lang, "No screenshots, continue"))]
        text += "\n\n" + t(lang, "Added so far: {count}.", count=held)
        return text, [("done", t(lang, "Continue")), ("clear", t(lang, "Remove the screenshots"))]

    def _edit_menu(self, state: dict[str, Any], lang: Language) -> Reply:
        t = self._t
        labels = {
            "cat": t(lang, "Kind of content"),
            "plt": t(lang, "Platform"),
            "lnk": t(lang, "Links"),
            "dsc": t(lang, "What happened"),
            "whn": t(lang, "When"),
            "chd": t(lang, "Involves a child"),
            "evd": t(lang, "Screenshots"),
            "cnt": t(lang, "Contact"),
        }
        buttons = [
            Button(labels[s], self._data("sum", f"e_{s}"))
            for s in EDITABLE
            if not (s == "evd" and self._skipped(s, state))
        ]
        text = t(lang, "What would you like to change?")
        return Reply(text, (*buttons, *self._nav("sum", lang)), lang, replaces_menu=True)

    def _summary(self, state: dict[str, Any], lang: Language) -> str:
        t = self._t
        urls = state.get("urls") or []
        when = state.get("incident_date")
        child = state.get("involves_child")
        rows = [
            (t(lang, "Kind of content"), self.category_label(str(state.get("category")), lang)),
            (t(lang, "Platform"), self.platform_label(str(state.get("platform", "other")), lang)),
            (t(lang, "Links"), "\n".join(urls) if urls else t(lang, "none")),
            (t(lang, "What happened"), str(state.get("description", ""))),
            (t(lang, "When"), self._when(when, lang)),
            (t(lang, "Involves a child"), t(lang, "Yes") if child else t(lang, "No")),
        ]
        if self._may_hold_evidence(state):
            rows.append((t(lang, "Screenshots"), str(len(state.get("evidence", [])))))
        if state.get("contact_consent"):
            contact = ", ".join(str(state[f]) for f in ("name", "phone", "email") if state.get(f))
            rows.append((t(lang, "Contact"), contact))
        else:
            rows.append((t(lang, "Contact"), t(lang, "anonymous")))
        lines = [f"**{label}:** {value}" for label, value in rows]
        heading = t(lang, "Please check your report before it is sent:")
        return heading + "\n\n" + "\n".join(lines)

    def _when(self, when: str | None, lang: Language) -> str:
        if not when:
            return self._t(lang, "Not sure")
        return self._tr.format_date(lang, date.fromisoformat(when))

    def category_label(self, category: str, lang: Language) -> str:
        t = self._t
        labels = {
            "csam": t(lang, "Sexual images of a child"),
            "financial_fraud": t(lang, "Scam or fraud (money)"),
            "obscene": t(lang, "Sexual or obscene content"),
            "indecent": t(lang, "Indecent or offensive content"),
            "harassment": t(lang, "Harassment, threats or bullying"),
            "violence_terrorism": t(lang, "Violence or terrorism"),
            "child_self_harm": t(lang, "Pushing a child to hurt themselves"),
            "hostility_3r": t(lang, "Hate about race, religion or royalty (3R)"),
            "dangerous_drugs": t(lang, "Selling or promoting drugs"),
            "deepfake_impersonation": t(lang, "A deepfake, or someone pretending to be me"),
            "personal_data": t(lang, "My personal data shared or misused"),
            "other": t(lang, "Something else"),
        }
        return labels.get(category, labels["other"])

    def platform_label(self, platform: str, lang: Language) -> str:
        names = {
            "facebook": "Facebook",
            "instagram": "Instagram",
            "tiktok": "TikTok",
            "telegram": "Telegram",
            "whatsapp": "WhatsApp",
            "x": "X (Twitter)",
            "youtube": "YouTube",
        }
        return names.get(platform) or self._t(lang, "Other")
