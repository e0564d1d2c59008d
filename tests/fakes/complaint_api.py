"""The reference complaint API server on 127.0.0.1 (real HTTP), run in a background thread.

Tests talk to it through the real client; they read its SQLite file (`complaints()`) to check
that a complaint was created exactly once, and play the officer with `set_status()`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from aiohttp import web

from bot.complaint_api.server import ComplaintStore, Faults, Handler, build_app
from tests.fakes.loopback import LoopbackServer

TOKEN = "complaint-api-test-token"  # noqa: S105 - fake


@dataclass
class ComplaintApiServer:
    db_path: Path
    token: str | None = TOKEN
    faults: Faults = field(default_factory=Faults)

    def __post_init__(self) -> None:
        app = build_app(self.db_path, self.token, faults=self.faults)
        app.middlewares.insert(0, self._count)
        self.finished = 0  # requests that have run to their end, even if their client left
        self._server = LoopbackServer(app)

    @web.middleware
    async def _count(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            return await handler(request)
        finally:
            self.finished += 1

    @property
    def port(self) -> int:
        return self._server.port

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
