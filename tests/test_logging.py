"""Logs never carry what people wrote, their contact details or tokens."""

from __future__ import annotations

import io
import logging

import pytest

from bot.logging_setup import configure_logging


@pytest.fixture
def logs() -> io.StringIO:
    """What the bot's own log handler writes, with its filters."""
    configure_logging()
    written = io.StringIO()
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(written)
    return written


def test_an_update_ptb_cannot_parse_is_not_logged_with_the_persons_words(
    logs: io.StringIO,
) -> None:
    data = {"update_id": 1, "message": {"text": "suami sy ugut nak bunuh sy malam ni"}}
    try:
        raise ValueError(f"bad update {data}")
    except ValueError as error:
        logging.getLogger("telegram.ext._utils.webhookhandler").critical(
            "Something went wrong processing the data received from Telegram. "
            "Received data was *not* processed! Received data was: %r",
            data,
            exc_info=error,
        )
    written = logs.getvalue()
    assert "could not be read; its contents are not logged" in written
    assert "ugut" not in written


def test_contact_details_and_tokens_are_masked(logs: io.StringIO) -> None:
    logging.getLogger("bot.test").warning(
        "failed for %s %s with bot123456:%s", "siti@example.com", "012-345 6789", "A" * 35
    )
    written = logs.getvalue()
    assert "siti@example.com" not in written and "345 6789" not in written
    assert "A" * 35 not in written
