"""A throwaway PostgreSQL cluster for the storage tests: `initdb` in a temporary folder, started
on a free loopback port with fsync off, stopped at the end of the session.

PostgreSQL refuses to run as root, so as root (CI containers) the cluster belongs to the
`postgres` account and every command runs through `runuser`; on a developer's machine it runs
as the developer. Without the binaries the tests skip and say what to install, unless
WASPADA_REQUIRE_POSTGRES=1 (CI, after `.ci/run` installed them), where a missing server fails.

Each test gets a database of its own (`CREATE DATABASE`), so tests never see each other's rows
and need no clean-up beyond the cluster's folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import count
from pathlib import Path

import pytest

from tests.support.ports import free_port

SEARCHED = (
    *sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True),
    Path("/usr/local/pgsql/bin"),
)
SUPERUSER = "waspada"
_names = count(1)


def postgres_bin() -> Path | None:
    """Debian's versioned folder first, then whatever `initdb` is on PATH."""
    for folder in SEARCHED:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    found = shutil.which("initdb")
    return Path(found).parent if found and shutil.which("pg_ctl") else None


def postgres_missing() -> str | None:
    if postgres_bin() is None:
        return "PostgreSQL is not installed: apt-get install postgresql (CI does)"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "running as root without runuser: cannot start PostgreSQL as another account"
    return None


@dataclass
class PostgresCluster:
    folder: Path
    port: int
    bin: Path

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A fresh, empty database; returns its URL."""
        import psycopg

        name = f"test_{os.getpid()}_{next(_names)}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def _as_owner(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def start_cluster(root: Path) -> PostgresCluster:
    folder = root / "cluster"
    pg_bin = postgres_bin()
    assert pg_bin is not None
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    subprocess.run(
        _as_owner([str(pg_bin / "initdb"), "-D", str(folder), "-A", "trust", "-U", SUPERUSER]),
        check=True,
        capture_output=True,
    )
    port = free_port()
    options = f"-k {root} -p {port} -c listen_addresses=127.0.0.1 -c fsync=off"
    log = str(root / "server.log")
    subprocess.run(
        _as_owner(
            [str(pg_bin / "pg_ctl"), "-D", str(folder), "-o", options, "-l", log, "-w", "start"]
        ),
        check=True,
        capture_output=True,
    )
    return PostgresCluster(folder, port, pg_bin)


def stop_cluster(cluster: PostgresCluster) -> None:
    subprocess.run(
        _as_owner([str(cluster.bin / "pg_ctl"), "-D", str(cluster.folder), "-m", "fast", "stop"]),
        check=False,
        capture_output=True,
    )


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    reason = postgres_missing()
    if reason is not None:
        if os.environ.get("WASPADA_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"WASPADA_REQUIRE_POSTGRES=1 but {reason}")
        pytest.skip(reason)
    root = Path(tempfile.mkdtemp(prefix="waspada-pg-"))
    try:
        cluster = start_cluster(root)
    except subprocess.CalledProcessError as error:
        shutil.rmtree(root, ignore_errors=True)
        pytest.fail(f"could not start PostgreSQL: {error.stderr!r}")
    try:
        yield cluster
    finally:
        stop_cluster(cluster)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_cluster: PostgresCluster) -> str:
    """A new empty database in the session's cluster."""
    return postgres_cluster.new_database()
