"""Imports go one way: adapters and services lean on the core, never the other way, and no
package reaches sideways into another. An allow-list per layer, checked in every sub-package:
a new import that breaks the direction fails here, not in a review.

| layer                                    | may import from bot | besides the stdlib |
|------------------------------------------|---------------------|--------------------|
| core                                     | core                | nothing            |
| delivery                                 | core                | nothing            |
| content, i18n, nlu, storage              | core (+ errors)     | their own library  |
| storage/postgres (inside storage)        | core, storage       | psycopg only       |
| adapters: complaint_api, telegram_adapter, channels | core     | their own library  |
| settings, errors, logging_setup          | core                | nothing            |
| console (staff pages) | core, content, i18n, telegram_adapter | aiohttp, jinja2, matplotlib |
| app, app_alerts, app_stores, __main__    | everything          | everything         |

One exception: the reference complaint server (complaint_api/server.py) keeps its own SQLite
file with storage's private-file rules.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from bot.settings import PROJECT_ROOT

BOT = PROJECT_ROOT / "bot"
EVERYTHING = frozenset({"*"})

MAY_IMPORT: dict[str, frozenset[str]] = {
    "core": frozenset(),
    "delivery": frozenset({"core"}),
    "content": frozenset({"core", "errors"}),
    "i18n": frozenset({"core"}),
    "nlu": frozenset({"core", "errors"}),
    "storage": frozenset({"core"}),
    "complaint_api": frozenset({"core"}),
    "telegram_adapter": frozenset({"core"}),
    "channels": frozenset({"core"}),
    "settings": frozenset({"core", "errors"}),
    "scam": frozenset({"core", "content"}),
    "errors": frozenset(),
    "logging_setup": frozenset(),
    "app": EVERYTHING,
    "app_alerts": EVERYTHING,
    "app_scam": EVERYTHING,
    "app_faq": EVERYTHING,
    "app_staff": EVERYTHING,
    "app_console": EVERYTHING,
    "app_stores": EVERYTHING,
    "console": frozenset({"core", "content", "i18n", "telegram_adapter"}),
    "__main__": EVERYTHING,
    "__init__": frozenset(),
}
EXCEPTIONS = {("complaint_api/server.py", "storage")}

LIBRARIES: dict[str, frozenset[str]] = {
    "content": frozenset({"yaml"}),
    "i18n": frozenset({"babel"}),
    "nlu": frozenset(
        {"rasa", "sklearn", "numpy", "scipy", "skops", "jieba", "regex", "yaml", "structlog"}
        | {"matplotlib", "joblib"}
        # The NLU server's client (http_nlu.py): the same HTTP library as the complaint client.
        | {"httpx"}
    ),
    "storage": frozenset({"sqlite_utils"}),
    "scam": frozenset({"phonenumbers", "tldextract"}),
    "complaint_api": frozenset({"httpx", "aiohttp", "sqlite_utils"}),
    "telegram_adapter": frozenset({"telegram", "aiohttp"}),
    "app": EVERYTHING,
    "app_alerts": EVERYTHING,
    "app_scam": EVERYTHING,
    "app_faq": EVERYTHING,
    "app_staff": EVERYTHING,
    "app_console": EVERYTHING,
    "app_stores": EVERYTHING,
    # matplotlib: the usage page's PNG chart, drawn on the server (no JavaScript in the console).
    "console": frozenset({"aiohttp", "jinja2", "matplotlib"}),
    "__main__": EVERYTHING,
}


# Folders whose libraries differ from their layer's: PostgreSQL's driver stays in its adapter
# package (which speaks SQL through psycopg, never through sqlite-utils).
FOLDER_LIBRARIES: dict[str, frozenset[str]] = {
    "storage/postgres": frozenset({"psycopg"}),
}


def libraries_of(where: str, layer: str) -> frozenset[str]:
    for folder, libraries in FOLDER_LIBRARIES.items():
        if where.startswith(folder + "/"):
            return libraries
    return LIBRARIES.get(layer, frozenset())


def layer_of(path: Path, root: Path = BOT) -> str:
    relative = path.relative_to(root)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def imports_of(path: Path, root: Path = BOT) -> set[str]:
    """Absolute module names, relative imports resolved."""
    package = ".".join(("bot", *path.relative_to(root).parent.parts))
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                names.add(".".join([*base, node.module]))
            else:
                names.add(node.module)
    return names


def violations(root: Path = BOT) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        layer, where = layer_of(path, root), str(path.relative_to(root))
        allowed = MAY_IMPORT.get(layer)
        if allowed is None:
            found.append(f"{where}: layer {layer!r} is not in the allow-list")
            continue
        for name in imports_of(path, root):
            parts = name.split(".")
            if parts[0] == "bot" and len(parts) > 1:
                target = parts[1]
                wrong_way = target != layer and allowed != EVERYTHING and target not in allowed
                if wrong_way and (where, target) not in EXCEPTIONS:
                    found.append(f"{where} imports {name}")
            elif parts[0] not in sys.stdlib_module_names and parts[0] != "__future__":
                libraries = libraries_of(where, layer)
                if libraries != EVERYTHING and parts[0] not in libraries:
                    found.append(f"{where} imports the library {parts[0]}")
    return found


def test_every_import_follows_the_direction_of_the_layers() -> None:
    assert violations() == []


def test_the_check_sees_sub_packages_and_catches_a_wrong_way_import(tmp_path: Path) -> None:
    """The old check globbed only core's top folder; a module one level down went unchecked."""
    probe = tmp_path / "bot" / "core" / "flows"
    probe.mkdir(parents=True)
    (probe / "__init__.py").write_text("from bot.storage.database import open_database\n")
    (probe / "more.py").write_text("import telegram\nfrom ..messages import Reply\n")
    (tmp_path / "bot" / "storage").mkdir()
    (tmp_path / "bot" / "storage" / "x.py").write_text("from bot.nlu import rasa_agent\n")
    found = violations(tmp_path / "bot")
    assert found == [
        "core/flows/__init__.py imports bot.storage.database",
        "core/flows/more.py imports the library telegram",
        "storage/x.py imports bot.nlu",
    ]


def test_only_the_postgres_adapters_import_psycopg(tmp_path: Path) -> None:
    """The driver stays in bot/storage/postgres/; SQLite's storage and every other layer (the
    composition root aside) reach PostgreSQL only through those adapters."""
    (tmp_path / "bot" / "storage" / "postgres").mkdir(parents=True)
    (tmp_path / "bot" / "storage" / "postgres" / "ok.py").write_text("import psycopg\n")
    (tmp_path / "bot" / "storage" / "postgres" / "mixed.py").write_text("import sqlite_utils\n")
    (tmp_path / "bot" / "storage" / "sessions.py").write_text("import psycopg\n")
    (tmp_path / "bot" / "delivery").mkdir()
    (tmp_path / "bot" / "delivery" / "x.py").write_text("from psycopg import sql\n")
    assert violations(tmp_path / "bot") == [
        "delivery/x.py imports the library psycopg",
        "storage/postgres/mixed.py imports the library sqlite_utils",
        "storage/sessions.py imports the library psycopg",
    ]


def test_only_the_adapters_know_how_a_channel_spells_its_people() -> None:
    """Outside the adapters a person is a `UserKey`; no one parses "tg:123" or "term:local"."""
    adapters = {"telegram_adapter", "channels"}
    for path in BOT.rglob("*.py"):
        if layer_of(path) in adapters:
            continue
        text = path.read_text(encoding="utf-8")
        assert '"tg:' not in text and '"term:' not in text, path
