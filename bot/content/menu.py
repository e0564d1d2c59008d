"""The main menu's order, in responses/menu.yml: which topics people see first is a content
decision, so staff make it, and the same checks as everywhere say what is wrong and where."""

from __future__ import annotations

from pathlib import Path

from bot.content.problems import ContentProblem, read_yaml

MENU_FILE = "menu.yml"


def load_menu(directory: Path, topics: set[str]) -> tuple[tuple[str, ...], list[ContentProblem]]:
    path = directory / MENU_FILE
    if not path.exists():
        return (), [
            ContentProblem(
                MENU_FILE,
                None,
                "the main menu is missing",
                "restore responses/menu.yml (git checkout responses/menu.yml)",
            )
        ]
    doc = read_yaml(path)
    if isinstance(doc, ContentProblem):
        return (), [doc]
    entries = doc.data.get("menu") if isinstance(doc.data, dict) else None
    if not isinstance(entries, list) or not entries:
        fix = "list the topics under `menu:`, one `- faq_…` per line"
        return (), [doc.problem(("menu",), "there is no list of topics under `menu:`", fix)]
    problems: list[ContentProblem] = []
    seen: list[str] = []
    for index, entry in enumerate(entries):
        name = str(entry)
        if name not in topics:
            problems.append(
                doc.problem(
                    ("menu", index),
                    f"`{name}` is not a topic",
                    "use the file name of an answer, without .yml",
                )
            )
        elif name in seen:
            problems.append(
                doc.problem(("menu", index), f"`{name}` is listed twice", "keep one of them")
            )
        else:
            seen.append(name)
    return tuple(seen), problems
