"""Which language to answer in: the person's choice first, then what they just wrote."""

from __future__ import annotations

from bot.core.languages import Language, Languages
from bot.core.ports import Detection
from bot.core.session import Session

CONFIDENT_DETECTION = 0.75


def choose_reply_language(
    languages: Languages,
    session: Session,
    detection: Detection | None,
    client_language: str | None,
) -> Language:
    """An explicit choice wins; else a confident detection of this message; else the client's
    language; else the last language used; else the default. A stored language that is no longer
    offered counts as none."""
    chosen = languages.known(session.chosen_language)
    if chosen:
        return chosen
    if detection and detection.confidence >= CONFIDENT_DETECTION:
        detected = languages.known(detection.language)
        if detected:
            return detected
    return (
        languages.from_client_tag(client_language)
        or languages.known(session.last_language)
        or languages.default
    )
