"""A fake Telegram Bot API server on 127.0.0.1 (real HTTP), for PTB's `base_url`.

It queues updates for `getUpdates` (honouring offset and long-poll timeout) and records every
`sendMessage`, so tests see exactly what a person would see in their chat. A staff forum group
is modelled too: `createForumTopic`, `editForumTopic` and `closeForumTopic` keep `topics`, sends
record their `message_thread_id`, and `staff_update` is a staff member writing in a topic.
Photos and files a person sends are served through `getFile` and `/file/bot<token>/…`;
`downloads` records which were fetched, so a test can prove a file was never downloaded.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.loopback import LoopbackServer

# A sticker as the Bot API describes it, for tests of "things people send".
STICKER = {
    "file_id": "s1",
    "file_unique_id": "u1",
    "type": "regular",
    "width": 512,
    "height": 512,
    "is_animated": False,
    "is_video": False,
}
# Telegram gives a bot the id its token starts with; the default token below is bot 123456.
BOT_USER = {"id": 123456, "is_bot": True, "first_name": "Waspada", "username": "waspada_test_bot"}


@dataclass
class SentMessage:
    chat_id: int
    text: str
    reply_markup: dict[str, Any] | None
    parse_mode: str | None
    method: str = "sendMessage"
    message_id: int = 0
    protect_content: bool = False
    message_thread_id: int | None = None

    @property
    def buttons(self) -> list[dict[str, Any]]:
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [b for row in rows for b in row]

    @property
    def button_data(self) -> list[str]:
        return [b["callback_data"] for b in self.buttons if "callback_data" in b]

    @property
    def button_urls(self) -> list[str]:
        return [b["url"] for b in self.buttons if "url" in b]


def chat(chat_id: int, chat_type: str = "private") -> dict[str, Any]:
    if chat_type == "private":
        return {"id": chat_id, "type": "private", "first_name": "Aisyah"}
    return {"id": chat_id, "type": chat_type, "title": "Kampung Parents"}


@dataclass
class ForumTopic:
    name: str
    closed: bool = False
    renames: list[str] = field(default_factory=list)


def user(user_id: int, language_code: str | None) -> dict[str, Any]:
    found: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": "Aisyah"}
    if language_code:
        found["language_code"] = language_code
    return found


def text_message(
    message_id: int,
    text: str,
    *,
    user_id: int = 777,
    language_code: str | None = "en",
    chat_id: int | None = None,
    chat_type: str = "private",
    reply_to_bot: bool = False,
) -> dict[str, Any]:
    """A Bot API Message a person sent, with command and mention entities as Telegram adds."""
    message: dict[str, Any] = {
        "message_id": message_id,
        "date": int(time.time()),
        "chat": chat(chat_id if chat_id is not None else user_id, chat_type),
        "from": user(user_id, language_code),
        "text": text,
    }
    entities = []
    if text.startswith("/"):
        entities.append({"type": "bot_command", "offset": 0, "length": len(text.split(" ")[0])})
    mention = "@" + BOT_USER["username"]
    if mention in text:
        entities.append({"type": "mention", "offset": text.index(mention), "length": len(mention)})
    if entities:
        message["entities"] = entities
    if reply_to_bot:
        message["reply_to_message"] = {
            "message_id": message_id - 1,
            "date": int(time.time()),
            "chat": message["chat"],
            "from": BOT_USER,
            "text": "earlier answer",
        }
    return message


@dataclass
class FakeTelegramApi:
    token: str = "123456:TEST-token-abcdefghijklmnopqrstuvwxyz"  # noqa: S105 - fake
    updates: list[dict[str, Any]] = field(default_factory=list)
    sent: list[SentMessage] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)
    requests: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    fail_next_sends_with_429: int = 0
    drop_next_sends: int = 0
    send_delay: float = 0.0
    retry_after: int = 1
    sent_at: list[float] = field(default_factory=list)
    # People who blocked the bot: a sendMessage to them is refused with 403.
    blocked: set[int] = field(default_factory=set)
    throttled_at: list[float] = field(default_factory=list)
    deleted: list[tuple[int, int]] = field(default_factory=list)
    webhook: dict[str, Any] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    downloads: list[str] = field(default_factory=list)
    # Forum topics by message_thread_id, with each chat's id: {thread: (chat_id, topic)}.
    topics: dict[int, tuple[int, ForumTopic]] = field(default_factory=dict)
    # (chat_id, message_id) of each pinned message.
    pinned: list[tuple[int, int]] = field(default_factory=list)
    port: int = 0
    # Webhook delivery (`deliver_to_webhooks`): where updates are posted instead of queued, and
    # every post as (url, update_id, status).
    hooks: list[str] = field(default_factory=list)
    posts: list[tuple[str, int, int]] = field(default_factory=list)
    _next_update: int = 1
    _next_hook: int = 0
    _next_message: int = 1000

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._server: LoopbackServer | None = None

    # ---- lifecycle -------------------------------------------------------------------------
    def start(self) -> FakeTelegramApi:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{kind}/{name}", self._download)
        self._server = LoopbackServer(app).start()
        self.port = self._server.port
        return self

    def stop(self) -> None:
        if self._server:
            self._server.stop()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    # ---- what a person does ----------------------------------------------------------------
    def send_text(self, text: str, **how: Any) -> None:
        """`how`: user_id, language_code, chat_id, chat_type, reply_to_bot (see text_message)."""
        self._queue({"message": self.text_update(text, **how)})

    def text_update(self, text: str, **how: Any) -> dict[str, Any]:
        return text_message(self._message_id(), text, **how)

    def send_other(self, extra: dict[str, Any], **how: Any) -> None:
        """A sticker, photo, location… — `extra` holds the Bot API fields of that kind."""
        self._queue({"message": self.other_update(extra, **how)})

    def other_update(
        self, extra: dict[str, Any], *, user_id: int = 777, language_code: str | None = "en"
    ) -> dict[str, Any]:
        return {
            "message_id": self._message_id(),
            "date": int(time.time()),
            "chat": chat(user_id),
            "from": user(user_id, language_code),
            **extra,
        }

    def send_photo(self, data: bytes, **how: Any) -> str:
        """A photo as Telegram delivers it: several sizes, the largest last. Returns its id."""
        file_id = self._add_file(data)
        sizes = [
            {"file_id": f"{file_id}-thumb", "file_unique_id": "t", "width": 90, "height": 90},
            {
                "file_id": file_id,
                "file_unique_id": file_id,
                "width": 1280,
                "height": 720,
                "file_size": len(data),
            },
        ]
        self.send_other({"photo": sizes}, **how)
        return file_id

    def send_document(self, data: bytes, mime_type: str, **how: Any) -> str:
        file_id = self._add_file(data)
        document = {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_name": "evidence",
            "mime_type": mime_type,
            "file_size": len(data),
        }
        self.send_other({"document": document}, **how)
        return file_id

    def _add_file(self, data: bytes) -> str:
        with self._lock:
            file_id = f"file-{len(self.files) + 1}"
            self.files[file_id] = data
        return file_id

    def edit_text(self, text: str, *, user_id: int = 777, language_code: str | None = "en") -> None:
        self._queue(
            {
                "edited_message": {
                    "message_id": self._message_id(),
                    "date": int(time.time()),
                    "edit_date": int(time.time()),
                    "chat": chat(user_id),
                    "from": user(user_id, language_code),
                    "text": text,
                }
            }
        )

    def press_button(self, data: str, **how: Any) -> None:
        """`how` as for `button_update`; `on_message` is the id of the bot's message that
        carries the button."""
        self._queue({"callback_query": self.button_update(data, **how)})

    def button_update(
        self,
        data: str,
        *,
        user_id: int = 777,
        language_code: str | None = "en",
        on_message: int | None = None,
        chat_id: int | None = None,
        chat_type: str = "private",
    ) -> dict[str, Any]:
        return {
            "id": str(self._message_id()),
            "from": user(user_id, language_code),
            "chat_instance": f"ci-{user_id}",
            "data": data,
            "message": {
                "message_id": on_message or self._message_id(),
                "date": int(time.time()),
                "chat": chat(chat_id if chat_id is not None else user_id, chat_type),
                "from": BOT_USER,
                "text": "menu",
            },
        }

    def staff_update(
        self,
        text: str,
        *,
        chat_id: int,
        thread: int | None,
        user_id: int = 9001,
        first_name: str = "Farah",
    ) -> dict[str, Any]:
        """A staff member writing in a forum topic: as Telegram sends it, a reply to the topic's
        first message (the bot's own, when the bot created the topic)."""
        message: dict[str, Any] = {
            "message_id": self._message_id(),
            "date": int(time.time()),
            "chat": {
                "id": chat_id,
                "type": "supergroup",
                "title": "Waspada staff",
                "is_forum": True,
            },
            "from": {"id": user_id, "is_bot": False, "first_name": first_name},
            "text": text,
        }
        if text.startswith("/"):
            length = len(text.split(" ")[0])
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        if thread is not None:
            message["message_thread_id"] = thread
            message["is_topic_message"] = True
            message["reply_to_message"] = {
                "message_id": thread,
                "date": int(time.time()),
                "chat": message["chat"],
                "from": BOT_USER,
                "message_thread_id": thread,
                "is_topic_message": True,
                "forum_topic_created": {"name": "case", "icon_color": 7322096},
            }
        return message

    def send_staff_text(self, text: str, **how: Any) -> None:
        """`how` as for `staff_update`; queued for getUpdates."""
        self._queue({"message": self.staff_update(text, **how)})

    def in_thread(self, thread: int) -> list[SentMessage]:
        with self._lock:
            return [m for m in self.sent if m.message_thread_id == thread]

    def busiest_second(self) -> int:
        """The most messages sent within any one second, as Telegram would count them."""
        with self._lock:
            times = sorted(self.sent_at)
        most, start = 0, 0
        for end, moment in enumerate(times):
            while times[start] <= moment - 1.0:
                start += 1
            most = max(most, end - start + 1)
        return most

    def sent_to(self, chat_id: int) -> list[SentMessage]:
        with self._lock:
            return [m for m in self.sent if m.chat_id == chat_id]

    def wait_for_messages(self, count: int, timeout: float = 60.0) -> list[SentMessage]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.sent) >= count:
                    return list(self.sent)
            time.sleep(0.05)
        raise AssertionError(f"expected {count} messages, got {len(self.sent)}: {self.sent}")

    # ---- internals -------------------------------------------------------------------------
    def _message_id(self) -> int:
        with self._lock:
            self._next_message += 1
            return self._next_message

    def _queue(self, update: dict[str, Any]) -> None:
        with self._lock:
            update["update_id"] = self._next_update
            self._next_update += 1
            if not self.hooks:
                self.updates.append(update)
        if self.hooks:
            self.post_update(update)

    # ---- webhook delivery ------------------------------------------------------------------
    def deliver_to_webhooks(self, urls: list[str]) -> None:
        """From now on every update is posted, as Telegram does in webhook mode, to these URLs
        in turn (a load balancer's round robin), each post awaited before the next."""
        self.hooks = list(urls)

    def post_update(self, update: dict[str, Any], url: str | None = None) -> str:
        """Posts one update to the next webhook that takes it (or to `url`); returns that URL.
        Like a load balancer, a replica that refuses the connection is skipped; like Telegram,
        an update nobody took is an error."""
        import httpx

        secret = str(self.webhook.get("secret_token", ""))
        for _ in range(len(self.hooks)):
            if url is None:
                with self._lock:
                    url = self.hooks[self._next_hook % len(self.hooks)]
                    self._next_hook += 1
            try:
                response = httpx.post(
                    url,
                    json=update,
                    headers={"X-Telegram-Bot-Api-Secret-Token": secret},
                    timeout=10,
                )
            except httpx.TransportError:
                url = None
                continue
            with self._lock:
                self.posts.append((url, int(update["update_id"]), response.status_code))
            if response.status_code == 200:
                return url
            url = None
        raise AssertionError(f"no webhook took update {update['update_id']}")

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
            refused = method == "sendMessage" and int(params.get("chat_id", 0)) in self.blocked
            throttled = (
                not refused and method == "sendMessage" and self.fail_next_sends_with_429 > 0
            )
            if throttled:
                self.fail_next_sends_with_429 -= 1
                self.throttled_at.append(time.monotonic())
            dropped = method == "sendMessage" and self.drop_next_sends > 0
            if dropped:
                self.drop_next_sends -= 1
        if method == "sendMessage" and self.send_delay:
            await asyncio.sleep(self.send_delay)
        if dropped and request.transport is not None:
            request.transport.close()  # the connection breaks before any answer
            return web.Response(status=500)
        if refused:
            return web.json_response(
                {
                    "ok": False,
                    "error_code": 403,
                    "description": "Forbidden: bot was blocked by the user",
                },
                status=403,
            )
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
            return {**BOT_USER, "id": int(self.token.split(":")[0])}
        if method == "getUpdates":
            return await self._get_updates(params)
        if method in ("sendMessage", "editMessageText"):
            return self._record(method, params)
        if method == "createForumTopic":
            thread = self._message_id()
            with self._lock:
                self.topics[thread] = (int(params["chat_id"]), ForumTopic(str(params["name"])))
            return {"message_thread_id": thread, "name": params["name"], "icon_color": 7322096}
        if method in ("editForumTopic", "closeForumTopic"):
            with self._lock:
                _, topic = self.topics[int(params["message_thread_id"])]
                if method == "closeForumTopic":
                    topic.closed = True
                elif "name" in params:
                    topic.renames.append(topic.name)
                    topic.name = str(params["name"])
        if method == "pinChatMessage":
            with self._lock:
                self.pinned.append((int(params["chat_id"]), int(params["message_id"])))
        if method == "deleteMessages":
            with self._lock:
                ids = params["message_ids"]
                self.deleted.extend((int(params["chat_id"]), int(i)) for i in ids)
        if method == "setWebhook":
            self.webhook = params
        if method == "getFile":
            file_id = str(params["file_id"])
            return {
                "file_id": file_id,
                "file_unique_id": file_id,
                "file_size": len(self.files[file_id]),
                "file_path": f"photos/{file_id}",
            }
        return True

    async def _download(self, request: web.Request) -> web.Response:
        file_id = request.match_info["name"]
        if request.match_info["token"] != self.token or file_id not in self.files:
            return web.Response(status=404)
        with self._lock:
            self.downloads.append(file_id)
        return web.Response(body=self.files[file_id], content_type="application/octet-stream")

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

    def _record(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        text = str(params.get("text", ""))
        markup = params.get("reply_markup")
        message_id = int(params.get("message_id") or self._message_id())
        sent = SentMessage(
            chat_id,
            text,
            markup or None,
            params.get("parse_mode"),
            method,
            message_id,
            bool(params.get("protect_content")),
            int(params["message_thread_id"]) if params.get("message_thread_id") else None,
        )
        with self._lock:
            self.sent.append(sent)
            self.sent_at.append(time.monotonic())
        message = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": chat(chat_id, "private" if chat_id > 0 else "supergroup"),
            "from": BOT_USER,
            "text": text,
        }
        if sent.message_thread_id:
            message["message_thread_id"] = sent.message_thread_id
            message["is_topic_message"] = True
        return message
