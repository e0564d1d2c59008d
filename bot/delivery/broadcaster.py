"""Sends queued scam alerts, each recipient once, within Telegram's limits.

A recipient's row (`bot/storage/alerts.py`) moves like this:

    waiting ──sent──────────────▶ sent
       │ ├──blocked / gone──────▶ unsubscribed   (their subscription is deleted too)
       │ ├──refused─────────────▶ failed
       │ ├──429 retry_after─────▶ waiting, due after retry_after; every send pauses as long
       │ └──network error───────▶ waiting, due after a backoff; failed after MAX_ATTEMPTS
       └── (alert's send_after not reached) stays waiting

Once per person: a row is written only after the channel answered, in the order send → record.
A crash in between leaves the row waiting, and after the restart that one person may get a
second copy; the gap lasts one HTTP answer and one commit. The other order would instead skip
people, and a missed scam warning costs more than a repeated one. Within one process a row
being sent is never picked again; a file lock (`SenderLock`) keeps a second process out.

Pacing is `bot/core/pacing.py`: a broadcast message waits for the pacer, chat replies never do.
With several senders on one database (PostgreSQL replicas) it then also takes a slot of the
shared `SendQuota`, so together they stay under the overall cap.
Logs carry counts and outcomes, never a person's key.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta

from bot.core.alerts import (
    Alert,
    AlertChannel,
    Broadcasts,
    Delivery,
    Outcome,
    SendResult,
    alert_reply,
)
from bot.core.pacing import SendPacer, SendQuota
from bot.core.ports import AnswerBook, Clock, Translator

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 6
BACKOFF_S = 2.0
IDLE_S = 2.0


class Broadcaster:
    def __init__(
        self,
        broadcasts: Broadcasts,
        channel: AlertChannel,
        answers: AnswerBook,
        translator: Translator,
        clock: Clock,
        pacer: SendPacer,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        concurrency: int = 4,
        quota: SendQuota | None = None,
    ) -> None:
        """`monotonic` and `sleep` are the pacer's time; tests pass a virtual one. `quota`:
        the budget shared with other senders, if any."""
        self._broadcasts = broadcasts
        self._channel = channel
        self._answers = answers
        self._tr = translator
        self._clock = clock
        self._pacer = pacer
        self._monotonic = monotonic
        self._sleep = sleep
        self._slots = asyncio.Semaphore(concurrency)
        self._concurrency = concurrency
        self._in_flight: set[tuple[str, str]] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._paused_until = 0.0
        self._alerts: dict[str, Alert | None] = {}
        self._quota = quota

    async def run(self, stop: asyncio.Event) -> None:
        """Until `stop` is set; sends in flight then are finished and recorded."""
        while not stop.is_set():
            if not await self.send_due(stop):
                await _sleep(stop, self._idle_seconds())
        await self._finish()

    async def drain(self) -> None:
        """Everything due now, for `waspada alerts deliver --once` and tests."""
        while await self.send_due(None):
            pass
        await self._finish()

    async def send_due(self, stop: asyncio.Event | None) -> int:
        """Starts sending what is due; returns how many sends it started."""
        batch = self._broadcasts.due(
            self._clock.now(), self._concurrency * 4, frozenset(self._in_flight)
        )
        started = 0
        for delivery in batch:
            if stop is not None and stop.is_set():
                break
            await self._await_turn(delivery)
            await self._slots.acquire()
            self._pacer.note(self._monotonic(), str(delivery.user_key), broadcast=True)
            self._in_flight.add(_key(delivery))
            task = asyncio.create_task(self._send(delivery))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
            started += 1
        if not started and self._tasks:
            await asyncio.wait(set(self._tasks), return_when=asyncio.FIRST_COMPLETED)
            return 1
        return started

    async def _await_turn(self, delivery: Delivery) -> None:
        while True:
            now = self._monotonic()
            wait = max(self._paused_until - now, self._pacer.wait(now, str(delivery.user_key)))
            if wait <= 0 and self._quota is not None:
                wait = self._quota.take()
            if wait <= 0:
                return
            await self._sleep(wait)

    async def _send(self, delivery: Delivery) -> None:
        try:
            alert = self._alert(delivery.alert)
            if alert is None or delivery.language not in alert.texts:
                result = SendResult(Outcome.REFUSED)
            else:
                reply = alert_reply(alert, delivery.language, self._tr, self._answers)
                try:
                    result = await self._channel.send_alert(delivery.user_key, reply)
                except Exception as error:  # a bug in the channel must not stop the broadcast
                    log.error("alert send failed unexpectedly: %s", type(error).__name__)
                    result = SendResult(Outcome.NETWORK)
            self._record(delivery, result)
        finally:
            self._in_flight.discard(_key(delivery))
            self._slots.release()

    def _record(self, delivery: Delivery, result: SendResult) -> None:
        now = self._clock.now()
        outcome, retry_at = result.outcome, None
        if outcome is Outcome.SLOW_DOWN:
            self._paused_until = max(self._paused_until, self._monotonic() + result.retry_after)
            retry_at = now + timedelta(seconds=result.retry_after)
            log.warning("alerts: Telegram asked us to slow down for %.0f s", result.retry_after)
        elif outcome is Outcome.NETWORK:
            if delivery.attempts + 1 >= MAX_ATTEMPTS:
                outcome = Outcome.REFUSED
            else:
                retry_at = now + timedelta(seconds=BACKOFF_S * 2**delivery.attempts)
        self._broadcasts.record(delivery, outcome, now, retry_at)

    def _alert(self, name: str) -> Alert | None:
        if name not in self._alerts:
            self._alerts[name] = self._broadcasts.alert(name)
        return self._alerts[name]

    def _idle_seconds(self) -> float:
        due = self._broadcasts.next_due()
        if due is None:
            return IDLE_S
        return min(IDLE_S, max((due - self._clock.now()).total_seconds(), 0.05))

    async def _finish(self) -> None:
        if self._tasks:
            await asyncio.gather(*self._tasks)


def _key(delivery: Delivery) -> tuple[str, str]:
    return delivery.alert, str(delivery.user_key)


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
