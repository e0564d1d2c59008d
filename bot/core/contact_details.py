"""What counts as a name, phone number or email address we can pass to an officer. The chat's
report flow and staff entry (`waspada report submit`) use the same rules, so a report typed in by
staff is never weaker than one a citizen builds in the chat."""

from __future__ import annotations

import re

MAX_NAME = 100
_PHONE = re.compile(r"^\+?[0-9][0-9 -]{7,18}[0-9]$")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}\.[A-Za-z]{2,}$")


def valid_phone(text: str) -> bool:
    return bool(_PHONE.match(text))


def valid_email(text: str) -> bool:
    """`a@b` is not an address an officer can write to: the domain needs a dot and a TLD."""
    return bool(_EMAIL.match(text))
