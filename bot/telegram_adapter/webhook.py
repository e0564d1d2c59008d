"""Webhook mode on our own small aiohttp server instead of PTB's `run_webhook`, whose server read
a 10 MB body before refusing it, answered malformed JSON with 500 and logged an unreadable
update in full (the person's words) at CRITICAL.

| request                                  | answer                                     |
|------------------------------------------|--------------------------------------------|
| secret header missing or wrong           | 403, the body is never read                |
| body over 1 MB                           | 413                                        |
| not JSON, or JSON that is not an update  | 400; only that it happened is logged       |
| an update                                | handled, then 200 (at most `ACK_WITHIN`)   |
| GET /healthz                             | 200 while the process serves (liveness)    |
| GET /readyz                              | 200 once the database and NLU answer, else 503 |

Why 200 only once the update is handled, where PTB answers as soon as it has queued it:
Telegram sends the next update *of the same chat* only after the webhook answered the last one
(updates of different chats go in parallel). Answering when the turn is done therefore keeps a
person's turns in order even when a proxy sends their updates to different replicas: the next
one does not exist anywhere yet. A turn still running after `ACK_WITHIN` is answered anyway and
goes on, since Telegram gives up on a request after 60 s and sends the update again (a copy the
replicas then recognise, `bot/core/redelivery.py`).

Shutdown (SIGTERM, SIGINT): stop taking requests, finish the updates in hand, then shut the
application down, as `run_webhook` did.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from bot.telegram_adapter.network import with_network_retries

log = logging.getLogger(__name__)

MAX_BODY = 1024 * 1024
# Below Telegram's 60 s, after which it would send the update again.
ACK_WITHIN = 50.0
IN_HAND: web.AppKey[set[asyncio.Task[None]]] = web.AppKey("in_hand", set)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name


Ready = Callable[[], Awaitable[bool]]


async def always_ready() -> bool:
    return True


def webhook_server(
    app: Application,  # type: ignore[type-arg]
    url_path: str,
    secret: str,
    ready: Ready = always_ready,
) -> web.Application:
    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            return web.Response(status=403)
        if request.content_length is not None and request.content_length > MAX_BODY:
            return web.Response(status=413)
        try:
            data: Any = json.loads(await request.read())
            update = Update.de_json(data, app.bot) if isinstance(data, dict) else None
        except web.HTTPRequestEntityTooLarge:
            return web.Response(status=413)
        except Exception:  # anything unreadable is the sender's fault, never a 500
            update = None
        if update is None:
            log.warning("a webhook request held no readable update (its contents are not logged)")
            return web.Response(status=400)
        handled = app.update_processor.process_update(update, app.process_update(update))
        turn = asyncio.create_task(handled)
        in_hand.add(turn)
        turn.add_done_callback(in_hand.discard)
        await asyncio.wait({turn}, timeout=ACK_WITHIN)
        return web.Response()

    async def healthz(_request: web.Request) -> web.Response:
        return web.Response(text="ok")

    async def readyz(_request: web.Request) -> web.Response:
        if await ready():
            return web.Response(text="ready")
        return web.Response(status=503, text="not ready")

    in_hand: set[asyncio.Task[None]] = set()
    server = web.Application(client_max_size=MAX_BODY)
    server[IN_HAND] = in_hand
    server.router.add_post(f"/{url_path}", receive)
    server.router.add_get("/healthz", healthz)
    server.router.add_get("/readyz", readyz)
    return server


async def run_webhook(
    app: Application,  # type: ignore[type-arg]
    *,
    listen: str,
    port: int,
    url_path: str,
    webhook_url: str,
    secret: str,
    ready: Ready = always_ready,
) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await app.initialize()
    if app.post_init:
        await app.post_init(app)
    await app.start()
    server = webhook_server(app, url_path, secret, ready)
    runner = web.AppRunner(server)
    await runner.setup()
    try:
        await web.TCPSite(runner, listen, port).start()
        # Only once we listen: Telegram may post the moment it knows the address.
        await with_network_retries(
            lambda: app.bot.set_webhook(
                webhook_url, secret_token=secret, allowed_updates=Update.ALL_TYPES
            )
        )
        await stop.wait()
    finally:
        await runner.cleanup()
        await asyncio.gather(*server[IN_HAND], return_exceptions=True)
        await app.stop()
        if app.post_stop:
            await app.post_stop(app)
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)
