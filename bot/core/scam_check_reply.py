"""The words of a scam check's answer: a verdict that never says "safe", one plain reason per
finding, and how to check for yourself. Links are shown defanged (maybank2u-verify[.]com), so no
chat app turns a suspect into something to tap."""

from __future__ import annotations

from bot.core.commands import N_
from bot.core.languages import Language
from bot.core.ports import AnswerBook, Translator
from bot.core.scam_check import CROWD_DAYS, CheckResult, Finding, Item, Verdict

HEADLINES: dict[Verdict, str] = {
    "likely_scam": N_("🔴 **Likely a scam.** Don't click, don't pay and don't reply."),
    "be_careful": N_(
        "🟠 **Be careful.** I found a warning sign. Check it yourself before you click, pay or "
        "reply."
    ),
    "no_signs": N_(
        "⚪ **No warning signs found.** That is no guarantee: a new scam is on no list yet."
    ),
}
# One sentence per finding; {item} is the link or number as shown.
REASONS: dict[str, str] = {
    "known_bad": N_("{item} is on the list of known scams."),
    "crowd_reported": N_(
        "{item} was reported by {count} different people in the last {days} days."
    ),
    "lookalike": N_("{item} imitates {official}, the official address of {brand}."),
    "lookalike_name": N_("{item} uses the name of {brand} but is not its official address."),
    "official_name_elsewhere": N_(
        "{item} puts {official} in front of someone else's address: it is not {brand}'s site."
    ),
    "gov_my_outside": N_("{item} looks like a government address (gov.my) but is not one."),
    "apk": N_(
        "{item} downloads an app (.apk) from outside the app store. Apps like that can take over "
        "your phone and your bank account."
    ),
    "script_link": N_("{item} is not a web page: it runs code when tapped."),
    "unicode_host": ("{item} has letters from another alphabet that look like ordinary ones."),
    "shortener": N_("{item} is a short link that hides where it really goes."),
    "bare_ip": N_("{item} has no name, only a number, so you cannot see whose site it is."),
    "login_path": N_("{item} leads to a log-in or payment page that is not on an official site."),
    "official": N_(
        "{item} is the official address of {brand}. Scammers quote real addresses too, so what "
        "the message asks of you still matters."
    ),
}
SIGNALS: dict[str, str] = {
    "fake_authority": N_(
        "The message claims to come from the police, a court, LHDN, a bank or a courier. This is "
        'how the "Macau scam" starts.'
    ),
    "parcel_or_prize": N_("It talks about a parcel that is held, or a prize you have won."),
    "easy_job": N_("It offers easy money for simple tasks."),
    "guaranteed_returns": N_("It promises guaranteed or very high returns."),
    "asks_otp": N_("It asks for a code (OTP or TAC), a PIN or a password."),
    "upfront_loan_fee": N_("It offers a loan but wants a fee first."),
    "urgency_threat": N_("It rushes or threatens you, so that you act before you think."),
}


def defang(text: str) -> str:
    return text.replace(".", "[.]")


def shown(item: Item) -> str:
    return defang(item.shown) if item.kind == "link" else item.shown


def reason(tr: Translator, lang: Language, finding: Finding) -> str:
    if finding.code == "message":
        return tr.gettext(lang, SIGNALS[finding.detail])
    key = "lookalike_name" if finding.code == "lookalike" and not finding.detail else finding.code
    return tr.gettext(
        lang,
        REASONS[key],
        item=shown(finding.item) if finding.item else "",
        official=finding.detail,
        brand=finding.brand,
        count=finding.detail,
        days=CROWD_DAYS,
    )


def verdict_text(tr: Translator, answers: AnswerBook, lang: Language, result: CheckResult) -> str:
    lines = [tr.gettext(lang, HEADLINES[result.verdict])]
    warnings = result.warnings
    notes = [f for f in result.findings if f not in warnings]
    if warnings:
        lines += ["", tr.gettext(lang, "**Why:**")]
        lines += [f"- {reason(tr, lang, f)}" for f in warnings]
    if notes:
        lines += [""] + [f"ℹ️ {reason(tr, lang, f)}" for f in notes]
    if not result.items and not warnings:
        lines += ["", tr.gettext(lang, "I found no link, phone number or account number in it.")]
    if result.truncated:
        lines += ["", tr.gettext(lang, "It was long: I checked only the first links and numbers.")]
    if result.verdict != "no_signs":
        lines += [
            "",
            tr.gettext(
                lang,
                "Report the sender in the app it came from too (WhatsApp, Facebook, Telegram…), "
                "so the platform can act on it.",
            ),
        ]
    lines += ["", tr.gettext(lang, "**Check for yourself:**")]
    lines.append(
        "- "
        + tr.gettext(
            lang,
            "Call your bank on the number on the back of your card, never a number from the "
            "message.",
        )
    )
    mule = answers.contact("semak_mule", lang)
    if mule and mule.url:
        lines.append(
            "- "
            + tr.gettext(
                lang,
                "Check a bank account or phone number on Semak Mule: {url}",
                url=mule.url,
            )
        )
    lines.append("- " + tr.gettext(lang, "Never give anyone your OTP, TAC or PIN."))
    nsrc = answers.contact("nsrc", lang)
    if nsrc and nsrc.phone:
        lines += [
            "",
            tr.gettext(
                lang,
                "Already paid or shared your bank details? Call {name} at {phone} now.",
                name=nsrc.name,
                phone=nsrc.phone,
            ),
        ]
    return "\n".join(lines)
