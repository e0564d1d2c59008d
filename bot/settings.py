"""Settings are read from the environment once, in `__main__`; tests build `Settings` directly."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from urllib.parse import urlparse

from bot.core.office_hours import OfficeHours
from bot.core.secret import Secret
from bot.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
_TOKEN = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{20,}$")
_WEBHOOK_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# The numbers a deployment may tune, and their environment variables. Each default is written
# once, on the Settings field below.
NUMBER_SETTINGS = {
    "reports_per_day": "WASPADA_REPORTS_PER_DAY",
    "retention_days": "WASPADA_RETENTION_DAYS",
    "draft_days": "WASPADA_DRAFT_DAYS",
    "chat_log_hours": "WASPADA_CHAT_LOG_HOURS",
    "alert_after_minutes": "WASPADA_ALERT_AFTER_MINUTES",
    "status_poll_seconds": "WASPADA_STATUS_POLL_SECONDS",
    "flood_messages": "WASPADA_FLOOD_MESSAGES",
    "flood_presses": "WASPADA_FLOOD_PRESSES",
    "alerts_per_second": "WASPADA_ALERTS_PER_SECOND",
    "alerts_reserve": "WASPADA_ALERTS_RESERVE",
    "alerts_chat_gap_seconds": "WASPADA_ALERTS_CHAT_GAP_SECONDS",
    "staff_reply_minutes": "WASPADA_STAFF_REPLY_MINUTES",
    "outbox_lease_seconds": "WASPADA_OUTBOX_LEASE_SECONDS",
}


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    telegram_token: Secret | None = None
    telegram_api_base_url: str | None = None
    project_root: Path = PROJECT_ROOT
    responses_override: Path | None = None
    telegram_webhook_secret: Secret | None = None
    complaint_api_url: str | None = None
    complaint_api_token: Secret | None = None
    secret_key: Secret | None = None
    reports_per_day: int = 5
    retention_days: int = 30
    # Unfinished reports (and their screenshots), and the message ids kept for the quick exit.
    draft_days: int = 7
    chat_log_hours: int = 48
    alert_after_minutes: int = 30
    status_poll_seconds: int = 300
    # The flood policy (bot/core/flood.py): messages and button presses per 10 s per person.
    flood_messages: int = 8
    flood_presses: int = 20
    # Scam alerts (bot/core/pacing.py): Telegram's overall cap, the sends per second kept free
    # for chat replies during a broadcast, and the gap between two messages to one chat.
    alerts_per_second: int = 30
    alerts_reserve: int = 5
    alerts_chat_gap_seconds: int = 1
    admin_chat_ids: tuple[int, ...] = ()
    # Talk to a person (bot/core/handoff.py): the staff forum group, who may answer there (all
    # its members when empty), whether people see staff names, and the office hours.
    staff_chat_id: int | None = None
    staff_user_ids: tuple[int, ...] = ()
    staff_show_names: bool = False
    staff_hours: OfficeHours = field(default_factory=OfficeHours)
    # Office minutes without a staff reply before the person is told (the case stays open).
    staff_reply_minutes: int = 10
    # The NLU as a service (`waspada nlu serve`): this process then never loads Rasa.
    nlu_url: str | None = None
    nlu_token: Secret | None = None
    # Another nlu/ folder than the release's (tests: a temporary copy the console may write to).
    nlu_override: Path | None = None
    # PostgreSQL as the store several replicas share (bot/storage/postgres/); without it, the
    # SQLite file in data_dir. A Secret: the URL may carry a password.
    database_url: Secret | None = None
    # PostgreSQL only: how long a replica's claim on a report it is delivering keeps the others
    # off it. A replica that dies mid-delivery leaves the report to the others after this.
    outbox_lease_seconds: int = 300

    @property
    def postgres_url(self) -> str | None:
        return self.database_url.reveal() if self.database_url else None

    @property
    def db_path(self) -> Path:
        return self.data_dir / "waspada.db"

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"

    @property
    def nlu_dir(self) -> Path:
        return self.nlu_override or self.project_root / "nlu"

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
        token = _telegram_token(env, need_telegram, problems)
        base_url = _telegram_base_url(env, problems)
        webhook_secret = env.get("TELEGRAM_WEBHOOK_SECRET", "").strip()
        if webhook_secret and not _WEBHOOK_SECRET.match(webhook_secret):
            problems.append(
                "TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and - "
                "(Telegram's rule for secret_token)."
            )
        complaint_url = _complaint_url(env, problems)
        nlu_url = _service_url(env, "WASPADA_NLU_URL", "people's messages", problems)
        secret_key = env.get("WASPADA_SECRET_KEY", "").strip()
        if secret_key and len(secret_key) < 16:
            problems.append("WASPADA_SECRET_KEY must be at least 16 characters long.")
        database_url = _database_url(env, problems)
        numbers = _numbers(env, problems)
        admins = _admin_chats(env, problems)
        staff_chat, staff_ids, hours = _staff(env, problems)
        responses = env.get("WASPADA_RESPONSES_DIR", "").strip()
        if responses and not Path(responses).is_dir():
            problems.append(f"WASPADA_RESPONSES_DIR={responses} is not a folder of answer files.")
        problems += _alert_pace_problems(numbers)
        if problems:
            raise ConfigError(problems)
        complaint_token = env.get("COMPLAINT_API_TOKEN", "").strip()
        return cls(
            data_dir=data_dir,
            telegram_token=Secret(token) if token else None,
            telegram_api_base_url=base_url,
            responses_override=Path(responses) if responses else None,
            telegram_webhook_secret=Secret(webhook_secret) if webhook_secret else None,
            complaint_api_url=complaint_url,
            nlu_url=nlu_url,
            nlu_token=Secret(nlu_token)
            if (nlu_token := env.get("WASPADA_NLU_TOKEN", "").strip())
            else None,
            complaint_api_token=Secret(complaint_token) if complaint_token else None,
            secret_key=Secret(secret_key) if secret_key else None,
            database_url=Secret(database_url) if database_url else None,
            admin_chat_ids=admins,
            staff_chat_id=staff_chat,
            staff_user_ids=staff_ids,
            staff_show_names=env.get("WASPADA_STAFF_SHOW_NAMES", "").strip().lower()
            in ("1", "on", "true", "yes"),
            staff_hours=hours,
            staff_reply_minutes=numbers["staff_reply_minutes"],
            reports_per_day=numbers["reports_per_day"],
            retention_days=numbers["retention_days"],
            draft_days=numbers["draft_days"],
            chat_log_hours=numbers["chat_log_hours"],
            alert_after_minutes=numbers["alert_after_minutes"],
            status_poll_seconds=numbers["status_poll_seconds"],
            flood_messages=numbers["flood_messages"],
            flood_presses=numbers["flood_presses"],
            alerts_per_second=numbers["alerts_per_second"],
            alerts_reserve=numbers["alerts_reserve"],
            alerts_chat_gap_seconds=numbers["alerts_chat_gap_seconds"],
            outbox_lease_seconds=numbers["outbox_lease_seconds"],
        )


def _telegram_token(env: Mapping[str, str], needed: bool, problems: list[str]) -> str:
    token = env.get("TELEGRAM_BOT_TOKEN", "").strip()
    if needed and not token:
        problems.append(
            "TELEGRAM_BOT_TOKEN is not set. Create a bot with @BotFather and put its "
            "token in TELEGRAM_BOT_TOKEN (or run `waspada chat` for the terminal)."
        )
    elif token and not _TOKEN.match(token):
        problems.append("TELEGRAM_BOT_TOKEN does not look like a bot token (expected 123456:ABC…).")
    return token


def _telegram_base_url(env: Mapping[str, str], problems: list[str]) -> str | None:
    base_url = env.get("TELEGRAM_API_BASE_URL", "").strip() or None
    if base_url:
        parsed = urlparse(base_url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            problems.append(
                "TELEGRAM_API_BASE_URL must be an http(s) URL such as http://127.0.0.1:8081/bot."
            )
    return base_url


def _service_url(env: Mapping[str, str], name: str, what: str, problems: list[str]) -> str | None:
    """An http(s) URL, in clear text only on loopback or where `<name>_ALLOW_HTTP=1`."""
    url = env.get(name, "").strip().rstrip("/") or None
    if not url:
        return None
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        problems.append(f"{name} must be an http(s) URL such as http://127.0.0.1:5005.")
    elif (
        parsed.scheme == "http"
        and not _is_loopback(parsed.hostname or "")
        and env.get(f"{name}_ALLOW_HTTP", "").strip() != "1"
    ):
        problems.append(
            f"{name} must use https: {what} would travel in clear text. (http is allowed on "
            f"127.0.0.1, ::1 and localhost, or anywhere with {name}_ALLOW_HTTP=1, for "
            "example inside a private network.)"
        )
    return url


def _complaint_url(env: Mapping[str, str], problems: list[str]) -> str | None:
    url = env.get("COMPLAINT_API_URL", "").strip().rstrip("/") or None
    if not url:
        return None
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        problems.append("COMPLAINT_API_URL must be an http(s) URL such as http://127.0.0.1:8765.")
    elif (
        parsed.scheme == "http"
        and not _is_loopback(parsed.hostname or "")
        and env.get("COMPLAINT_API_ALLOW_HTTP", "").strip() != "1"
    ):
        problems.append(
            "COMPLAINT_API_URL must use https: the token and people's reports would "
            "travel in clear text. (http is allowed on 127.0.0.1, ::1 and localhost, or "
            "anywhere with COMPLAINT_API_ALLOW_HTTP=1, for example inside a private "
            "network.)"
        )
    return url


def _database_url(env: Mapping[str, str], problems: list[str]) -> str:
    url = env.get("WASPADA_DATABASE_URL", "").strip()
    if url and not url.startswith(("postgresql://", "postgres://")):
        problems.append(
            "WASPADA_DATABASE_URL must be a PostgreSQL URL such as "
            "postgresql://waspada@db.internal/waspada (leave it unset for SQLite in "
            "WASPADA_DATA_DIR)."
        )
    return url


def _numbers(env: Mapping[str, str], problems: list[str]) -> dict[str, int]:
    numbers: dict[str, int] = {}
    for field_name, name in NUMBER_SETTINGS.items():
        default = int(_DEFAULTS[field_name])
        raw = env.get(name, "").strip()
        if not raw:
            numbers[field_name] = default
        elif raw.isdigit() and int(raw) > 0:
            numbers[field_name] = int(raw)
        else:
            numbers[field_name] = default
            problems.append(f"{name} must be a whole number above 0 (default {default}).")
    return numbers


def _alert_pace_problems(numbers: dict[str, int]) -> list[str]:
    if numbers["alerts_reserve"] < numbers["alerts_per_second"]:
        return []
    return [
        "WASPADA_ALERTS_RESERVE must be below WASPADA_ALERTS_PER_SECOND, or no alert could "
        "ever be sent."
    ]


def _admin_chats(env: Mapping[str, str], problems: list[str]) -> tuple[int, ...]:
    raw = env.get("WASPADA_ADMIN_CHAT_IDS", "").replace(" ", "")
    try:
        return tuple(int(part) for part in raw.split(",") if part)
    except ValueError:
        problems.append("WASPADA_ADMIN_CHAT_IDS must be Telegram chat ids separated by commas.")
        return ()


def _staff(
    env: Mapping[str, str], problems: list[str]
) -> tuple[int | None, tuple[int, ...], OfficeHours]:
    chat = env.get("WASPADA_STAFF_CHAT_ID", "").strip()
    chat_id: int | None = None
    if chat:
        try:
            chat_id = int(chat)
        except ValueError:
            problems.append(
                "WASPADA_STAFF_CHAT_ID must be the staff group's chat id, such as -1001234567890."
            )
    raw = env.get("WASPADA_STAFF_USER_IDS", "").replace(" ", "")
    try:
        staff_ids = tuple(int(part) for part in raw.split(",") if part)
    except ValueError:
        problems.append("WASPADA_STAFF_USER_IDS must be Telegram user ids separated by commas.")
        staff_ids = ()
    try:
        hours = OfficeHours.parse(
            env.get("WASPADA_STAFF_HOURS", "").strip() or "08:30-17:30",
            env.get("WASPADA_STAFF_DAYS", "").strip() or "mon-fri",
        )
    except ValueError as error:
        problems.append(str(error))
        hours = OfficeHours()
    return chat_id, staff_ids, hours


_DEFAULTS = {f.name: f.default for f in fields(Settings) if isinstance(f.default, int)}
