"""Talk to a person: the time from a staff member's message in a case topic to its delivery to
the person, with 50 cases open, through the real PTB stack, real services (trained model,
SQLite, answers) and the fake Bot API on 127.0.0.1. Telegram's network time is not included.
Run alone with `python -m tests.bench.handoff`; `make bench` runs it too.
"""

from __future__ import annotations

import asyncio
import os
import platform
import statistics
import time
from datetime import time as clock_time
from typing import Any

from bot.app import build_services
from bot.core import callbacks
from bot.core.office_hours import OfficeHours
from bot.settings import Settings
from tests.bench.telegram import answered, bench_application, on_fake_telegram, replace_section
from tests.fakes.telegram_api import FakeTelegramApi

HEADING = "## Talk to a person: staff reply to the person"
STAFF_GROUP = -1001234567890
CASES = 50
ROUNDS = 4
RATE = 20  # staff messages per second, all topics together
ALWAYS_OPEN = OfficeHours(clock_time(0, 0), clock_time(23, 59), frozenset(range(7)))


async def measure(api: FakeTelegramApi, settings: Settings) -> dict[str, Any]:
    services = build_services(settings, say=lambda _: None)
    app = bench_application(api, services, staff=services.staff)
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        people = [50_000 + i for i in range(CASES)]
        for user in people:
            api.send_text("/human", user_id=user, language_code="ms")
        await answered(api, set(people))
        for user in people:
            api.press_button(callbacks.encode("handoff", "yes"), user_id=user, language_code="ms")
        while len(api.topics) < CASES:
            await asyncio.sleep(0.01)
        threads = sorted(api.topics)
        latencies: list[float] = []
        for _round in range(ROUNDS):
            seen = len(api.sent)
            queued: dict[str, float] = {}
            for index, thread in enumerate(threads):
                words = f"round {_round} case {index}"
                api.send_staff_text(words, chat_id=STAFF_GROUP, thread=thread)
                queued[words] = time.monotonic()
                await asyncio.sleep(1 / RATE)
            delivered = await deliveries(api, queued, seen)
            latencies += [(delivered[w] - at) * 1000 for w, at in queued.items()]
        await app.updater.stop()
        await app.stop()
    latencies.sort()
    return {
        "messages": len(latencies),
        "p50_ms": statistics.median(latencies),
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1],
    }


async def deliveries(
    api: FakeTelegramApi, queued: dict[str, float], seen: int, timeout: float = 120
) -> dict[str, float]:
    """When each staff message reached its person (a private chat, not the staff group)."""
    deadline = time.monotonic() + timeout
    found: dict[str, float] = {}
    while len(found) < len(queued):
        for message, at in zip(api.sent[seen:], api.sent_at[seen:], strict=False):
            seen += 1
            if message.chat_id > 0:
                words = message.text.rsplit("</b> ", 1)[-1]
                if words in queued:
                    found.setdefault(words, at)
        if time.monotonic() > deadline:
            raise TimeoutError(f"{len(found)} of {len(queued)} staff messages delivered")
        await asyncio.sleep(0.01)
    return found


def section() -> list[str]:
    result = on_fake_telegram(
        measure, staff_chat_id=STAFF_GROUP, staff_hours=ALWAYS_OPEN, staff_reply_minutes=60
    )
    machine = f"{platform.machine()}, {os.cpu_count()} cores"
    return [
        HEADING,
        "",
        f"{CASES} cases open, each a topic in the staff forum group; staff write in every topic "
        f"in turn, {RATE} messages/s in all, {result['messages']} messages. Measured from the "
        "update being queued at the fake Bot API to the `sendMessage` to the person (real PTB "
        f"long polling, real services and SQLite, {machine}; Telegram's network time excluded).",
        "",
        "| measure | result | target |",
        "|---|---|---|",
        f"| staff message → person, p50 | {result['p50_ms']:.1f} ms | — |",
        f"| staff message → person, p99 | {result['p99_ms']:.1f} ms | ≤ 250 ms |",
        "",
    ]


def write(lines: list[str]) -> None:
    replace_section(HEADING, lines)


if __name__ == "__main__":
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    from bot.nlu.rasa_agent import quiet_rasa

    quiet_rasa()
    lines = section()
    write(lines)
    print("\n".join(lines))
