"""Measures the NLU as the bot uses it: model load time, warm parse latency, memory."""

from __future__ import annotations

import os
import platform
import resource
import statistics
import time
from datetime import datetime, timezone
from pathlib import Path

from bot.nlu.rasa_agent import RasaAgentNlu
from bot.nlu.training import current_model
from bot.settings import PROJECT_ROOT
from tests.heldout import all_cases

REPORT = PROJECT_ROOT / "docs" / "benchmarks.md"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    data_dir = Path(os.environ.get("WASPADA_DATA_DIR", PROJECT_ROOT / "var"))
    model = current_model(PROJECT_ROOT / "nlu", data_dir / "models")
    started = time.perf_counter()
    nlu = RasaAgentNlu.load(model)
    load_s = time.perf_counter() - started
    texts = [case.text for case in all_cases()]
    for text in texts[:20]:
        nlu.parse_sync(text)
    latencies = []
    for _ in range(3):
        for text in texts:
            t0 = time.perf_counter()
            nlu.parse_sync(text)
            latencies.append((time.perf_counter() - t0) * 1000)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = [
        ("Model", f"{model.name} ({model.stat().st_size / 1e6:.1f} MB)"),
        ("Model load", f"{load_s:.1f} s"),
        ("Parses measured", str(len(latencies))),
        ("Parse p50", f"{statistics.median(latencies):.1f} ms"),
        ("Parse p99", f"{percentile(latencies, 0.99):.1f} ms"),
        ("Peak RSS after load and parsing", f"{rss_mb:.0f} MB"),
    ]
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    table = "\n".join(f"| {name} | {value} |" for name, value in rows)
    REPORT.write_text(
        "# Benchmarks\n\nWritten by `make bench`; do not edit by hand.\n\n"
        f"## NLU in-process (RasaAgentNlu, warm)\n\n{when} on {machine}.\n\n"
        f"| measure | value |\n|---|---|\n{table}\n",
        encoding="utf-8",
    )
    print(REPORT.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
