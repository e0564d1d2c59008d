"""`waspada nlu serve` as its own process on a loopback port, for the tests that run the NLU as
a service (one bot, or several replicas sharing it)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

WASPADA = str(Path(sys.executable).with_name("waspada"))


def serve(data_dir: Path, port: int) -> subprocess.Popen[str]:
    """Returns once the server answers /status (the model is loaded)."""
    process = subprocess.Popen(
        [WASPADA, "nlu", "serve", "--port", str(port)],
        env={**os.environ, "WASPADA_DATA_DIR": str(data_dir)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 180
    while not answers_status(port):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the NLU server did not start:\n{process.communicate()[0][-2000:]}")
        time.sleep(0.2)
    return process


def answers_status(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/status", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def stop(process: subprocess.Popen[str]) -> str:
    process.terminate()
    try:
        return process.communicate(timeout=30)[0]
    except subprocess.TimeoutExpired:
        process.kill()
        return process.communicate()[0]
