"""A fake Telegram Bot API server on 127.0.0.1 (real HTTP), for PTB's `base_url`.

It queues updates for `getUpdates` (honouring offset and long-poll timeout) and records every
`sendMessage`, so tests see exactly what a person would see in their chat.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_USER = {"id": 4242, "is_bot": True, "first_name": "Waspada", "username": "waspada_test_bot"}


@dataclass
class SentMessage:
    chat_id: int
    text: str
    reply_markup: dict[str, Any] | None
    parse_mode: str | None

    @property
    def button_data(self) -> list[str]:
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [b["callback_data"] for row in rows for b in row]


@dataclass
class FakeTelegramApi:
    token: str = "123456:TEST-token-abcdefghijklmnopqrstuvwxyz"  # noqa: S105 - fake
    updates: list[dict[str, Any]] = field(default_factory=list)
    sent: list[SentMessage] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)
    requests: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    fail_next_sends_with_429: int = 0
    retry_after: int = 1
    sent_at: list[float] = field(default_factory=list)
    port: int = 0
    _next_update: int = 1
    _next_message: int = 1000

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._runner: web.AppRunner | None = None

    # ---- lifecycle -------------------------------------------------------------------------
    def start(self) -> FakeTelegramApi:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)
        return self

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    def stop(self) -> None:
        if self._runner:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._loop.close()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    # ---- what a person does ----------------------------------------------------------------
    def send_text(self, text: str, *, user_id: int = 777, language_code: str | None = "en") -> None:
        message: dict[str, Any] = {
            "message_id": self._message_id(),
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": "Aisyah"},
            "from": self._user(user_id, language_code),
            "text": text,
        }
        if text.startswith("/"):
            length = len(text.split(" ", 1)[0])
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        self._queue({"message": message})

    def send_other(
        self, extra: dict[str, Any], *, user_id: int = 777, language_code: str | None = "en"
    ) -> None:
        """A sticker, photo, location… — `extra` holds the Bot API fields of that kind."""
        message: dict[str, Any] = {
            "message_id": self._message_id(),
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": "Aisyah"},
            "from": self._user(user_id, language_code),
            **extra,
        }
        self._queue({"message": message})

    def edit_text(self, text: str, *, user_id: int = 777, language_code: str | None = "en") -> None:
        self._queue(
            {
                "edited_message": {
                    "message_id": self._message_id(),
                    "date": int(time.time()),
                    "edit_date": int(time.time()),
                    "chat": {"id": user_id, "type": "private", "first_name": "Aisyah"},
                    "from": self._user(user_id, language_code),
                    "text": text,
                }
            }
        )

    def press_button(
        self, data: str, *, user_id: int = 777, language_code: str | None = "en"
    ) -> None:
        self._queue(
            {
                "callback_query": {
                    "id": str(self._message_id()),
                    "from": self._user(user_id, language_code),
                    "chat_instance": f"ci-{user_id}",
                    "data": data,
                    "message": {
                        "message_id": self._message_id(),
                        "date": int(time.time()),
                        "chat": {"id": user_id, "type": "private", "first_name": "Aisyah"},
                        "from": BOT_USER,
                        "text": "menu",
                    },
                }
            }
        )

    def wait_for_messages(self, count: int, timeout: float = 60.0) -> list[SentMessage]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.sent) >= count:
                    return list(self.sent)
            time.sleep(0.05)
        raise AssertionError(f"expected {count} messages, got {len(self.sent)}: {self.sent}")

    # ---- internals -------------------------------------------------------------------------
    @staticmethod
    def _user(user_id: int, language_code: str | None) -> dict[str, Any]:
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": "Aisyah"}
        if language_code:
            user["language_code"] = language_code
        return user

    def _message_id(self) -> int:
        with self._lock:
            self._next_message += 1
            return self._next_message

    def _queue(self, update: dict[str, Any]) -> None:
        with self._lock:
            update["update_id"] = self._next_update
            self._next_update += 1
            self.updates.append(update)

    async def _params(self, request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            body: dict[str, Any] = await request.json()
            return body
        form = await request.post()
        params: dict[str, Any] = {}
        for key, value in form.items():
            text = value if isinstance(value, str) else ""
            try:
                params[key] = json.loads(text)
            except ValueError:
                params[key] = text
        return params

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        method = request.match_info["method"]
        params = await self._params(request)
        with self._lock:
            self.calls.append(method)
            self.requests.append((method, params))
            throttled = method == "sendMessage" and self.fail_next_sends_with_429 > 0
            if throttled:
                self.fail_next_sends_with_429 -= 1
        if throttled:
            return web.json_response(
                {
                    "ok": False,
                    "error_code": 429,
                    "description": f"Too Many Requests: retry after {self.retry_after}",
                    "parameters": {"retry_after": self.retry_after},
                },
                status=429,
            )
        result = await self._result(method, params)
        return web.json_response({"ok": True, "result": result})

    async def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT_USER
        if method == "getUpdates":
            return await self._get_updates(params)
        if method in ("sendMessage", "editMessageText"):
            return self._record(params)
        return True

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 1.0)
        while True:
            with self._lock:
                self.updates = [u for u in self.updates if u["update_id"] >= offset]
                ready = list(self.updates)
            if ready or time.monotonic() >= deadline:
                return ready
            await asyncio.sleep(0.02)

    def _record(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        text = str(params.get("text", ""))
        markup = params.get("reply_markup")
        with self._lock:
            self.sent.append(SentMessage(chat_id, text, markup or None, params.get("parse_mode")))
            self.sent_at.append(time.monotonic())
        return {
            "message_id": self._message_id(),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private", "first_name": "Aisyah"},
            "from": BOT_USER,
            "text": text,
        }
