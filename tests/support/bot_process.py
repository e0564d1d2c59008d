"""The bot as its own process (`waspada run`) against the fake Telegram API."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.fakes.telegram_api import FakeTelegramApi

WASPADA = str(Path(sys.executable).with_name("waspada"))


def start_bot(
    telegram: FakeTelegramApi, data_dir: Path, *args: str, model_inside: bool = False, **env: str
) -> subprocess.Popen[str]:
    """Starts `waspada run`; returns once it polls Telegram or has set its webhook.

    It asks the shared NLU server when the story uses `nlu_as_a_service`, unless `model_inside`
    asks for `make run` as a newcomer has it: the model loaded in the bot."""
    environment = {
        **os.environ,
        "WASPADA_DATA_DIR": str(data_dir),
        "TELEGRAM_BOT_TOKEN": telegram.token,
        "TELEGRAM_API_BASE_URL": telegram.base_url,
        **env,
    }
    if model_inside:
        environment.pop("WASPADA_NLU_URL", None)
    process = subprocess.Popen(
        [WASPADA, "run", *args],
        env=environment,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    calls_before = len(telegram.calls)
    deadline = time.monotonic() + 120
    while not {"getUpdates", "setWebhook"} & set(telegram.calls[calls_before:]):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the bot did not start:\n{process.communicate()[0][-2000:]}")
        time.sleep(0.1)
    return process


def stop_bot(process: subprocess.Popen[str], telegram: FakeTelegramApi) -> str:
    """SIGTERM, as a service manager stops it; the bot must exit cleanly and never log secrets."""
    process.send_signal(signal.SIGTERM)
    try:
        output, _ = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
        pytest.fail(f"the bot did not stop within 30 s:\n{output[-2000:]}")
    assert telegram.token.split(":")[1] not in output, "the bot token leaked into the logs"
    assert process.returncode == 0, output[-2000:]
    return output
