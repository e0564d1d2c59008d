"""responses/languages.yml: the one list of languages, read with the same checks as every other
content file, so a mistake names its line and its fix instead of failing mid-conversation."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from bot.content.problems import ContentProblem, YamlDocument, read_yaml
from bot.core.languages import LanguageInfo, Languages

LANGUAGES_FILE = "languages.yml"
CONTACT_FIELDS = ("phone", "whatsapp", "email", "url", "hours")
_CODE = re.compile(r"^[a-z]{2,3}$")
_LOCALE = re.compile(r"^[A-Za-z]{2,3}(_[A-Za-z0-9]+)*$")


def load_languages(directory: Path) -> tuple[Languages | None, list[ContentProblem]]:
    path = directory / LANGUAGES_FILE
    if not path.exists():
        return None, [
            ContentProblem(
                LANGUAGES_FILE,
                None,
                "the list of languages is missing",
                "restore responses/languages.yml (git checkout responses/languages.yml)",
            )
        ]
    doc = read_yaml(path)
    if isinstance(doc, ContentProblem):
        return None, [doc]
    entries = doc.data.get("languages") if isinstance(doc.data, dict) else None
    if not isinstance(entries, list) or not entries:
        fix = "list the languages under `languages:`, one `- code: …` block each"
        return None, [doc.problem(("languages",), "there are no languages", fix)]
    problems: list[ContentProblem] = []
    found: list[LanguageInfo] = []
    for index, entry in enumerate(entries):
        info = _entry(doc, index, entry, problems)
        if info is None:
            continue
        if info.code in (other.code for other in found):
            problems.append(
                doc.problem(
                    ("languages", index, "code"), f"`{info.code}` is listed twice", "keep one"
                )
            )
            continue
        found.append(info)
    if problems or not found:
        return None, problems
    return Languages(tuple(found)), []


def _entry(
    doc: YamlDocument, index: int, entry: Any, problems: list[ContentProblem]
) -> LanguageInfo | None:
    where = ("languages", index)
    if not isinstance(entry, dict):
        problems.append(doc.problem(where, "this entry is not a `code: …` block", "see the top"))
        return None
    before = len(problems)

    def text(key: str, pattern: re.Pattern[str] | None, fix: str) -> str:
        value = entry.get(key)
        if (
            not isinstance(value, str)
            or not value.strip()
            or (pattern and not pattern.match(value))
        ):
            problems.append(doc.problem((*where, key), f"`{key}:` is missing or malformed", fix))
            return ""
        return value.strip()

    code = text("code", _CODE, "use the two- or three-letter ISO 639 code, e.g. `ms`")
    name = text("name", None, "write the language's name in that language, e.g. `Bahasa Melayu`")
    babel = text("babel_locale", _LOCALE, "name the folder under locales/, e.g. `zh_Hans`")
    dates = text("date_locale", _LOCALE, "write a Babel locale such as `ms_MY`")
    tags = entry.get("client_tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        problems.append(doc.problem((*where, "client_tags"), "must be a list", "e.g. `[ms, id]`"))
        tags = []
    script = entry.get("script")
    if script is not None and not (isinstance(script, str) and script.isalpha()):
        problems.append(
            doc.problem((*where, "script"), "must be a Unicode script name", "e.g. `Han`")
        )
    labels = _labels(doc, where, entry.get("contact_labels"), problems)
    if len(problems) > before:
        return None
    return LanguageInfo(
        code=code,
        name=name,
        babel_locale=babel,
        date_locale=dates,
        client_tags=tuple(t.lower() for t in tags),
        script=script,
        contact_labels=labels,
    )


def _labels(
    doc: YamlDocument, where: tuple[str | int, ...], raw: object, problems: list[ContentProblem]
) -> dict[str, str]:
    if isinstance(raw, dict) and all(raw.get(f) for f in CONTACT_FIELDS):
        return {f: str(raw[f]) for f in CONTACT_FIELDS}
    problems.append(
        doc.problem(
            (*where, "contact_labels"),
            "every contact field needs a label",
            "give " + ", ".join(CONTACT_FIELDS),
        )
    )
    return {}
