"""Which screenshots a report may carry, and what a file really is.

A screenshot helps an officer, but an image of a child in sexual content must never be received,
kept or forwarded by anyone, us included. So images are refused, unseen, for `csam`, whenever a
child is involved, and when the person is unsure about a child in sexual content. Children are
also bullied and extorted in "harassment" reports, where a screenshot may show the same thing.
"""

from __future__ import annotations

MAX_EVIDENCE = 3
MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
SEXUAL_CATEGORIES = frozenset({"csam", "obscene", "indecent", "deepfake_impersonation"})
_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


def evidence_allowed(category: str | None, involves_child: bool, child_unsure: bool) -> bool:
    if category == "csam" or involves_child:
        return False
    return not (child_unsure and category in SEXUAL_CATEGORIES)


def image_type(data: bytes) -> str | None:
    """The image type from the file's first bytes; a declared type or name can lie."""
    for signature, content_type in _SIGNATURES:
        if data.startswith(signature):
            return content_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def looks_like_image(content_type: str | None) -> bool:
    """What the channel declares, checked before anything is downloaded."""
    return content_type in ("image/jpeg", "image/png", "image/webp")
