"""Settings that protect people's data are refused when they are unsafe, with the reason."""

from __future__ import annotations

import pytest

from bot.errors import ConfigError
from bot.settings import Settings


@pytest.mark.parametrize(
    "url",
    [
        "https://aduan.example.gov.my/api",
        "http://127.0.0.1:8765",
        "http://[::1]:8765",
        "http://localhost:9",
    ],
)
def test_the_complaint_api_may_be_https_anywhere_or_http_on_this_machine(url: str) -> None:
    assert Settings.from_env({"COMPLAINT_API_URL": url}).complaint_api_url == url


@pytest.mark.parametrize("url", ["http://aduan.example.gov.my/api", "http://10.0.0.5:8765"])
def test_plain_http_to_another_machine_is_refused_unless_explicitly_allowed(url: str) -> None:
    with pytest.raises(ConfigError) as refused:
        Settings.from_env({"COMPLAINT_API_URL": url})
    assert "COMPLAINT_API_URL must use https" in str(refused.value)
    allowed = Settings.from_env({"COMPLAINT_API_URL": url, "COMPLAINT_API_ALLOW_HTTP": "1"})
    assert allowed.complaint_api_url == url


def test_every_tunable_number_has_one_default_and_one_variable() -> None:
    """A deployment can set each number; leaving it out gives the one default on `Settings`."""
    from bot.settings import NUMBER_SETTINGS

    defaults = Settings.from_env({})
    values = {field: 100 - index for index, field in enumerate(NUMBER_SETTINGS)}
    tuned = Settings.from_env({NUMBER_SETTINGS[f]: str(v) for f, v in values.items()})
    for field in NUMBER_SETTINGS:
        assert getattr(defaults, field) == getattr(Settings(data_dir=defaults.data_dir), field)
        assert getattr(tuned, field) == values[field], field


def test_an_alert_pace_that_leaves_nothing_for_alerts_is_refused() -> None:
    with pytest.raises(ConfigError, match="WASPADA_ALERTS_RESERVE must be below"):
        Settings.from_env({"WASPADA_ALERTS_PER_SECOND": "5", "WASPADA_ALERTS_RESERVE": "5"})
