"""What the privacy answer promises about time: an unfinished report is erased after 7 days, and
the message ids kept for the quick exit after 48 hours, whether or not the person comes back."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

from bot.app import retention
from bot.core.identity import UserKey
from bot.core.languages import Language
from bot.core.session import Session
from bot.settings import Settings
from bot.storage.chat_log import SqliteChatLog
from bot.storage.database import open_database
from bot.storage.sessions import SqliteSessionStore
from tests.support.people import person

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc)


def half_written_report(store: SqliteSessionStore, user_key: UserKey, days_ago: float) -> None:
    language: Language = "ms"
    session = Session(user_key, chosen_language=language)
    session.flow = "report"
    session.flow_state = {
        "description": f"Penipu ambil RM900 dari {user_key}",
        "phone": "0198765432",
    }
    store.save(session)
    when = (NOW - timedelta(days=days_ago)).isoformat()
    store._db.execute(
        "UPDATE sessions SET updated_at = ? WHERE user_key = ?", [when, str(user_key)]
    )
    store._db.conn.commit()


def test_a_report_left_half_way_for_a_week_is_erased_but_the_language_stays(
    tmp_path: Path,
) -> None:
    db = open_database(tmp_path / "data" / "waspada.db")
    sessions = SqliteSessionStore(db)
    half_written_report(sessions, person(1), days_ago=7.1)
    half_written_report(sessions, person(2), days_ago=6.9)
    settings = Settings.from_env({"WASPADA_DATA_DIR": str(tmp_path / "data")})
    swept = {sweep.name: sweep.run(NOW) for sweep in retention(db, settings)}
    assert swept["unfinished reports dropped"] == 1
    old, recent = sessions.load(person(1)), sessions.load(person(2))
    assert (old.flow, old.flow_state, old.chosen_language) == (None, {}, "ms")
    assert recent.flow == "report"
    assert "RM900 dari telegram:2" in json.dumps(recent.flow_state)
    data = b"".join(p.read_bytes() for p in (tmp_path / "data").iterdir())
    assert b"RM900 dari telegram:1" not in data


def test_message_ids_older_than_48_hours_go_even_without_a_quick_exit(tmp_path: Path) -> None:
    db = open_database(tmp_path / "data" / "waspada.db")
    log = SqliteChatLog(db)
    log.record(5, 1, at=NOW - timedelta(hours=49))
    log.record(5, 2, at=NOW - timedelta(hours=47))
    settings = Settings.from_env(
        {"WASPADA_DATA_DIR": str(tmp_path / "data"), "WASPADA_CHAT_LOG_HOURS": "24"}
    )
    swept = {sweep.name: sweep.run(NOW) for sweep in retention(db, settings)}
    assert swept["chat message ids dropped"] == 2
    assert db.execute("SELECT count(*) FROM chat_messages").fetchone()[0] == 0


def test_retention_periods_are_settings_with_kind_errors() -> None:
    settings = Settings.from_env({"WASPADA_DRAFT_DAYS": "3", "WASPADA_CHAT_LOG_HOURS": "12"})
    assert (settings.draft_days, settings.chat_log_hours) == (3, 12)
    defaults = Settings.from_env({})
    assert (defaults.draft_days, defaults.chat_log_hours) == (7, 48)


def test_a_retention_period_that_is_not_a_number_is_named() -> None:
    import pytest

    from bot.errors import ConfigError

    with pytest.raises(ConfigError) as raised:
        Settings.from_env({"WASPADA_DRAFT_DAYS": "seven"})
    assert "WASPADA_DRAFT_DAYS must be a whole number above 0 (default 7)." in str(raised.value)
