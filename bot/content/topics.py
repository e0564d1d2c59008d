"""Reads one answer file and says precisely what is wrong with it, if anything."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from bot.content.contacts import ContactBook
from bot.content.problems import ContentProblem, YamlDocument, read_yaml
from bot.core.content import NextStep
from bot.core.languages import Language

LIMITS = {"title": 30, "urgent": 160, "answer": 700, "more": 1500, "text": 700, "alert": 400}
MAX_NEXT = 4
_HTTP = re.compile(r"\bhttp://\S+")
_URL = re.compile(r"https://\S+")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_NUMBER = re.compile(r"(?<![\w.,])\+?\d[\d -]*\d(?![\w,])|(?<![\w.,])\d{3,}(?![\w,])")


@dataclass(frozen=True)
class TopicFile:
    name: str
    title: dict[Language, str]
    answer: dict[Language, str]
    more: dict[Language, str] | None
    next_steps: tuple[NextStep, ...]
    sensitive: bool
    reviewed: date | None
    generated: str | None = None
    sources: tuple[str, ...] = field(default_factory=tuple)
    urgent: dict[Language, str] | None = None

    def first_screen(self, language: Language) -> str:
        """The urgent step, when there is one, is the answer's first line."""
        if self.urgent:
            return f"**{self.urgent[language]}**\n\n{self.answer[language]}"
        return self.answer[language]


def _typed_contact_details(text: str, contacts: ContactBook) -> list[str]:
    """Numbers, links and emails typed straight into an answer instead of a placeholder: any
    number a contact has, and anything shaped like a phone number (8+ digits with separators)."""
    known = contacts.phone_digits()
    found = _URL.findall(text) + _EMAIL.findall(text)
    for number in _NUMBER.findall(text):
        digits = re.sub(r"\D", "", number)
        looks_like_phone = len(digits) >= 8 and re.search(r"[- ]", number.strip())
        if digits in known or looks_like_phone:
            found.append(number.strip())
    return found


def read_texts(
    doc: YamlDocument,
    key: str,
    required: bool,
    problems: list[ContentProblem],
    contacts: ContactBook,
    *,
    within: tuple[str, ...] = (),
) -> dict[Language, str] | None:
    """`within` is the path to the mapping that holds `key` (crisis cards nest their texts)."""
    block = _text_block(doc, key, required, problems, within)
    if block is None:
        return None
    result: dict[Language, str] = {}
    for lang in contacts.languages.codes:
        raw = block.get(lang)
        if not isinstance(raw, str) or not raw.strip():
            problems.append(
                doc.problem(
                    (*within, key, lang) if lang in block else (*within, key),
                    f"`{key}: {lang}:` is missing or empty",
                    f"write the {lang} text under `{key}:`",
                )
            )
            continue
        where = (*within, key, lang)
        problems += _text_problems(doc, where, raw, contacts)
        text, unknown = contacts.resolve(raw.strip(), lang)
        problems += [
            doc.problem(
                where,
                f"`{placeholder}` does not match contacts.yml",
                "use a key and field that exist in contacts.yml, e.g. {contact.mcmc.url}",
            )
            for placeholder in unknown
        ]
        limit = LIMITS[key]
        if len(text) > limit:
            problems.append(
                doc.problem(
                    where,
                    f"`{key}: {lang}:` is {len(text)} characters (limit {limit})",
                    "shorten it" if key != "answer" else "shorten it, or move details to `more:`",
                )
            )
        result[lang] = text
    return result if len(result) == len(contacts.languages) else None


def _text_block(
    doc: YamlDocument,
    key: str,
    required: bool,
    problems: list[ContentProblem],
    within: tuple[str, ...],
) -> dict[str, Any] | None:
    parent: Any = doc.data
    for name in within:
        parent = parent.get(name) if isinstance(parent, dict) else None
    block = parent.get(key) if isinstance(parent, dict) else None
    if block is None:
        if required:
            problems.append(
                doc.problem(
                    within, f"`{key}:` is missing", f"add `{key}:` with en, ms and zh underneath"
                )
            )
        return None
    if not isinstance(block, dict):
        problems.append(
            doc.problem(
                (*within, key),
                f"`{key}:` must list en, ms and zh",
                f"indent `en:`, `ms:` and `zh:` under `{key}:`",
            )
        )
        return None
    return block


def _text_problems(
    doc: YamlDocument, where: tuple[str, ...], raw: str, contacts: ContactBook
) -> list[ContentProblem]:
    """Facts come only from contacts.yml: a number, email or link typed into a text, or a link
    that is not https, is refused where it stands."""
    key, lang = where[-2], where[-1]
    typed = [] if key == "title" else _typed_contact_details(raw, contacts)
    problems = [
        doc.problem(
            where,
            f"`{item}` is typed into the {lang} text",
            "numbers, emails and links live in contacts.yml; write a "
            "placeholder such as {contact.nsrc.phone}",
        )
        for item in typed
    ]
    problems += [
        doc.problem(
            where,
            f"`{link}` is not a secure link",
            "use an https:// link, defined in contacts.yml",
        )
        for link in _HTTP.findall(raw)
    ]
    return problems


def read_next_steps(
    doc: YamlDocument,
    problems: list[ContentProblem],
    contacts: ContactBook,
    *,
    within: tuple[str, ...] = (),
) -> tuple[NextStep, ...]:
    parent: Any = doc.data
    for name in within:
        parent = parent.get(name) if isinstance(parent, dict) else None
    raw: Any = (parent.get("next") if isinstance(parent, dict) else None) or []
    if not isinstance(raw, list):
        problems.append(
            doc.problem((*within, "next"), "`next:` must be a list", "write each step as `- `")
        )
        return ()
    steps: list[NextStep] = []
    for i, item in enumerate(raw):
        step = _next_step(doc, item, (*within, "next", i), problems, contacts)
        if step:
            steps.append(step)
    if len(steps) > MAX_NEXT:
        problems.append(
            doc.problem(
                (*within, "next"),
                f"{len(steps)} next steps (limit {MAX_NEXT})",
                "keep the most useful ones",
            )
        )
    return tuple(steps)


def _next_step(
    doc: YamlDocument,
    item: Any,
    where: tuple[str | int, ...],
    problems: list[ContentProblem],
    contacts: ContactBook,
) -> NextStep | None:
    if item in ("report", "scam_check"):
        return NextStep(item)
    kind = next(iter(item)) if isinstance(item, dict) and len(item) == 1 else None
    if kind in ("topic", "check"):
        return NextStep(kind, str(item[kind]))
    if kind == "contact":
        if str(item["contact"]) not in contacts.contacts:
            problems.append(
                doc.problem(
                    where,
                    f"contact `{item['contact']}` is not in contacts.yml",
                    "use a key defined in contacts.yml",
                )
            )
        return NextStep("contact", str(item["contact"]))
    problems.append(
        doc.problem(
            where,
            f"`{item}` is not a next step",
            "use `- topic: NAME`, `- report`, `- scam_check`, `- check: NAME` or `- contact: KEY`",
        )
    )
    return None


def load_topic_file(
    path: Path, contacts: ContactBook
) -> tuple[TopicFile | None, list[ContentProblem]]:
    doc = read_yaml(path)
    if isinstance(doc, ContentProblem):
        return None, [doc]
    if not isinstance(doc.data, dict):
        return None, [
            doc.problem(
                (),
                "the file is empty or not a set of `key: value` lines",
                "start from a copy of another answer file",
            )
        ]
    problems: list[ContentProblem] = []
    reviewed, sources, sensitive = _read_header(doc, path.stem, problems)
    title = read_texts(doc, "title", path.stem.startswith("faq_"), problems, contacts)
    urgent = read_texts(doc, "urgent", False, problems, contacts)
    answer = read_texts(doc, "answer", True, problems, contacts)
    if urgent and answer:
        problems += _first_screen_problems(doc, urgent, answer)
    more = read_texts(doc, "more", False, problems, contacts)
    steps = read_next_steps(doc, problems, contacts)
    if problems or answer is None:
        return None, problems
    topic = TopicFile(
        name=path.stem,
        title=title or {},
        answer=answer,
        more=more,
        next_steps=steps,
        sensitive=sensitive,
        reviewed=reviewed,
        generated=doc.data.get("generated"),
        sources=tuple(str(s) for s in sources),
        urgent=urgent,
    )
    return topic, []


def _read_header(
    doc: YamlDocument, name: str, problems: list[ContentProblem]
) -> tuple[date | None, list[Any], bool]:
    """`topic:`, `reviewed:`, `sources:` and `sensitive:`: what staff declare about the file."""
    if doc.data.get("topic") != name:
        problems.append(
            doc.problem(
                ("topic",),
                f"`topic:` is not `{name}`",
                f"write `topic: {name}` (it must match the file name)",
            )
        )
    reviewed = doc.data.get("reviewed")
    if not isinstance(reviewed, date):
        problems.append(
            doc.problem(
                ("reviewed",),
                "`reviewed:` is missing or not a date",
                "write the day you checked the facts, e.g. `reviewed: 2026-11-24`",
            )
        )
        reviewed = None
    sources = doc.data.get("sources")
    if not isinstance(sources, list):
        problems.append(
            doc.problem(
                ("sources",),
                "`sources:` is missing",
                'list where the facts come from (`- "facts §1.3"`), or '
                "`sources: []` if the answer states no facts",
            )
        )
        sources = []
    sensitive = doc.data.get("sensitive", False)
    if not isinstance(sensitive, bool):
        problems.append(
            doc.problem(
                ("sensitive",),
                "`sensitive:` must be true or false",
                "write `sensitive: true` or `sensitive: false`",
            )
        )
    return reviewed, sources, bool(sensitive)


def _first_screen_problems(
    doc: YamlDocument, urgent: dict[Language, str], answer: dict[Language, str]
) -> list[ContentProblem]:
    """The urgent line is shown above the answer, so both must fit one screen together."""
    problems = []
    for lang in answer:
        both = len(urgent[lang]) + len(answer[lang]) + 6
        if both > LIMITS["answer"]:
            problems.append(
                doc.problem(
                    ("answer", lang),
                    f"`urgent:` and `answer:` together are {both} characters in {lang} "
                    f"(limit {LIMITS['answer']})",
                    "shorten the answer, or move details to `more:`",
                )
            )
    return problems
