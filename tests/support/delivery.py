"""What delivery tests share: admins' alerts as a list, and the environment of a CLI dispatcher."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from tests.fakes.complaint_api import TOKEN


@dataclass
class RecordingAlerts:
    texts: list[str] = field(default_factory=list)

    async def alert(self, text: str) -> None:
        self.texts.append(text)


def cli_env(data_dir: Path, base_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WASPADA_", "COMPLAINT_"))}
    env.update(
        WASPADA_DATA_DIR=str(data_dir),
        COMPLAINT_API_URL=base_url,
        COMPLAINT_API_TOKEN=TOKEN,
        TELEGRAM_BOT_TOKEN="",
    )
    return env
