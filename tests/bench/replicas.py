"""One bot replica versus two behind a round robin, sharing PostgreSQL and one NLU server (the
topology of `tests/test_replicas.py`): updates per second and the 99th percentile of the time
from Telegram's POST to its 200 (the webhook answers once the reply is sent), and RSS per
process. Run alone with `python -m tests.bench.replicas`; `make bench` runs it.

The load is Telegram's: PEOPLE chats at once, each posting its next message as soon as the last
was answered. Everything shares this machine's cores (the replicas, the NLU server, PostgreSQL,
the fake Bot API and this client), so a second replica can only show what it adds on the same
CPUs, not what a second machine would.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import statistics
import tempfile
import time
from itertools import count
from pathlib import Path
from typing import Any

import httpx

from bot.settings import PROJECT_ROOT
from bot.telegram_adapter.webhook import SECRET_HEADER
from tests.bench.telegram import replace_section
from tests.fakes.complaint_api import ComplaintApiServer
from tests.fakes.telegram_api import FakeTelegramApi
from tests.support.postgres import start_cluster, stop_cluster
from tests.support.replicas import SECRET, Topology, rss_mb

HEADING = "## Replicas: one versus two on one machine"
PEOPLE = 40
MESSAGES_EACH = 5
QUESTIONS = ["is this sms from my bank a scam?", "孩子的照片可以发到网上吗？", "akaun fb kena hack"]
_update_ids = count(1)


async def person(
    client: httpx.AsyncClient, telegram: FakeTelegramApi, hooks: list[str], user_id: int
) -> list[float]:
    """One chat: each message posted once the last was answered, to the proxy's next replica."""
    took = []
    for n in range(MESSAGES_EACH):
        update_id = next(_update_ids)
        message = telegram.text_update(QUESTIONS[(user_id + n) % len(QUESTIONS)], user_id=user_id)
        started = time.perf_counter()
        response = await client.post(
            hooks[update_id % len(hooks)],
            json={"update_id": update_id, "message": message},
            headers={SECRET_HEADER: SECRET},
        )
        response.raise_for_status()
        took.append(time.perf_counter() - started)
    return took


async def load(telegram: FakeTelegramApi, hooks: list[str], first_user: int) -> dict[str, float]:
    async with httpx.AsyncClient(timeout=120, limits=httpx.Limits(max_connections=100)) as client:
        started = time.perf_counter()
        runs = await asyncio.gather(
            *(person(client, telegram, hooks, first_user + n) for n in range(PEOPLE))
        )
        wall = time.perf_counter() - started
    took = sorted(t for run in runs for t in run)
    return {
        "per_s": len(took) / wall,
        "p50_ms": statistics.median(took) * 1000,
        "p99_ms": took[int(len(took) * 0.99) - 1] * 1000,
    }


def measure() -> dict[str, Any]:
    models = Path(os.environ.get("WASPADA_DATA_DIR", PROJECT_ROOT / "var")) / "models"
    root = Path(tempfile.mkdtemp(prefix="waspada-bench-replicas-"))
    pg_root = Path(tempfile.mkdtemp(prefix="waspada-bench-pg-"))  # owned by postgres as root
    cluster = start_cluster(pg_root)
    telegram = FakeTelegramApi().start()
    api = ComplaintApiServer(root / "complaints.db").start()
    data = root / "nlu-data"
    data.mkdir()
    (data / "models").symlink_to(models.resolve(), target_is_directory=True)
    world = Topology(telegram, api, cluster.new_database(), data)
    busy = os.getloadavg()[0]
    try:
        world.start_nlu()
        one = world.start_replica("a")
        load_one = asyncio.run(load(telegram, [one.hook], 40_000))
        two = world.start_replica("b")
        load_two = asyncio.run(load(telegram, [one.hook, two.hook], 50_000))
        assert world.nlu is not None
        return {
            "one": load_one,
            "two": load_two,
            "replica_mb": [one.rss_mb(), two.rss_mb()],
            "nlu_mb": rss_mb(world.nlu.pid),
            "load_before": busy,
        }
    finally:
        world.close()
        api.stop()
        telegram.stop()
        stop_cluster(cluster)
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(pg_root, ignore_errors=True)


def section() -> list[str]:
    r = measure()
    rows = [
        f"| {name} | {m['per_s']:.1f} | {m['p50_ms']:.0f} ms | {m['p99_ms']:.0f} ms |"
        for name, m in (("one replica", r["one"]), ("two replicas", r["two"]))
    ]
    a_mb, b_mb = r["replica_mb"]
    return [
        HEADING,
        "",
        f"{PEOPLE} people at once, {MESSAGES_EACH} questions each (en/ms/zh), posted to the "
        "webhook as Telegram does (a chat's next update once the last was answered; the bot "
        "answers once the reply is sent), on PostgreSQL and one `waspada nlu serve`; "
        f"{os.cpu_count()} cores shared by every process, so the second replica competes for "
        "the same CPUs as the first, the NLU server and PostgreSQL (load average before the "
        f"run: {r['load_before']:.1f}, other work included).",
        "",
        "| topology | updates/s | p50 | p99 |",
        "|---|---|---|---|",
        *rows,
        "",
        f"RSS after the run: replica a {a_mb:.0f} MB, replica b {b_mb:.0f} MB, "
        f"`waspada nlu serve` {r['nlu_mb']:.0f} MB.",
        "",
    ]


def write(lines: list[str]) -> None:
    replace_section(HEADING, lines)


if __name__ == "__main__":
    lines = section()
    write(lines)
    print("\n".join(lines))
