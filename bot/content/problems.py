"""A problem in a staff-edited file, said so that a non-programmer can fix it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class ContentProblem:
    file: str
    line: int | None
    message: str
    fix: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message} — {self.fix}"


_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlDocument:
    """Parsed YAML plus the line of every key, so problems can point at the right line.

    One pass builds the node tree (kept for its lines) and the data from it, with libyaml when
    PyYAML has it: parsing every answer twice in pure Python took 3.7 s of the bot's start-up.
    """

    def __init__(self, path: Path, text: str | None = None) -> None:
        """`text`: a document that is not (yet) a file, such as an alert typed in the console;
        `path` then only names it."""
        self.path = path
        if text is None:
            text = path.read_text(encoding="utf-8")
        loader = _Loader(text)
        try:
            self.node = loader.get_single_node()
            self.data: Any = loader.construct_document(self.node) if self.node else None
        finally:
            loader.dispose()

    @property
    def name(self) -> str:
        return self.path.name

    def line(self, *keys: str | int) -> int | None:
        node: Any = self.node
        line: int | None = node.start_mark.line + 1 if node is not None else None
        for key in keys:
            if isinstance(node, yaml.MappingNode):
                match = [(k, v) for k, v in node.value if k.value == key]
                if not match:
                    return line
                key_node, node = match[0]
                line = key_node.start_mark.line + 1
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
                if key >= len(node.value):
                    return line
                node = node.value[key]
                line = node.start_mark.line + 1
            else:
                return line
        return line

    def problem(self, keys: tuple[str | int, ...], message: str, fix: str) -> ContentProblem:
        return ContentProblem(self.name, self.line(*keys), message, fix)


def read_yaml(path: Path) -> YamlDocument | ContentProblem:
    try:
        return YamlDocument(path)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return ContentProblem(
            path.name,
            mark.line + 1 if mark is not None else None,
            f"not valid YAML ({getattr(exc, 'problem', None) or exc})",
            "check the indentation (two spaces), that each text block starts with `|`, and "
            "that every `:` after a key is followed by a space",
        )
    except (OSError, UnicodeDecodeError) as exc:
        return ContentProblem(path.name, None, f"cannot be read ({exc})", "save it as UTF-8 text")
