"""Telling the people who run Waspada that delivery needs them.

An alert says which reports (by reference) and what the API answered, never what a report
says, links to or who sent it: admin chats and logs are not places for personal data.
"""

from __future__ import annotations

import logging
from typing import Protocol

log = logging.getLogger(__name__)


class Alerts(Protocol):
    async def alert(self, text: str) -> None: ...


class LogAlerts:
    """Alerts as ERROR log lines, for `waspada outbox deliver` and until an admin chat is set."""

    async def alert(self, text: str) -> None:
        log.error("ALERT: %s", text)
