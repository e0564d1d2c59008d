"""A real PTB Application behind the bot's own webhook server, in this process, on a free
loopback port: what `waspada run --webhook-url` serves, without starting a process."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from aiohttp import web
from telegram.ext import Application

from bot.telegram_adapter.webhook import IN_HAND, SECRET_HEADER, webhook_server
from tests.support.ports import free_port

SECRET = "a-webhook-secret-for-tests"  # noqa: S105 - a test value


class Webhook:
    def __init__(self, url: str, client: httpx.AsyncClient) -> None:
        self.url = url
        self._client = client

    async def post(self, update: dict[str, Any]) -> int:
        """Posts as Telegram does, with the secret; returns the status."""
        response = await self._client.post(self.url, json=update, headers={SECRET_HEADER: SECRET})
        return response.status_code


@asynccontextmanager
async def serving_webhook(
    app: Application[Any, Any, Any, Any, Any, Any],
) -> AsyncIterator[Webhook]:
    """On exit the application stops as on SIGTERM: every update in hand is finished."""
    port = free_port()
    server = webhook_server(app, "hook", SECRET)
    runner = web.AppRunner(server)
    async with app:
        await app.start()
        await runner.setup()
        try:
            await web.TCPSite(runner, "127.0.0.1", port).start()
            async with httpx.AsyncClient(timeout=10) as client:
                yield Webhook(f"http://127.0.0.1:{port}/hook", client)
        finally:
            await runner.cleanup()
            await asyncio.gather(*server[IN_HAND], return_exceptions=True)
            await app.stop()
