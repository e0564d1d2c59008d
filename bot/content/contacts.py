"""Contacts are defined once (responses/contacts.yml) and reach answers only through
placeholders such as {contact.nsrc.phone}, so a changed number is changed everywhere at once."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.content.problems import ContentProblem, YamlDocument, read_yaml
from bot.core.content import ContactCard
from bot.core.languages import Language, Languages

CONTACTS_FILE = "contacts.yml"
PLACEHOLDER = re.compile(r"\{contact\.([a-z0-9_]+)(?:\.([a-z_]+))?\}")
PLAIN_FIELDS = ("phone", "whatsapp", "email", "url")
TRANSLATED_FIELDS = ("name", "where", "hours", "for")


@dataclass(frozen=True)
class Contact:
    key: str
    plain: dict[str, str]
    translated: dict[str, dict[Language, str]]
    verify: bool = False
    source: str = ""

    def value(self, field_name: str | None, language: Language) -> str | None:
        if field_name is None:
            for main in ("phone", "url", "whatsapp", "email"):
                if main in self.plain:
                    return self.plain[main]
            return self.translated["where"][language] if "where" in self.translated else None
        if field_name in self.plain:
            return self.plain[field_name]
        if field_name in self.translated:
            return self.translated[field_name][language]
        return None


@dataclass
class ContactBook:
    """Also carries the languages, since every text that may hold a placeholder is read with it."""

    languages: Languages
    contacts: dict[str, Contact] = field(default_factory=dict)

    def phone_digits(self) -> frozenset[str]:
        return frozenset(
            re.sub(r"\D", "", c.plain[f])
            for c in self.contacts.values()
            for f in ("phone", "whatsapp")
            if f in c.plain
        )

    def resolve(self, text: str, language: Language) -> tuple[str, list[str]]:
        """Returns the text with placeholders filled in, and the placeholders that did not."""
        unknown: list[str] = []

        def fill(match: re.Match[str]) -> str:
            contact = self.contacts.get(match.group(1))
            value = contact.value(match.group(2), language) if contact else None
            if value is None:
                unknown.append(match.group(0))
                return match.group(0)
            return value

        return PLACEHOLDER.sub(fill, text), unknown

    def card(self, key: str, language: Language, labels: Mapping[str, str]) -> ContactCard | None:
        contact = self.contacts.get(key)
        if contact is None:
            return None
        name = contact.translated["name"][language]
        lines = [f"**{name}**"]
        if "for" in contact.translated:
            lines.append(contact.translated["for"][language])
        if "where" in contact.translated:
            lines.append(contact.translated["where"][language])
        for field_name in PLAIN_FIELDS:
            if field_name in contact.plain:
                lines.append(f"{labels[field_name]}: {contact.plain[field_name]}")
        if "hours" in contact.translated:
            lines.append(f"{labels['hours']}: {contact.translated['hours'][language]}")
        return ContactCard(
            key, name, "\n".join(lines), contact.plain.get("url"), contact.plain.get("phone")
        )


def load_contacts(
    directory: Path, languages: Languages
) -> tuple[ContactBook, list[ContentProblem]]:
    path = directory / CONTACTS_FILE
    if not path.exists():
        return ContactBook(languages), []
    doc = read_yaml(path)
    if isinstance(doc, ContentProblem):
        return ContactBook(languages), [doc]
    problems: list[ContentProblem] = []
    entries = doc.data.get("contacts") if isinstance(doc.data, dict) else None
    if not isinstance(entries, dict):
        return ContactBook(languages), [
            doc.problem((), "no `contacts:` section", "start the file with `contacts:`")
        ]
    book = ContactBook(languages)
    for key, entry in entries.items():
        contact = _contact(doc, str(key), entry, languages, problems)
        if contact:
            book.contacts[contact.key] = contact
    return book, problems


def _contact(
    doc: YamlDocument,
    key: str,
    entry: object,
    languages: Languages,
    problems: list[ContentProblem],
) -> Contact | None:
    where = ("contacts", key)
    if not isinstance(entry, dict):
        problems.append(doc.problem(where, f"contact `{key}` is empty", "add name and phone/url"))
        return None
    plain = {f: str(entry[f]).strip() for f in PLAIN_FIELDS if entry.get(f)}
    if not plain and not entry.get("where"):
        problems.append(
            doc.problem(
                where,
                f"contact `{key}` has no phone, whatsapp, email or url",
                "add at least one way to reach it (or `where:` to go)",
            )
        )
    url = plain.get("url")
    if url and not url.startswith("https://"):
        problems.append(
            doc.problem(
                (*where, "url"),
                f"`{url}` is not an https link",
                "use the https:// address from the facts brief",
            )
        )
    translated: dict[str, dict[Language, str]] = {}
    for field_name in TRANSLATED_FIELDS:
        block = entry.get(field_name)
        if block is None and field_name != "name":
            continue
        if not isinstance(block, dict) or any(not block.get(lang) for lang in languages.codes):
            every = ", ".join(f"{lang}: …" for lang in languages.codes)
            problems.append(
                doc.problem(
                    (*where, field_name),
                    f"contact `{key}` needs `{field_name}` in {', '.join(languages.codes)}",
                    f"write `{field_name}: {{{every}}}`",
                )
            )
            continue
        translated[field_name] = {lang: str(block[lang]).strip() for lang in languages.codes}
    if "name" not in translated:
        return None
    return Contact(key, plain, translated, bool(entry.get("verify")), str(entry.get("source", "")))
