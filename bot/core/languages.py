"""The languages the bot speaks are data, not code: one entry each in `responses/languages.yml`,
plus a gettext catalog, a text under every answer and NLU examples. Adding a fourth language
changes no Python (tests/test_new_language.py builds one to prove it).

A language code is a plain string, so no type can list the languages; a `Languages` registry is
the only judge of which codes exist. Values read back from storage or a button are checked
against it before use, and anything unknown falls back to the default (the first entry).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

Language = str


@dataclass(frozen=True)
class LanguageInfo:
    """`client_tags`: primary subtags of a client's locale that mean this language (Telegram
    sends `ms`, `id`, `zh-hans`…). `script`: a Unicode script whose letters alone settle the
    language (`Han` for Chinese); None for languages told apart by a trained classifier.
    `contact_labels`: the field names on a contact card (phone, whatsapp, email, url, hours)."""

    code: Language
    name: str
    babel_locale: str
    date_locale: str
    client_tags: tuple[str, ...] = ()
    script: str | None = None
    contact_labels: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Languages:
    entries: tuple[LanguageInfo, ...]

    def __post_init__(self) -> None:
        if not self.entries:
            raise ValueError("at least one language is needed")

    def __iter__(self) -> Iterator[LanguageInfo]:
        return iter(self.entries)

    def __contains__(self, code: object) -> bool:
        return any(entry.code == code for entry in self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def codes(self) -> tuple[Language, ...]:
        return tuple(entry.code for entry in self.entries)

    @property
    def default(self) -> Language:
        return self.entries[0].code

    def info(self, code: Language) -> LanguageInfo:
        """An unknown code gets the default language's entry, never an error mid-conversation."""
        return next((e for e in self.entries if e.code == code), self.entries[0])

    def known(self, value: object) -> Language | None:
        return value if isinstance(value, str) and value in self else None

    def from_client_tag(self, tag: str | None) -> Language | None:
        """`zh-hans`, `en-GB`, `ms_MY` or a bare code, as a client or a person writes it."""
        if not tag:
            return None
        primary = tag.replace("_", "-").split("-")[0].lower()
        for entry in self.entries:
            if primary == entry.code or primary in entry.client_tags:
                return entry.code
        return None
