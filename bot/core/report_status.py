"""How a report's progress is told to the person who made it: `/status` and the messages the
dispatcher sends when something changes. Words, not codes: "being reviewed", not "in_review"."""

from __future__ import annotations

from bot.core.languages import Language
from bot.core.messages import Button, Reply
from bot.core.ports import Translator
from bot.core.report import ReportSummary


def state_label(tr: Translator, lang: Language, delivery: str, official: str | None) -> str:
    if delivery in ("queued", "held"):
        return tr.gettext(lang, "waiting to be sent (kept safely; I keep trying)")
    if delivery == "rejected":
        return tr.gettext(lang, "not accepted by the complaint system; our team will look at it")
    labels = {
        "received": tr.gettext(lang, "received"),
        "in_review": tr.gettext(lang, "being reviewed"),
        "action_taken": tr.gettext(lang, "action taken"),
        "closed": tr.gettext(lang, "closed"),
        "rejected": tr.gettext(lang, "not taken up"),
    }
    return labels.get(official or "received", labels["received"])


def status_list(
    tr: Translator, lang: Language, summaries: list[ReportSummary], after: list[Button]
) -> Reply:
    if not summaries:
        text = tr.gettext(lang, "You have not sent any reports yet.")
        return Reply(text, tuple(after), lang)
    lines = [tr.gettext(lang, "Your reports:")]
    for summary in summaries:
        official = summary.complaint_id or tr.gettext(lang, "no complaint number yet")
        lines.append(
            tr.gettext(
                lang,
                "**{reference}** ({date}) — complaint {complaint}: {state}",
                reference=summary.reference,
                date=tr.format_date(lang, summary.submitted_at.date()),
                complaint=official,
                state=state_label(tr, lang, summary.delivery, summary.official_status),
            )
        )
    return Reply("\n".join(lines), tuple(after), lang)


def status_change(
    tr: Translator,
    lang: Language,
    *,
    reference: str,
    complaint_id: str | None,
    delivery: str,
    official: str | None,
) -> Reply:
    """The message a person gets when the complaint system answers or a status changes."""
    if delivery == "rejected":
        text = tr.gettext(
            lang,
            "Your report {reference} could not be accepted by the complaint system. Our team "
            "has been told and will look at it; you don't need to do anything now.",
            reference=reference,
        )
    elif official == "received" or official is None:
        text = tr.gettext(
            lang,
            "Your report {reference} was received. Its official complaint number is "
            "**{complaint}**. I will tell you when its status changes.",
            reference=reference,
            complaint=complaint_id or "",
        )
    else:
        text = tr.gettext(
            lang,
            "Update on your report {reference} (complaint {complaint}): {state}.",
            reference=reference,
            complaint=complaint_id or "",
            state=state_label(tr, lang, delivery, official),
        )
    return Reply(text, language=lang)
