"""Every kind of broken edit staff could make to an answer file, with the message they get."""

from __future__ import annotations

import re

BREAKAGES = {
    "yaml syntax": (
        lambda t: t.replace("answer:\n", "answer\n", 1),
        r"faq_phishing\.yml:\d+: not valid YAML .* — check the indentation",
    ),
    "missing language": (
        lambda t: re.sub(r"\n  ms: \|\n(    .*\n|\n)*", "\n", t, count=1),
        r"faq_phishing\.yml:\d+: `\w+: ms:` is missing or empty — write the ms text",
    ),
    "unknown placeholder": (
        lambda t: t.replace("\n  en: |\n", "\n  en: |\n    Call {contact.nsrcc.phone}.\n", 1),
        r"faq_phishing\.yml:\d+: `\{contact\.nsrcc\.phone\}` does not match contacts\.yml",
    ),
    "insecure link": (
        lambda t: t.replace("\n  en: |\n", "\n  en: |\n    See http://example.com now.\n", 1),
        r"faq_phishing\.yml:\d+: `http://example\.com` is not a secure link — use an https://",
    ),
    "typed number": (
        lambda t: t.replace("\n  en: |\n", "\n  en: |\n    Call 997 now.\n", 1),
        r"faq_phishing\.yml:\d+: `997` is typed into the en text — numbers, emails and links",
    ),
    "too long": (
        lambda t: t.replace("\n  en: |\n", "\n  en: |\n    " + "Very long. " * 80 + "\n", 1),
        r"faq_phishing\.yml:\d+: `\w+: en:` is \d+ characters \(limit \d+\) — shorten it",
    ),
    "unknown next topic": (
        lambda t: t.replace("  - topic: faq_scam_victim\n", "  - topic: faq_nothing\n", 1),
        r"faq_phishing\.yml: next step `faq_nothing` is not a topic",
    ),
    "wrong topic name": (
        lambda t: t.replace("topic: faq_phishing", "topic: faq_phising", 1),
        r"faq_phishing\.yml:1: `topic:` is not `faq_phishing` — write `topic: faq_phishing`",
    ),
}
