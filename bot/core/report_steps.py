"""The steps of the guided report, in order. The value is the step's code inside a button's
callback data (`rs:<code>.<choice>`, 64 bytes at most) and in the saved session, so it never
changes once released."""

from __future__ import annotations

from enum import Enum


class Step(Enum):
    TRIAGE = "tri"
    CATEGORY = "cat"
    PLATFORM = "plt"
    LINKS = "lnk"
    DESCRIPTION = "dsc"
    WHEN = "whn"
    CHILD = "chd"
    SCREENSHOTS = "evd"
    CONTACT = "cnt"
    NAME = "nam"
    PHONE = "phn"
    EMAIL = "eml"
    SUMMARY = "sum"


ORDER: tuple[Step, ...] = tuple(Step)
EDITABLE: tuple[Step, ...] = (
    Step.CATEGORY,
    Step.PLATFORM,
    Step.LINKS,
    Step.DESCRIPTION,
    Step.WHEN,
    Step.CHILD,
    Step.SCREENSHOTS,
    Step.CONTACT,
)


def step_of(code: object) -> Step | None:
    """A saved or pressed step code, or None if it names no step (an old or forged value)."""
    try:
        return Step(code)
    except ValueError:
        return None
