"""Telegram calls that survive a dropped connection."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram.error import BadRequest, NetworkError

log = logging.getLogger(__name__)
T = TypeVar("T")
NETWORK_ATTEMPTS = 4


async def with_network_retries(call: Callable[[], Awaitable[T]]) -> T:
    """Retries a dropped connection or timeout a few times; a refused request (BadRequest) is
    not a network problem and is never retried. RetryAfter is handled by the rate limiter."""
    for attempt in range(NETWORK_ATTEMPTS):
        try:
            return await call()
        except BadRequest:
            raise
        except NetworkError as error:
            if attempt == NETWORK_ATTEMPTS - 1:
                raise
            log.warning("Telegram network problem (%s); retrying", type(error).__name__)
            await asyncio.sleep(0.3 * 2**attempt)
    raise AssertionError("unreachable")
