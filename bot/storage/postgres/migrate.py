"""Brings a PostgreSQL database's schema up to date from the versioned files in `migrations/`.

    replica A ──pg_advisory_lock──▶ reads schema_migrations ─▶ applies 0002, 0003 ─▶ unlock
    replica B ──pg_advisory_lock── (waits) ─────────────────────────────────────────▶ reads:
                                                                         nothing left to do

Two replicas started together would otherwise both see version 0002 missing and both run it.
The session-level advisory lock (one fixed key for Waspada's schema) makes the second wait for
the first, then find every version recorded. Each file runs in its own transaction with its
`schema_migrations` row, so a failing file leaves neither half of itself nor its row behind,
and the next start tries it again. Files are never edited once released: a change is a new file.

A file's name starts with its number (`0003_console.sql`); files apply in the order of that
number, not of the name's text, and the numbers need not follow on: a database may get 0003
before 0002 exists (two branches each adding a file), and gets 0002 at the first start that
has it. Two files with one number, or a name without one, stop the start with the names.
"""

from __future__ import annotations

import re
from importlib import resources
from importlib.abc import Traversable
from typing import Any

import psycopg
from psycopg.rows import tuple_row

# pg_advisory_lock takes a bigint; any fixed number other code does not use will do.
MIGRATION_LOCK = 0x5741_5350_4144_41  # "WASPADA"
_NUMBERED = re.compile(r"(\d+)_\w+\.sql")


def migration_files(folder: Traversable | None = None) -> list[tuple[str, str]]:
    """(version, SQL) in the order of the files' numbers; the version is the file's name without
    `.sql`."""
    folder = folder or resources.files("bot.storage.postgres.migrations")
    numbered: dict[int, tuple[str, str]] = {}
    for entry in folder.iterdir():
        if not entry.name.endswith(".sql"):
            continue
        match = _NUMBERED.fullmatch(entry.name)
        if match is None:
            raise ValueError(f"migration {entry.name}: the name must be NUMBER_words.sql")
        number = int(match[1])
        if number in numbered:
            raise ValueError(
                f"migrations {numbered[number][0]}.sql and {entry.name} have one number: "
                "give the newer file the next free one"
            )
        numbered[number] = (entry.name.removesuffix(".sql"), entry.read_text(encoding="utf-8"))
    return [numbered[number] for number in sorted(numbered)]


def apply_migrations(
    conn: psycopg.Connection[Any], files: list[tuple[str, str]] | None = None
) -> list[str]:
    """Applies the versions not yet recorded (of `files`, the package's by default); returns
    them. `conn` must be in autocommit mode (the lock is held across the per-file
    transactions)."""
    applied: list[str] = []
    conn.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK])
    try:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            "version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        with conn.cursor(row_factory=tuple_row) as cursor:
            done = {row[0] for row in cursor.execute("SELECT version FROM schema_migrations")}
        for version, sql in migration_files() if files is None else files:
            if version in done:
                continue
            with conn.transaction():
                conn.execute(sql.encode())
                conn.execute("INSERT INTO schema_migrations (version) VALUES (%s)", [version])
            applied.append(version)
    finally:
        conn.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK])
    return applied
