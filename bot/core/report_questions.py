"""What each step of the guided report asks, its buttons, the edit menu and the summary.

Every button carries its step (`rs:<step>.<choice>`), so the flow can tell a press on an older
message from one on the question in front of the person.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from bot.core import callbacks
from bot.core.evidence import MAX_EVIDENCE, MAX_EVIDENCE_BYTES
from bot.core.languages import Language
from bot.core.messages import Button, Reply
from bot.core.ports import Translator
from bot.core.report import CATEGORIES, PLATFORMS
from bot.core.report_form import ReportForm
from bot.core.report_steps import EDITABLE, Step


class ReportQuestions:
    """`shows_screenshots` says whether the screenshots step applies to this report."""

    def __init__(
        self, translator: Translator, shows_screenshots: Callable[[ReportForm], bool]
    ) -> None:
        self._tr = translator
        self._shows_screenshots = shows_screenshots

    def _t(self, lang: Language, message: str, **values: object) -> str:
        return self._tr.gettext(lang, message, **values)

    def data(self, step: str, choice: str) -> str:
        return callbacks.encode("report_step", f"{step}.{choice}")

    def nav(self, step: str, lang: Language) -> list[Button]:
        buttons = []
        if step != "tri":
            buttons.append(Button("◂ " + self._t(lang, "Back"), self.data(step, "back")))
        buttons.append(Button("✖ " + self._t(lang, "Cancel report"), self.data(step, "cancel")))
        return buttons

    def ask(self, form: ReportForm, lang: Language, *, replaces: bool = False) -> Reply:
        step = form.step.value
        text, choices = self.question(step, form, lang)
        buttons = [Button(label, self.data(step, choice)) for choice, label in choices]
        return Reply(text, (*buttons, *self.nav(step, lang)), lang, replaces_menu=replaces)

    def question(
        self, step: str, form: ReportForm, lang: Language
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
            return self._evidence_question(form, lang)
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
        return self.summary(form, lang), [
            ("confirm", "✅ " + t(lang, "Confirm and send")),
            ("edit", "✏️ " + t(lang, "Edit")),
        ]

    def _evidence_question(
        self, form: ReportForm, lang: Language
    ) -> tuple[str, list[tuple[str, str]]]:
        t = self._t
        held = len(form.evidence)
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

    def _step_labels(self, lang: Language) -> dict[str, str]:
        """One name per editable step, shared by the edit menu and the summary."""
        t = self._t
        return {
            "cat": t(lang, "Kind of content"),
            "plt": t(lang, "Platform"),
            "lnk": t(lang, "Links"),
            "dsc": t(lang, "What happened"),
            "whn": t(lang, "When"),
            "chd": t(lang, "Involves a child"),
            "evd": t(lang, "Screenshots"),
            "cnt": t(lang, "Contact"),
        }

    def _shown_steps(self, form: ReportForm) -> list[str]:
        return [
            s.value for s in EDITABLE if s is not Step.SCREENSHOTS or self._shows_screenshots(form)
        ]

    def edit_menu(self, form: ReportForm, lang: Language) -> Reply:
        labels = self._step_labels(lang)
        buttons = [Button(labels[s], self.data("sum", f"e_{s}")) for s in self._shown_steps(form)]
        text = self._t(lang, "What would you like to change?")
        return Reply(text, (*buttons, *self.nav("sum", lang)), lang, replaces_menu=True)

    def summary(self, form: ReportForm, lang: Language) -> str:
        t = self._t
        if form.contact_consent:
            contact = ", ".join(v for v in (form.name, form.phone, form.email) if v)
        else:
            contact = t(lang, "anonymous")
        values = {
            "cat": self.category_label(str(form.category), lang),
            "plt": self.platform_label(form.platform or "other", lang),
            "lnk": "\n".join(form.urls) if form.urls else t(lang, "none"),
            "dsc": form.description,
            "whn": self._when(form.incident_date, lang),
            "chd": t(lang, "Yes") if form.involves_child else t(lang, "No"),
            "evd": str(len(form.evidence)),
            "cnt": contact,
        }
        labels = self._step_labels(lang)
        lines = [f"**{labels[s]}:** {values[s]}" for s in self._shown_steps(form)]
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
