from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.nlu.rasa_agent import RasaAgentNlu
from bot.nlu.training import current_model
from bot.settings import PROJECT_ROOT
from tests.fakes.complaint_api import ComplaintApiServer
from tests.fakes.telegram_api import FakeTelegramApi
from tests.support.telegram_reporter import launch  # noqa: F401 - a fixture for the e2e tests

# Shared fixtures (the console's server and browser, PostgreSQL, one NLU server), for every
# module that names them.
pytest_plugins = [
    "tests.support.console_browser",
    "tests.support.postgres",
    "tests.support.nlu_server",
]

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


@pytest.fixture(scope="session")
def models_dir() -> Path:
    """The model `make setup` trained (tests never retrain: that is the setup's job)."""
    return Path(os.environ.get("WASPADA_DATA_DIR", PROJECT_ROOT / "var")) / "models"


@pytest.fixture(scope="session")
def trained_model(models_dir: Path) -> Path:
    return current_model(PROJECT_ROOT / "nlu", models_dir)


@pytest.fixture(scope="session")
def rasa_nlu(trained_model: Path) -> Iterator[RasaAgentNlu]:
    nlu = RasaAgentNlu.load(trained_model)
    yield nlu
    nlu.close()


@pytest.fixture
def data_dir(tmp_path: Path, models_dir: Path) -> Path:
    """A fresh WASPADA_DATA_DIR that shares the trained model, for subprocess tests."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "models").symlink_to(models_dir.resolve(), target_is_directory=True)
    return data


@pytest.fixture
def telegram() -> Iterator[FakeTelegramApi]:
    """The fake Bot API on 127.0.0.1, for PTB's `base_url`."""
    api = FakeTelegramApi().start()
    yield api
    api.stop()


@pytest.fixture
def complaint_api(tmp_path: Path) -> Iterator[ComplaintApiServer]:
    """The reference complaint API on 127.0.0.1, with its own SQLite file."""
    server = ComplaintApiServer(tmp_path / "complaint-api" / "complaints.db").start()
    yield server
    server.stop()
