"""Two `waspada run` replicas in webhook mode on loopback, as `docs/deploy/compose.yml` runs
them: one PostgreSQL, one `waspada nlu serve`, one complaint API, and the fake Bot API posting
updates to the replicas in turn (the reverse proxy's round robin).

    fake Bot API ──POST update 1──▶ replica a ─┐
                 ──POST update 2──▶ replica b ─┼─▶ PostgreSQL (one database)
                 ──POST update 3──▶ replica a ─┘   waspada nlu serve, complaint API
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from tests.fakes.complaint_api import TOKEN, ComplaintApiServer
from tests.fakes.telegram_api import FakeTelegramApi
from tests.support.bot_process import start_bot
from tests.support.nlu_server import serve, stop
from tests.support.ports import free_port

SECRET = "replicas-share-this-webhook-secret"  # noqa: S105 - a test value
# Short, so a replica killed mid-delivery leaves its report to the other within seconds.
LEASE_SECONDS = 3


@dataclass
class Replica:
    name: str
    process: subprocess.Popen[str]
    hook: str

    def rss_mb(self) -> float:
        return rss_mb(self.process.pid)


@dataclass
class Topology:
    telegram: FakeTelegramApi
    complaint_api: ComplaintApiServer
    database_url: str
    data_dir: Path
    nlu_port: int = field(default_factory=free_port)
    nlu: subprocess.Popen[str] | None = None
    replicas: list[Replica] = field(default_factory=list)

    def start_nlu(self) -> None:
        self.nlu = serve(self.data_dir, self.nlu_port)

    def stop_nlu(self) -> str:
        assert self.nlu is not None
        output, self.nlu = stop(self.nlu), None
        return output

    def start_replica(self, name: str, **env: str) -> Replica:
        """Each replica has its own data folder: everything shared is in PostgreSQL."""
        port = free_port()
        hook = f"http://127.0.0.1:{port}/telegram"
        folder = self.data_dir.parent / f"replica-{name}"
        folder.mkdir(exist_ok=True)
        process = start_bot(
            self.telegram,
            folder,
            "--webhook-url",
            hook,
            "--listen",
            "127.0.0.1",
            "--port",
            str(port),
            TELEGRAM_WEBHOOK_SECRET=SECRET,
            WASPADA_DATABASE_URL=self.database_url,
            WASPADA_NLU_URL=f"http://127.0.0.1:{self.nlu_port}",
            WASPADA_SECRET_KEY="one-pseudonym-key-for-every-replica",  # noqa: S106 - a test value
            COMPLAINT_API_URL=self.complaint_api.base_url,
            COMPLAINT_API_TOKEN=TOKEN,
            WASPADA_OUTBOX_LEASE_SECONDS=str(LEASE_SECONDS),
            # One person's 20 quick messages are the story here, not the flood guard.
            WASPADA_FLOOD_MESSAGES="100",
            **env,
        )
        replica = Replica(name, process, hook)
        self.replicas.append(replica)
        self.telegram.deliver_to_webhooks([r.hook for r in self.replicas])
        return replica

    def close(self) -> None:
        for replica in self.replicas:
            if replica.process.poll() is None:
                replica.process.kill()
                replica.process.communicate()
        if self.nlu is not None:
            self.stop_nlu()


def rss_mb(pid: int) -> float:
    """Resident memory, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def connected_to(pid: int, port: int) -> bool:
    """Whether process `pid` holds an open TCP connection to 127.0.0.1:`port` right now: which
    replica is sending a report to the complaint API."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = str(fd.readlink())
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        columns = line.split()
        remote, state, inode = columns[2], columns[3], columns[9]
        if state == "01" and int(remote.split(":")[1], 16) == port and inode in inodes:
            return True
    return False
