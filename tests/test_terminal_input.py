"""Whatever a terminal sends, the chat keeps going and keeps what it could read."""

from __future__ import annotations

import asyncio
import io
import json

from bot.channels.terminal import USER_KEY, converse
from bot.core.conversation import Conversation
from tests.support.reporter import Person


def test_bytes_that_are_not_utf8_typed_mid_report_are_kept_as_replacement_characters() -> None:
    """The probe: invalid UTF-8 at "What happened" crashed `waspada chat` in sessions.save."""
    person = Person()
    typed = b"\n".join(
        [
            b"/report",
            b"#button v1:rs:tri.none",
            b"#button v1:rs:cat.financial_fraud",
            b"#button v1:rs:plt.facebook",
            b"https://www.facebook.com/scam.page/posts/1",
            b"Penjual tipu sy RM850 \xff\xfe lepas tu block",
            b"semalam",
        ]
    )
    stdin = io.TextIOWrapper(io.BytesIO(typed + b"\n"), encoding="utf-8", errors="surrogateescape")
    out = io.StringIO()
    conversation = Conversation(person.dialogue, person.dialogue._tr)
    asyncio.run(converse(conversation, stdin, out, jsonl=True, interactive=False))
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(lines) == 7
    assert "Penjual tipu sy RM850 \ufffd\ufffd lepas tu block" in lines[5]["input"]
    state = json.dumps(person.dialogue._sessions.load(USER_KEY).flow_state, ensure_ascii=False)
    assert "Penjual tipu sy RM850 \ufffd\ufffd lepas tu block" in state
