"""Chat with Waspada in a terminal: interactive on a TTY, one message per line otherwise.

`#button X` presses the button whose data or label is X; with `--jsonl` every input line yields
exactly one JSON object, so scripts and tests can drive the bot like a person would.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Iterable
from typing import TextIO

from bot.channels.markup import to_plain
from bot.core.dialogue import Dialogue
from bot.core.messages import Button, Incoming, Reply

USER_KEY = "term:local"
BUTTON_PREFIX = "#button "


def resolve_button(wanted: str, offered: Iterable[Button]) -> str:
    for button in offered:
        if wanted in (button.data, button.label, to_plain(button.label)):
            return button.data
    return wanted


def incoming_for(line: str, offered: Iterable[Button], *, numbered: bool = False) -> Incoming:
    text = line.rstrip("\r\n")
    offered = list(offered)
    if text.startswith(BUTTON_PREFIX):
        data = resolve_button(text[len(BUTTON_PREFIX) :].strip(), offered)
        return Incoming(USER_KEY, "button", data)
    if numbered and text.strip().isdigit() and 1 <= int(text.strip()) <= len(offered):
        return Incoming(USER_KEY, "button", offered[int(text.strip()) - 1].data)
    return Incoming(USER_KEY, "text", text)


def render_plain(replies: list[Reply]) -> str:
    blocks = []
    for reply in replies:
        lines = [to_plain(reply.text)]
        lines += [f"  [{i}] {to_plain(b.label)}" for i, b in enumerate(reply.buttons, start=1)]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def render_json(line: str, replies: list[Reply]) -> str:
    return json.dumps(
        {
            "input": line.rstrip("\r\n"),
            "replies": [
                {
                    "text": to_plain(r.text),
                    "buttons": [{"label": b.label, "data": b.data} for b in r.buttons],
                }
                for r in replies
            ],
        },
        ensure_ascii=False,
    )


async def chat_lines(dialogue: Dialogue, lines: Iterable[str], out: TextIO, *, jsonl: bool) -> None:
    offered: list[Button] = []
    for line in lines:
        replies = await dialogue.handle(incoming_for(line, offered))
        offered = [b for r in replies for b in r.buttons]
        out.write(render_json(line, replies) if jsonl else "Waspada: " + render_plain(replies))
        out.write("\n")
        out.flush()


async def chat_interactive(dialogue: Dialogue, out: TextIO) -> None:
    out.write(
        "Waspada: Type your question in English, Bahasa Melayu or 中文. "
        "Type a button's number to press it, /help for the menu, Ctrl-D to leave.\n"
        "         Taip soalan anda · 请输入你的问题\n"
    )
    offered: list[Button] = []
    while True:
        try:
            line = await asyncio.to_thread(input, "you> ")
        except EOFError:
            out.write("\n")
            return
        replies = await dialogue.handle(incoming_for(line, offered, numbered=True))
        offered = [b for r in replies for b in r.buttons]
        out.write("Waspada: " + render_plain(replies) + "\n\n")


async def run_terminal(dialogue: Dialogue, *, jsonl: bool) -> None:
    if sys.stdin.isatty() and not jsonl:
        await chat_interactive(dialogue, sys.stdout)
    else:
        await chat_lines(dialogue, sys.stdin, sys.stdout, jsonl=jsonl)
