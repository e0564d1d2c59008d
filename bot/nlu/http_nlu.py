"""The NLU as a service: `waspada nlu serve` (Rasa's own HTTP server) parses, and bot processes
with `WASPADA_NLU_URL` ask it over HTTP, so a bot process never loads Rasa or TensorFlow.

| the NLU server…         | this client                                                  |
|-------------------------|--------------------------------------------------------------|
| answers in time         | its intent, entities, risk classes and scam signals          |
| refuses, times out, 5xx | the word lists (`CueScreen`): crisis lines still come first; |
|                         | no topic guess ("did you mean"); it rests `RETRY_AFTER_S`    |
| is back                 | the next parse after the rest goes to it again               |

The text is sent in the body, never the URL, and is never logged.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import httpx

from bot.core.ports import NLU_UNAVAILABLE, NluResult
from bot.nlu.cue_lists import CueScreen
from bot.nlu.rasa_agent import to_result

log = logging.getLogger(__name__)
UNAVAILABLE = NLU_UNAVAILABLE
TIMEOUT_S = 2.0
RETRY_AFTER_S = 3.0


class HttpNlu:
    def __init__(
        self,
        url: str,
        fallback: CueScreen,
        *,
        token: str | None = None,
        timeout: float = TIMEOUT_S,
        retry_after: float = RETRY_AFTER_S,
    ) -> None:
        self._base = url.rstrip("/")
        self._params = {"token": token} if token else {}
        self._fallback = fallback
        self._client = httpx.AsyncClient(timeout=timeout)
        self._retry_after = retry_after
        self._resting_until = 0.0

    async def parse(self, text: str) -> NluResult:
        if time.monotonic() >= self._resting_until:
            try:
                response = await self._client.post(
                    self._base + "/model/parse", json={"text": text}, params=self._params
                )
                response.raise_for_status()
                raw: dict[str, Any] = response.json()
                return to_result(raw)
            except (httpx.HTTPError, ValueError) as error:
                self._resting_until = time.monotonic() + self._retry_after
                log.warning("NLU server unreachable (%s): word lists only", type(error).__name__)
        return NluResult(intent=UNAVAILABLE, confidence=0.0, risks=self._fallback.screen(text))

    async def ready(self) -> bool:
        """For /readyz: the server answers its status page."""
        try:
            response = await self._client.get(self._base + "/status", params=self._params)
        except httpx.HTTPError:
            return False
        return response.status_code == httpx.codes.OK

    async def aclose(self) -> None:
        await self._client.aclose()
