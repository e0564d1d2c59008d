"""The deployment examples in docs/deploy/ cannot run here (no docker, no systemd), so they are
checked for what can go stale: each parses, runs only `waspada` commands that exist, and sets
only environment variables the bot reads (a misspelt one would be silently ignored)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import yaml

from bot.__main__ import build_parser
from bot.settings import PROJECT_ROOT

DEPLOY = PROJECT_ROOT / "docs" / "deploy"
SETTINGS_SOURCE = (PROJECT_ROOT / "bot" / "settings.py").read_text(encoding="utf-8")
# Read by libraries, not by bot/settings.py.
LIBRARY_VARIABLES = {"RASA_TELEMETRY_ENABLED"}


def read_by_the_bot(name: str) -> bool:
    """Named in bot/settings.py, or `<a URL setting>_ALLOW_HTTP`, which it builds from the name."""
    base = name.removesuffix("_ALLOW_HTTP")
    built = base != name and "{name}_ALLOW_HTTP" in SETTINGS_SOURCE
    return (f'"{base}"' in SETTINGS_SOURCE and (built or base == name)) or name in LIBRARY_VARIABLES


def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((DEPLOY / "compose.yml").read_text(encoding="utf-8"))
    return data


def waspada_services() -> dict[str, dict[str, Any]]:
    return {
        name: service
        for name, service in compose()["services"].items()
        if service.get("command", [""])[0] == "waspada"
    }


def test_compose_runs_two_bot_replicas_one_nlu_server_postgres_and_a_proxy() -> None:
    services = compose()["services"]
    bots = [s for s in waspada_services().values() if s["command"][1] == "run"]
    assert len(bots) == 2
    assert {"postgres", "nlu", "proxy"} <= set(services)
    for bot in bots:
        assert "/healthz" in " ".join(bot["healthcheck"]["test"])
        assert bot["environment"]["WASPADA_NLU_URL"] == "http://nlu:5005"
        assert bot["environment"]["WASPADA_DATABASE_URL"].startswith("postgresql://")
    caddyfile = (DEPLOY / "Caddyfile").read_text(encoding="utf-8")
    assert "health_uri /readyz" in caddyfile and "bot-a:8443 bot-b:8443" in caddyfile


def test_compose_names_only_commands_and_settings_that_exist() -> None:
    for name, service in waspada_services().items():
        build_parser().parse_args(service["command"][1:])  # exits on an unknown command
        unknown = [v for v in service["environment"] if not read_by_the_bot(v)]
        assert unknown == [], f"{name} sets variables the bot never reads"


def test_systemd_units_name_only_commands_and_settings_that_exist() -> None:
    units = sorted(DEPLOY.glob("*.service"))
    assert [u.name for u in units] == ["waspada-nlu.service", "waspada@.service"]
    for unit in units:
        text = unit.read_text(encoding="utf-8")
        [start] = re.findall(r"^ExecStart=(.+)$", text, re.MULTILINE)
        command = shlex.split(start.replace("%i", "8443"))
        assert Path(command[0]).name == "waspada"
        build_parser().parse_args(command[1:])
        for line in re.findall(r"^Environment=(.+)$", text, re.MULTILINE):
            for name in (pair.split("=")[0] for pair in line.split()):
                assert read_by_the_bot(name), f"{unit.name} sets {name}, never read"
        for name in re.findall(r"\b((?:WASPADA|TELEGRAM|COMPLAINT_API)_[A-Z_]+)\b", text):
            assert read_by_the_bot(name), f"{unit.name} names {name}, never read"


def test_deploy_guide_points_at_the_examples() -> None:
    guide = (PROJECT_ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    for example in ("compose.yml", "Caddyfile", "waspada@.service", "waspada-nlu.service"):
        assert f"deploy/{example}" in guide
