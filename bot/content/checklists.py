"""Yes/no checklists (responses/flows/*.yml), such as the parents' photo check."""

from __future__ import annotations

from pathlib import Path

from bot.content.problems import ContentProblem, YamlDocument, read_yaml
from bot.core.content import Checklist, ChecklistQuestion
from bot.core.languages import Language, Languages

FLOWS_DIR = "flows"
LIMITS = {"intro": 500, "ask": 120, "advice": 350, "all_clear": 350, "always": 500}


def _per_language(
    doc: YamlDocument,
    keys: tuple[str | int, ...],
    block: object,
    label: str,
    languages: Languages,
    problems: list[ContentProblem],
) -> dict[Language, str]:
    if not isinstance(block, dict):
        codes = ", ".join(f"`{lang}:`" for lang in languages.codes)
        problems.append(
            doc.problem(keys, f"`{label}` must list {codes}", f"indent {codes} under `{label}:`")
        )
        return {}
    result: dict[Language, str] = {}
    for lang in languages.codes:
        text = block.get(lang)
        if not isinstance(text, str) or not text.strip():
            problems.append(
                doc.problem(
                    keys,
                    f"`{label}: {lang}:` is missing or empty",
                    f"write the {lang} text under `{label}:`",
                )
            )
            continue
        limit = LIMITS[label]
        if len(text.strip()) > limit:
            problems.append(
                doc.problem(
                    (*keys, lang),
                    f"`{label}: {lang}:` is longer than {limit} characters",
                    "shorten it",
                )
            )
        result[lang] = text.strip()
    return result


def load_checklist(
    path: Path, languages: Languages
) -> tuple[dict[Language, Checklist] | None, list[ContentProblem]]:
    doc = read_yaml(path)
    if isinstance(doc, ContentProblem):
        return None, [doc]
    data = doc.data if isinstance(doc.data, dict) else {}
    problems: list[ContentProblem] = []
    if data.get("flow") != path.stem:
        problems.append(
            doc.problem(
                ("flow",),
                f"`flow:` is not `{path.stem}`",
                f"write `flow: {path.stem}` (it must match the file name)",
            )
        )
    texts = {
        key: _per_language(doc, (key,), data.get(key), key, languages, problems)
        for key in ("intro", "all_clear", "always")
    }
    questions = _read_questions(doc, data.get("questions"), languages, problems)
    if problems:
        return None, problems
    return {
        lang: Checklist(
            name=path.stem,
            intro=texts["intro"][lang],
            questions=tuple(
                ChecklistQuestion(key, ask[lang], advice[lang]) for key, ask, advice in questions
            ),
            all_clear=texts["all_clear"][lang],
            always=texts["always"][lang],
        )
        for lang in languages.codes
    }, []


def _read_questions(
    doc: YamlDocument, raw_questions: object, languages: Languages, problems: list[ContentProblem]
) -> list[tuple[str, dict[Language, str], dict[Language, str]]]:
    """Each question's key, and its question and advice in every language; yes is risky."""
    if not isinstance(raw_questions, list) or not raw_questions:
        problems.append(
            doc.problem(
                ("questions",),
                "`questions:` is missing or empty",
                "list the questions, each with key, ask and advice",
            )
        )
        return []
    questions: list[tuple[str, dict[Language, str], dict[Language, str]]] = []
    for i, raw in enumerate(raw_questions):
        if not isinstance(raw, dict) or not raw.get("key"):
            problems.append(
                doc.problem(
                    ("questions", i),
                    "a question has no `key:`",
                    "give every question a short `key:`",
                )
            )
            continue
        if str(raw.get("risky_answer", "yes")).lower() not in ("yes", "true"):
            problems.append(
                doc.problem(
                    ("questions", i),
                    '`risky_answer:` must be "yes"',
                    "phrase the question so that yes is the risky answer",
                )
            )
        ask = _per_language(
            doc, ("questions", i, "ask"), raw.get("ask"), "ask", languages, problems
        )
        advice = _per_language(
            doc, ("questions", i, "advice"), raw.get("advice"), "advice", languages, problems
        )
        questions.append((str(raw["key"]), ask, advice))
    return questions


def load_checklists(
    directory: Path, languages: Languages
) -> tuple[dict[str, dict[Language, Checklist]], list[ContentProblem]]:
    found: dict[str, dict[Language, Checklist]] = {}
    problems: list[ContentProblem] = []
    for path in sorted((directory / FLOWS_DIR).glob("*.yml")):
        checklist, errors = load_checklist(path, languages)
        problems += [
            ContentProblem(f"{FLOWS_DIR}/{p.file}", p.line, p.message, p.fix) for p in errors
        ]
        if checklist:
            found[path.stem] = checklist
    return found, problems
