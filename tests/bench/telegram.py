"""End-to-end throughput and reply latency through the real PTB stack and the real services
(trained model, SQLite, answers), against the fake Bot API on 127.0.0.1.

Telegram's own network time is not included, and PTB's rate limiter is off: this measures what
the bot can handle, which must stay well above what Telegram lets it send (~30 messages/s).
Run alone with `python -m tests.bench.telegram`; `make bench` runs it too.
"""

from __future__ import annotations

import asyncio
import os
import platform
import resource
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from bot.app import Services, build_services
from bot.core import callbacks
from bot.settings import PROJECT_ROOT, Settings
from bot.telegram_adapter.application import Options, build_application
from tests.fakes.telegram_api import FakeTelegramApi

REPORT = PROJECT_ROOT / "docs" / "benchmarks.md"
HEADING = "## Telegram end to end"
MESSAGES = [
    ("saya takut nak post gambar anak kat facebook", "ms"),
    ("孩子的照片可以发到网上吗？", "zh-hans"),
    ("is this sms from my bank a scam?", "en"),
    ("/start", "ms"),
    ("/help", "en"),
    ("akaun fb saya kena hack", "ms"),
    ("我被骗了钱怎么办", "zh-hans"),
]


def queue(api: FakeTelegramApi, index: int) -> int:
    """Sends one update from a new person and returns their chat id."""
    user = 10_000 + index
    if index % 8 == 7:
        api.press_button(callbacks.encode("topic", "faq_phishing"), user_id=user)
        return user
    text, client = MESSAGES[index % len(MESSAGES)]
    api.send_text(text, user_id=user, language_code=client)
    return user


def bench_application(api: FakeTelegramApi, services: Services, **extra: Any) -> Any:
    """The real `Application` on the fake Bot API, PTB's rate limiter off."""
    return build_application(
        api.token,
        services.conversation,
        services.translator,
        services.chat_log,
        base_url=api.base_url,
        options=Options(rate_limit=False),
        **extra,
    )


async def measure(api: FakeTelegramApi, settings: Settings) -> dict[str, Any]:
    app = bench_application(api, build_services(settings, say=lambda _: None))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        await answered(api, {queue(api, 100_000 + warm) for warm in range(20)})

        burst = 1000
        started = time.perf_counter()
        await answered(api, {queue(api, index) for index in range(burst)})
        burst_seconds = time.perf_counter() - started

        rate, seconds = 50, 10
        queued_at: dict[int, float] = {}
        for index in range(rate * seconds):
            queued_at[queue(api, 200_000 + index)] = time.monotonic()
            await asyncio.sleep(1 / rate)
        replied = await answered(api, set(queued_at))
        latencies = [(replied[chat] - at) * 1000 for chat, at in queued_at.items()]
        await app.updater.stop()
        await app.stop()
    latencies.sort()
    return {
        "burst": burst,
        "updates_per_s": burst / burst_seconds,
        "rate": rate,
        "p50_ms": statistics.median(latencies),
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1],
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


async def answered(api: FakeTelegramApi, chats: set[int], timeout: float = 300) -> dict[int, float]:
    """When each chat got its first reply. Counting people, not messages: a reply with a crisis
    card is two messages, and counting messages ended a burst while people still waited."""
    deadline = time.monotonic() + timeout
    first: dict[int, float] = {}
    seen = 0
    while True:
        for message, at in zip(api.sent[seen:], api.sent_at[seen:], strict=False):
            if message.chat_id in chats:
                first.setdefault(message.chat_id, at)
            seen += 1
        if len(first) == len(chats):
            return first
        if time.monotonic() > deadline:
            raise TimeoutError(f"{len(first)} of {len(chats)} people answered")
        await asyncio.sleep(0.01)


def on_fake_telegram(
    measure: Callable[[FakeTelegramApi, Settings], Awaitable[dict[str, Any]]],
    prepare: Callable[[Settings], None] = lambda _settings: None,
    **settings: Any,
) -> dict[str, Any]:
    """Runs `measure` on a fresh data folder that shares the trained model, and a fake Bot API."""
    models = Path(os.environ.get("WASPADA_DATA_DIR", PROJECT_ROOT / "var")) / "models"
    api = FakeTelegramApi().start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "models").symlink_to(models.resolve(), target_is_directory=True)
            chosen = Settings(data_dir=Path(tmp), **settings)
            prepare(chosen)
            return asyncio.run(measure(api, chosen))
    finally:
        api.stop()


def section() -> list[str]:
    result = on_fake_telegram(measure)
    machine = f"{platform.machine()}, {os.cpu_count()} cores"
    return [
        HEADING,
        "",
        f"Real PTB `Application` (long polling), real trained model, SQLite and answers, against "
        f"the fake Bot API on 127.0.0.1 ({machine}); PTB's rate limiter off, Telegram's "
        "network time excluded. Each update comes from a different person: questions in "
        "en/ms/zh, commands and button presses.",
        "",
        "| measure | result | target |",
        "|---|---|---|",
        f"| throughput, burst of {result['burst']} updates | "
        f"{result['updates_per_s']:.0f} updates/s | ≥ 100 updates/s |",
        f"| reply latency p50 at {result['rate']} updates/s | {result['p50_ms']:.1f} ms | — |",
        f"| reply latency p99 at {result['rate']} updates/s | {result['p99_ms']:.1f} ms | "
        "≤ 100 ms |",
        f"| peak RSS of the bot process | {result['rss_mb']:.0f} MB | — |",
        "",
    ]


def write(lines: list[str]) -> None:
    replace_section(HEADING, lines)


def replace_section(heading: str, lines: list[str]) -> None:
    """Replaces one `## ` section of docs/benchmarks.md (or adds it) and keeps every other."""
    text = REPORT.read_text(encoding="utf-8") if REPORT.exists() else "# Benchmarks\n"
    before, _, after = text.partition(heading)
    rest = after[after.find("\n## ") :] if "\n## " in after else ""
    REPORT.write_text(before.rstrip("\n") + "\n\n" + "\n".join(lines) + rest, encoding="utf-8")


if __name__ == "__main__":
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    from bot.nlu.rasa_agent import quiet_rasa

    quiet_rasa()
    write(section())
    print(REPORT.read_text(encoding="utf-8"))
