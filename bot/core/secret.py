"""Tokens and keys as values that never print themselves."""

from __future__ import annotations


class Secret:
    """Keeps a secret out of reprs, logs and tracebacks."""

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__
