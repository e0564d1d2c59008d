"""Settings are read from the environment once, in `__main__`; tests build `Settings` directly."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from bot.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
_TOKEN = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{20,}$")


class Secret:
    """Keeps a secret out of reprs, logs and tracebacks."""

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    telegram_token: Secret | None = None
    telegram_api_base_url: str | None = None
    project_root: Path = PROJECT_ROOT
    responses_override: Path | None = None

    @property
    def db_path(self) -> Path:
        return self.data_dir / "waspada.db"

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"

    @property
    def nlu_dir(self) -> Path:
        return self.project_root / "nlu"

    @property
    def responses_dir(self) -> Path:
        return self.responses_override or self.project_root / "responses"

    @property
    def thresholds_file(self) -> Path:
        return self.nlu_dir / "thresholds.yml"

    @property
    def heldout_dir(self) -> Path:
        return self.nlu_dir / "tests"

    @property
    def reports_dir(self) -> Path:
        return self.data_dir / "reports"

    @property
    def locales_dir(self) -> Path:
        return self.project_root / "locales"

    @classmethod
    def from_env(cls, env: Mapping[str, str], *, need_telegram: bool = False) -> Settings:
        """Collects every problem before failing, so one run tells the person all they must fix."""
        problems: list[str] = []
        data_dir = Path(env.get("WASPADA_DATA_DIR") or "var").expanduser()
        if data_dir.exists() and not data_dir.is_dir():
            problems.append(f"WASPADA_DATA_DIR={data_dir} exists but is not a folder.")

        token_text = env.get("TELEGRAM_BOT_TOKEN", "").strip()
        if need_telegram and not token_text:
            problems.append(
                "TELEGRAM_BOT_TOKEN is not set. Create a bot with @BotFather and put its "
                "token in TELEGRAM_BOT_TOKEN (or run `waspada chat` for the terminal)."
            )
        elif token_text and not _TOKEN.match(token_text):
            problems.append(
                "TELEGRAM_BOT_TOKEN does not look like a bot token (expected 123456:ABC…)."
            )

        base_url = env.get("TELEGRAM_API_BASE_URL", "").strip() or None
        if base_url:
            parsed = urlparse(base_url)
            if parsed.scheme not in ("http", "https") or not parsed.netloc:
                problems.append(
                    "TELEGRAM_API_BASE_URL must be an http(s) URL such as "
                    "http://127.0.0.1:8081/bot."
                )
        responses = env.get("WASPADA_RESPONSES_DIR", "").strip()
        if responses and not Path(responses).is_dir():
            problems.append(f"WASPADA_RESPONSES_DIR={responses} is not a folder of answer files.")
        if problems:
            raise ConfigError(problems)
        return cls(
            data_dir=data_dir,
            telegram_token=Secret(token_text) if token_text else None,
            telegram_api_base_url=base_url,
            responses_override=Path(responses) if responses else None,
        )
