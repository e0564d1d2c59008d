"""Opens Waspada's SQLite file and brings its schema up to date with sqlite-utils migrations."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils
from sqlite_utils.migrations import Migrations

migrations = Migrations("waspada")


@migrations()
def create_sessions(db: sqlite_utils.Database) -> None:
    db["sessions"].create(  # type: ignore[union-attr]
        {
            "user_key": str,
            "chosen_language": str,
            "last_language": str,
            "flow": str,
            "flow_state": str,
            "updated_at": str,
        },
        pk="user_key",
        not_null={"user_key"},
    )


def open_database(path: Path | str) -> sqlite_utils.Database:
    """`path` may be ":memory:" for tests. WAL lets the bot and CLI tools read while one writes."""
    if isinstance(path, Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite_utils.Database(path)
        db.execute("PRAGMA journal_mode=WAL")
    else:
        db = sqlite_utils.Database(memory=True)
    migrations.apply(db)
    return db
