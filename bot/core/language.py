"""Which language to answer in: the person's choice first, then what they just wrote."""

from __future__ import annotations

from bot.core.messages import LANGUAGES, Language
from bot.core.ports import Detection
from bot.core.session import Session

DEFAULT_LANGUAGE: Language = "en"
CONFIDENT_DETECTION = 0.75


def language_from_client_tag(tag: str | None) -> Language | None:
    """Map a client tag such as Telegram's `zh-hans`, `en-GB` or `ms` to one of ours."""
    if not tag:
        return None
    primary = tag.replace("_", "-").split("-")[0].lower()
    if primary in ("ms", "id"):
        return "ms"
    return primary if primary in LANGUAGES else None


def choose_reply_language(
    session: Session, detection: Detection | None, client_language: str | None
) -> Language:
    """An explicit choice wins; else a confident detection of this message; else the client's
    language; else the last language used; else English."""
    if session.chosen_language:
        return session.chosen_language
    if detection and detection.language and detection.confidence >= CONFIDENT_DETECTION:
        return detection.language
    return language_from_client_tag(client_language) or session.last_language or DEFAULT_LANGUAGE
