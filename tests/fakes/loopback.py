"""The one way the fakes serve HTTP: a real aiohttp server on a free port of 127.0.0.1, in its
own event-loop thread, so the code under test talks to it exactly as to the real thing."""

from __future__ import annotations

import asyncio
import socket
import threading

from aiohttp import web


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

    def start_on(self, port: int) -> LoopbackServer:
        """On a given port: a server that comes back where its clients expect it."""
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(port), self._loop).result(10)
        return self

    async def _start(self, port: int = 0) -> None:
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", port))
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
