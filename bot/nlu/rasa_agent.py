"""The Rasa model, loaded in-process once. Rasa's parse blocks the event loop despite being
async (shared/TRAPS.md), so every parse runs in one worker thread behind a lock."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import threading
from pathlib import Path
from typing import Any

from bot.core.ports import Entity, NluResult
from bot.core.risk import in_reply_order


def quiet_rasa() -> None:
    """Rasa logs every parsed message (with its text) through structlog at debug level to
    stdout: that would leak what people write and corrupt `waspada chat --jsonl`."""
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    import structlog

    structlog.configure(
        wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
    )
    logging.getLogger("rasa").setLevel(logging.WARNING)


class RasaAgentNlu:
    def __init__(self, agent: Any) -> None:
        self._agent = agent
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()

    @classmethod
    def load(cls, model: Path) -> RasaAgentNlu:
        quiet_rasa()
        from rasa.core.agent import Agent

        return cls(Agent.load(str(model)))

    def parse_sync(self, text: str) -> NluResult:
        with self._lock:
            raw: dict[str, Any] = self._loop.run_until_complete(self._agent.parse_message(text))
        return to_result(raw)

    async def parse(self, text: str) -> NluResult:
        return await asyncio.to_thread(self.parse_sync, text)

    def close(self) -> None:
        self._loop.close()


def to_result(raw: dict[str, Any]) -> NluResult:
    intent = raw.get("intent") or {}
    ranking = tuple(
        (str(item["name"]), float(item["confidence"])) for item in raw.get("intent_ranking") or ()
    )
    entities = tuple(
        Entity(str(e["entity"]), str(e["value"]))
        for e in raw.get("entities") or ()
        if e.get("entity") and e.get("value") is not None
    )
    return NluResult(
        intent=str(intent.get("name") or "out_of_scope"),
        confidence=float(intent.get("confidence") or 0.0),
        ranking=ranking,
        entities=entities,
        risks=in_reply_order(
            (str(r["name"]), float(r.get("confidence") or 0.0))
            for r in raw.get("risk") or ()
            if r.get("name")
        ),
        scam_signals=tuple(str(s["name"]) for s in raw.get("scam_signals") or () if s.get("name")),
    )
