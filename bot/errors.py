"""Waspada's one exception tree. Adapters translate library errors into it.

WaspadaError
├── ConfigError          the environment is missing or has invalid settings (lists them all)
├── ContentError         an answer file in responses/ is malformed (names file and fix)
└── NluError
    └── ModelNotTrained  no model matches the current nlu/ data and config
"""

from __future__ import annotations


class WaspadaError(Exception):
    pass


class ConfigError(WaspadaError):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("Configuration problems:\n" + "\n".join(f"  - {p}" for p in problems))


class ContentError(WaspadaError):
    pass


class NluError(WaspadaError):
    pass


class ModelNotTrained(NluError):  # noqa: N818 - reads better at the raise site
    pass
