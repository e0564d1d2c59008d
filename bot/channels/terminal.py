"""Chat with Waspada in a terminal: interactive on a TTY, one message per line otherwise.

`#button X` presses the button whose data or label is X; a line that is the path of a file (what
most terminals paste when a file is dropped on them) sends that file, like a photo on Telegram,
and it is read only if the bot asks for it. With `--jsonl` every input line yields
exactly one JSON object, so scripts and tests can drive the bot like a person would. Input is read
in a worker thread so background work (reloading edited answers) keeps running meanwhile.
"""

from __future__ import annotations

import asyncio
import json
import mimetypes
import sys
import threading
from collections.abc import Coroutine, Iterable
from functools import partial
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import unquote

from bot.core.conversation import Conversation
from bot.core.identity import UserKey
from bot.core.markup import to_plain
from bot.core.messages import Attachment, Button, Incoming, Reply

USER_KEY = UserKey("terminal", "local")
CLEAR_SCREEN = "\033[2J\033[3J\033[H"
BUTTON_PREFIX = "#button "
WELCOME = (
    "Waspada: Type your question in English, Bahasa Melayu or 中文. "
    "Type a button's number to press it, /help for the menu, Ctrl-D to leave.\n"
    "         Taip soalan anda · 请输入你的问题\n"
)


def resolve_button(wanted: str, offered: Iterable[Button]) -> str:
    for button in offered:
        if wanted in (button.data, button.label, to_plain(button.label)):
            return button.data
    return wanted


def incoming_for(line: str, offered: list[Button], *, numbered: bool = False) -> Incoming:
    text = line.rstrip("\r\n")
    if text.startswith(BUTTON_PREFIX):
        data = resolve_button(text[len(BUTTON_PREFIX) :].strip(), offered)
        return Incoming(USER_KEY, "button", data)
    choice = text.strip()
    if numbered and choice.isdigit() and 1 <= int(choice) <= len(offered):
        return Incoming(USER_KEY, "button", offered[int(choice) - 1].data)
    file = dropped_file(choice)
    if file is not None:
        content_type = mimetypes.guess_type(file.name)[0]
        kind = "photo" if content_type and content_type.startswith("image/") else "document"
        fetch = partial(asyncio.to_thread, file.read_bytes)
        return Incoming(
            USER_KEY, "media", kind, attachment=Attachment(content_type, file.stat().st_size, fetch)
        )
    return Incoming(USER_KEY, "text", text)


def dropped_file(text: str) -> Path | None:
    """A path to an existing file, quoted or as a file:// URL; words are never taken as paths."""
    candidate = text.strip().strip("'\"")
    if candidate.startswith("file://"):
        candidate = unquote(candidate[len("file://") :])
    if "/" not in candidate or "\n" in candidate or len(candidate) > 4096:
        return None
    try:
        path = Path(candidate).expanduser()
        return path if path.is_file() else None
    except (OSError, ValueError):
        return None


def pressable(replies: list[Reply]) -> list[Button]:
    return [b for r in replies for b in r.buttons if not b.url and b.deep_link is None]


def render_plain(replies: list[Reply]) -> str:
    blocks = []
    for reply in replies:
        lines = [to_plain(reply.text)]
        numbered = 0
        for button in reply.buttons:
            if button.url:
                lines.append(f"  🔗 {to_plain(button.label)}: {button.url}")
            elif button.deep_link is not None:
                lines.append(f"  → {to_plain(button.label)}: /start {button.deep_link}")
            else:
                numbered += 1
                lines.append(f"  [{numbered}] {to_plain(button.label)}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def render_json(line: str, replies: list[Reply]) -> str:
    def button(b: Button) -> dict[str, str]:
        return {"label": b.label, "data": b.data} | ({"url": b.url} if b.url else {})

    return json.dumps(
        {
            "input": line.rstrip("\r\n"),
            "replies": [
                {"text": to_plain(r.text), "buttons": [button(b) for b in r.buttons]}
                for r in replies
            ],
        },
        ensure_ascii=False,
    )


def valid_text(line: str) -> str:
    """Bytes that are not UTF-8 arrive as lone surrogates (Python's stdin under a C locale);
    SQLite and JSON refuse those. They become U+FFFD, and the rest of the line is kept."""
    return line.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


class LineReader:
    """Reads input on its own daemon thread, so a blocked read never holds a worker of the
    event loop's shared executor (HTTP clients and file reloads need those meanwhile)."""

    def __init__(self, stream: TextIO, prompt: str | None) -> None:
        self._queue: asyncio.Queue[str | None] = asyncio.Queue()
        self._loop = asyncio.get_running_loop()
        self._stream = stream
        self._prompt = prompt
        threading.Thread(target=self._pump, name="terminal input", daemon=True).start()

    def _pump(self) -> None:
        while True:
            line = self._read()
            self._loop.call_soon_threadsafe(self._queue.put_nowait, line)
            if line is None:
                return

    def _read(self) -> str | None:
        if self._prompt is not None:
            try:
                return valid_text(input(self._prompt))
            except EOFError:
                return None
        line = self._stream.readline()
        return valid_text(line) if line else None

    async def next(self) -> str | None:
        """None at end of input."""
        return await self._queue.get()


async def converse(
    conversation: Conversation, stream: TextIO, out: TextIO, *, jsonl: bool, interactive: bool
) -> None:
    offered: list[Button] = []
    if interactive:
        out.write(WELCOME)
    reader = LineReader(stream, "you> " if interactive else None)
    while (line := await reader.next()) is not None:

        async def show(replies: list[Reply], line: str = line) -> None:
            nonlocal offered
            offered = pressable(replies)
            if interactive and any(r.clears_chat for r in replies):
                out.write(CLEAR_SCREEN)
            if jsonl:
                out.write(render_json(line, replies) + "\n")
            else:
                end = "\n\n" if interactive else "\n"
                out.write("Waspada: " + render_plain(replies) + end)
            out.flush()

        await conversation.turn(incoming_for(line, offered, numbered=interactive), show)


async def run_terminal(
    conversation: Conversation,
    *,
    jsonl: bool,
    background: Coroutine[Any, Any, None] | None = None,
) -> None:
    """`background` (the answer-file watcher) runs for as long as the chat does."""
    task = asyncio.create_task(background) if background else None
    try:
        interactive = sys.stdin.isatty() and not jsonl
        await converse(conversation, sys.stdin, sys.stdout, jsonl=jsonl, interactive=interactive)
    finally:
        if task:
            task.cancel()
