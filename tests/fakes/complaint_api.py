"""The reference complaint API server on 127.0.0.1 (real HTTP), run in a background thread.

Tests talk to it through the real client; they read its SQLite file (`complaints()`) to check
that a complaint was created exactly once, and play the officer with `set_status()`.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from aiohttp import web

from bot.complaint_api.server import ComplaintStore, Faults, build_app

TOKEN = "complaint-api-test-token"  # noqa: S105 - fake


class LoopbackServer:
    """Any aiohttp app, served on a free port of 127.0.0.1 from its own event-loop thread."""

    def __init__(self, app: web.Application) -> None:
        self._app = app
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._runner: web.AppRunner | None = None
        self.port = 0

    def start(self) -> LoopbackServer:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)
        return self

    async def _start(self) -> None:
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        self._runner = web.AppRunner(self._app, access_log=None)
        await self._runner.setup()
        await web.SockSite(self._runner, sock, shutdown_timeout=2).start()

    def stop(self) -> None:
        """Safe to call twice: a test may stop the server to restart it, then the fixture does."""
        if self._loop.is_closed():
            return
        if self._runner:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._loop.close()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class ComplaintApiServer:
    db_path: Path
    token: str | None = TOKEN
    faults: Faults = field(default_factory=Faults)

    def __post_init__(self) -> None:
        self._server = LoopbackServer(build_app(self.db_path, self.token, faults=self.faults))

    def start(self) -> ComplaintApiServer:
        self._server.start()
        return self

    def stop(self) -> None:
        self._server.stop()

    @property
    def base_url(self) -> str:
        return self._server.base_url

    def complaints(self, report_id: str | None = None) -> int:
        store = ComplaintStore.open(self.db_path)
        try:
            return store.count(report_id)
        finally:
            store.close()

    def evidence(self, complaint_id: str) -> list[dict[str, Any]]:
        """What the officer received: one row per screenshot (id, type, size, sha256)."""
        store = ComplaintStore.open(self.db_path)
        try:
            return store.evidence_of(complaint_id)
        finally:
            store.close()

    def all_complaints(self) -> list[dict[str, Any]]:
        return self._read(lambda store: list(store.db.query("SELECT * FROM complaints")))

    def all_evidence(self) -> list[dict[str, Any]]:
        return self._read(lambda store: list(store.db.query("SELECT * FROM evidence")))

    def _read(
        self, query: Callable[[ComplaintStore], list[dict[str, Any]]]
    ) -> list[dict[str, Any]]:
        store = ComplaintStore.open(self.db_path)
        try:
            return query(store)
        finally:
            store.close()

    def complaint_for(self, report_id: str) -> dict[str, Any] | None:
        store = ComplaintStore.open(self.db_path)
        try:
            return store.complaint_for_report(report_id)
        finally:
            store.close()

    def set_status(self, complaint_id: str, status: str) -> None:
        response = httpx.post(
            f"{self.base_url}/v1/complaints/{complaint_id}/status",
            json={"status": status},
            headers={"Authorization": f"Bearer {self.token or 'dev'}"},
        )
        response.raise_for_status()
