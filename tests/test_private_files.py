"""The data folder holds what happened to people: only the bot's own account may read it."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.complaint_api.server import ComplaintStore
from bot.storage.database import open_database
from bot.storage.private_files import wider_than_private


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def permissive_umask() -> Iterator[None]:
    """The common default: without care, new files would be 0644 and folders 0755."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_new_data_folder_and_its_database_files_are_private(tmp_path: Path) -> None:
    path = tmp_path / "srv" / "data" / "waspada.db"
    db = open_database(path)
    db["sessions"].insert({"user_key": "telegram:1", "chosen_language": "ms"})  # type: ignore[union-attr]
    assert mode(path.parent) == mode(path.parent.parent) == 0o700
    assert mode(path) == 0o600
    assert mode(Path(f"{path}-wal")) == mode(Path(f"{path}-shm")) == 0o600
    assert wider_than_private(path) == []


def test_start_up_names_database_files_that_others_can_read(tmp_path: Path) -> None:
    path = tmp_path / "data" / "waspada.db"
    open_database(path)
    path.chmod(0o644)
    path.parent.chmod(0o755)
    assert wider_than_private(path) == [f"{path.parent} (755)", f"{path} (644)"]


def test_the_reference_complaint_api_keeps_its_database_private(tmp_path: Path) -> None:
    path = tmp_path / "api" / "complaint-api.db"
    ComplaintStore.open(path)
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
