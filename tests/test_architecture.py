"""The core stays channel-agnostic: it must never import Telegram, Rasa, SQLite or Babel."""

from __future__ import annotations

import ast
from pathlib import Path

from bot.settings import PROJECT_ROOT

FORBIDDEN_IN_CORE = {
    "telegram",
    "rasa",
    "sqlite_utils",
    "sqlite3",
    "babel",
    "httpx",
    "aiohttp",
    "lingua",
    "jieba",
    "yaml",
}


def imported_roots(path: object) -> set[str]:
    tree = ast.parse(Path(str(path)).read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_core_imports_nothing_but_the_standard_library_and_itself() -> None:
    for path in (PROJECT_ROOT / "bot" / "core").glob("*.py"):
        leaked = imported_roots(path) & FORBIDDEN_IN_CORE
        assert not leaked, f"{path.name} imports {leaked}"


def test_only_the_telegram_adapter_imports_telegram() -> None:
    for path in (PROJECT_ROOT / "bot").rglob("*.py"):
        if "telegram_adapter" in path.parts:
            continue
        assert "telegram" not in imported_roots(path), path


def test_only_storage_and_the_reference_complaint_server_touch_sqlite() -> None:
    """The reference server stands in for another organisation's system, with its own file."""
    allowed = {PROJECT_ROOT / "bot" / "complaints" / "server.py"}
    for path in (PROJECT_ROOT / "bot").rglob("*.py"):
        if "storage" in path.parts or path in allowed:
            continue
        assert not imported_roots(path) & {"sqlite_utils", "sqlite3"}, path
