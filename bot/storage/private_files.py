"""The data folder holds names, phone numbers and what happened to people: only the account that
runs the bot may read it. New folders are made 0700 and new database files 0600 (SQLite gives
its -wal and -shm files the database file's mode). Files that already exist are not changed
behind the operator's back; `wider_than_private` names them so start-up can warn."""

from __future__ import annotations

import os
import stat
from pathlib import Path

FOLDER_MODE = 0o700
FILE_MODE = 0o600
_SIDE_FILES = ("-wal", "-shm", "-journal")


def private_folder(path: Path) -> Path:
    """Creates missing folders 0700 (whatever the umask says)."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=FOLDER_MODE)
        folder.chmod(FOLDER_MODE)
    return path


def private_file(path: Path) -> Path:
    """Creates the file 0600 if it does not exist yet, before SQLite opens it."""
    private_folder(path.parent)
    if not path.exists():
        descriptor = os.open(path, os.O_CREAT | os.O_WRONLY, FILE_MODE)
        os.close(descriptor)
        path.chmod(FILE_MODE)
    return path


def wider_than_private(database: Path) -> list[str]:
    """`path (mode)` for the folder and database files that others could read or write."""
    found = []
    candidates = [(database.parent, FOLDER_MODE), (database, FILE_MODE)]
    candidates += [(Path(f"{database}{suffix}"), FILE_MODE) for suffix in _SIDE_FILES]
    for path, allowed in candidates:
        if path.exists():
            mode = stat.S_IMODE(path.stat().st_mode)
            if mode & ~allowed:
                found.append(f"{path} ({mode:o})")
    return found
