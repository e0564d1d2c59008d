"""A bot process with the model inside versus one that asks `waspada nlu serve`: start-up time
(spawn to its first `getUpdates`) and resident memory after answering 20 questions, on the fake
Bot API on 127.0.0.1. Run alone with `python -m tests.bench.nlu_service`; `make bench` runs it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bot.settings import PROJECT_ROOT
from tests.bench.telegram import replace_section
from tests.fakes.telegram_api import FakeTelegramApi
from tests.support.ports import free_port

HEADING = "## NLU as a service: bot process memory and start-up"
WASPADA = str(Path(sys.executable).with_name("waspada"))
QUESTIONS = ["is this sms from my bank a scam?", "孩子的照片可以发到网上吗？", "akaun fb kena hack"]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run_bot(data_dir: Path, **env: str) -> dict[str, Any]:
    api = FakeTelegramApi().start()
    started = time.monotonic()
    bot = subprocess.Popen(
        [WASPADA, "run"],
        env={
            **os.environ,
            "WASPADA_DATA_DIR": str(data_dir),
            "TELEGRAM_BOT_TOKEN": api.token,
            "TELEGRAM_API_BASE_URL": api.base_url,
            **env,
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while "getUpdates" not in api.calls:
            assert bot.poll() is None and time.monotonic() - started < 180, "no start"
            time.sleep(0.05)
        start_s = time.monotonic() - started
        for index in range(20):
            text = QUESTIONS[index % len(QUESTIONS)]
            api.send_text(text, user_id=30_000 + index)
        api.wait_for_messages(20, timeout=120)
        return {"start_s": start_s, "rss_mb": rss_mb(bot.pid)}
    finally:
        bot.terminate()
        bot.wait(30)
        api.stop()


def measure() -> dict[str, Any]:
    models = Path(os.environ.get("WASPADA_DATA_DIR", PROJECT_ROOT / "var")) / "models"
    with tempfile.TemporaryDirectory() as tmp:
        # A data folder per bot: the fake Bot API numbers updates from 1 each time it starts,
        # and a bot takes an update id it has already handled for Telegram resending it.
        data, other = Path(tmp) / "inside", Path(tmp) / "outside"
        for folder in (data, other):
            folder.mkdir()
            (folder / "models").symlink_to(models.resolve(), target_is_directory=True)
        inside = run_bot(data)
        port = free_port()
        server = subprocess.Popen(
            [WASPADA, "nlu", "serve", "--port", str(port)],
            env={**os.environ, "WASPADA_DATA_DIR": str(data)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 180
            while True:
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/status").status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                assert time.monotonic() < deadline, "the NLU server did not start"
                time.sleep(0.2)
            outside = run_bot(other, WASPADA_NLU_URL=f"http://127.0.0.1:{port}")
            server_mb = rss_mb(server.pid)
        finally:
            server.terminate()
            server.wait(30)
    return {"inside": inside, "outside": outside, "server_mb": server_mb}


def section() -> list[str]:
    r = measure()
    inside, outside = r["inside"], r["outside"]
    return [
        HEADING,
        "",
        "`waspada run` in long polling against the fake Bot API, after answering 20 questions "
        f"(en/ms/zh); {os.cpu_count()} cores. Start-up is from spawning the process to its first "
        "`getUpdates`. With `WASPADA_NLU_URL` the bot imports neither Rasa nor TensorFlow.",
        "",
        "| process | start-up | RSS | target |",
        "|---|---|---|---|",
        f"| bot with the model inside | {inside['start_s']:.1f} s | "
        f"{inside['rss_mb']:.0f} MB | — |",
        f"| bot with `WASPADA_NLU_URL` | {outside['start_s']:.1f} s | "
        f"{outside['rss_mb']:.0f} MB | ≤ 5 s, ≤ 300 MB |",
        f"| `waspada nlu serve` | — | {r['server_mb']:.0f} MB | — |",
        "",
    ]


def write(lines: list[str]) -> None:
    replace_section(HEADING, lines)


if __name__ == "__main__":
    lines = section()
    write(lines)
    print("\n".join(lines))
