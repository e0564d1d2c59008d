"""`waspada nlu serve` as its own process on a loopback port, for the tests that run the NLU as
a service (one bot, or several replicas sharing it).

Most end-to-end stories are about the bot, not where its model runs. They share one server
(`shared_nlu_url`), so each `waspada run` or `waspada chat` starts in seconds instead of loading
Rasa itself, as a deployed replica does (docs/deploy.md). The stories of `make run` itself keep
the model in-process."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.ports import free_port

WASPADA = str(Path(sys.executable).with_name("waspada"))


@pytest.fixture(scope="session")
def shared_nlu_url(tmp_path_factory: pytest.TempPathFactory, models_dir: Path) -> Iterator[str]:
    """Started by the first story that asks for it, stopped after the last."""
    data = tmp_path_factory.mktemp("shared-nlu")
    (data / "models").symlink_to(models_dir.resolve(), target_is_directory=True)
    port = free_port()
    process = serve(data, port)
    yield f"http://127.0.0.1:{port}"
    stop(process)


@pytest.fixture
def nlu_as_a_service(monkeypatch: pytest.MonkeyPatch, shared_nlu_url: str) -> str:
    """Every bot or chat the story starts inherits WASPADA_NLU_URL and asks the shared server."""
    monkeypatch.setenv("WASPADA_NLU_URL", shared_nlu_url)
    return shared_nlu_url


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
