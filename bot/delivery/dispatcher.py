"""Delivers the outbox to the complaint API exactly once, and follows up on official statuses.

Exactly once is a pact between both sides: the Idempotency-Key is the report id, and an entry
leaves the outbox only after the API accepted it. A crash between the API's "201" and our
`mark_delivered` means the next pass sends the same body under the same key again, and the API
answers "200, same complaint id" instead of filing a second complaint.

What each answer does (`bot/core/complaint_gateway.py` maps HTTP onto these kinds):

    accepted      mark delivered, tell the reporter
    rejected      mark rejected (never retried), alert admins, tell the reporter kindly
    unauthorized  hold everything, alert once, send nothing until the next start
    throttled     wait `retry_after`, then carry on
    unavailable   back off (full jitter, base·2^attempts up to max_delay), retry forever;
                  admins hear once per report when reports wait longer than `alert_after`

Screenshots follow their complaint once it has an official id, one request each under their own
Idempotency-Key, with the same answers; an uploaded screenshot's bytes are erased here.

After a throttled or unavailable answer the whole pass pauses until that entry's next attempt:
if the API is down for one report it is down for all of them, and probing it once per backoff
interval is kinder than once per waiting report.

Logs carry the reference, the outcome kind and its detail, never a report's text, links,
contact details or the reporter's user key.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from bot.core.complaint_gateway import (
    ComplaintGateway,
    EvidenceOutcome,
    OutcomeKind,
    StatusOutcome,
    SubmitOutcome,
)
from bot.core.outbox import EvidenceOutbox, Outbox, OutboxEntry, PendingEvidence
from bot.core.ports import Clock
from bot.core.report import OFFICIAL_STATUSES, OfficialStatus
from bot.core.report_events import StatusChange
from bot.core.sweeps import Sweep, run_sweeps
from bot.delivery.alerts import Alerts

log = logging.getLogger(__name__)

Notify = Callable[[StatusChange], Awaitable[None]]


class Dispatcher:
    """One per process. The first pass (`run_once` or `run`) counts as a start: reports held
    because the API refused our credentials are queued again, since a start is how a fixed
    configuration takes effect."""

    def __init__(
        self,
        store: Outbox,
        gateway: ComplaintGateway,
        clock: Clock,
        alerts: Alerts,
        *,
        notify: Notify,
        alert_after: timedelta,
        poll_every: timedelta,
        retention: timedelta = timedelta(days=30),
        base_delay: timedelta = timedelta(seconds=2),
        max_delay: timedelta = timedelta(minutes=10),
        rng: random.Random | None = None,
        idle: float = 1.0,
        batch: int = 100,
        evidence: EvidenceOutbox | None = None,
        unfiled_evidence_kept: timedelta = timedelta(days=7),
        sweeps: tuple[Sweep, ...] = (),
    ) -> None:
        self._store = store
        self._gateway = gateway
        self._clock = clock
        self._alerts = alerts
        self._notify = notify
        self._alert_after = alert_after
        self._poll_every = poll_every
        self._retention = retention
        self._base_delay = base_delay.total_seconds()
        self._max_delay = max_delay.total_seconds()
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not secrets
        self._idle = idle
        self._batch = batch
        self._evidence = evidence
        self._unfiled_kept = unfiled_evidence_kept
        self._sweeps = sweeps
        self._started = False
        self._refused = False
        self._paused_until: datetime | None = None
        self._last_problem = ""

    async def run_once(self) -> int:
        """Sends every entry that is due, once, oldest first; returns how many were delivered."""
        self._start()
        return await self._deliver_due(None)

    async def run(self, stop: asyncio.Event) -> None:
        """Delivers, polls statuses every `poll_every` and applies retention until `stop` is
        set. A send in flight when `stop` is set is finished and recorded before returning."""
        self._start()
        next_poll = self._clock.now()
        while not stop.is_set():
            await self._deliver_due(stop)
            if not stop.is_set() and self._clock.now() >= next_poll:
                await self.poll_statuses(stop)
                self.erase_expired()
                next_poll = self._clock.now() + self._poll_every
            if not stop.is_set():
                await self._sleep(stop)

    async def poll_statuses(self, stop: asyncio.Event | None = None) -> int:
        """Asks the API about every open complaint; tells reporters what changed. Returns how
        many changed."""
        changed = 0
        for complaint in self._store.open_complaints():
            if self._refused or (stop is not None and stop.is_set()):
                break
            outcome = await self._status(complaint.complaint_id)
            if outcome.kind == "unauthorized":
                await self._refuse(outcome.detail)
                break
            if outcome.kind in ("throttled", "unavailable"):
                log.info("status polling paused: %s %s", outcome.kind, outcome.detail)
                break
            status = next((s for s in OFFICIAL_STATUSES if s == outcome.status), None)
            if outcome.kind != "accepted" or status is None:
                log.warning("%s status not read: %s", complaint.reference, outcome.detail)
                continue
            if self._store.set_official_status(complaint.report_id, status, outcome.updated_at):
                changed += 1
                log.info("%s official status %s", complaint.reference, status)
                await self._tell(
                    StatusChange(
                        complaint.user_key,
                        complaint.reference,
                        complaint.complaint_id,
                        status,
                        complaint.language,
                    )
                )
        return changed

    def erase_expired(self) -> int:
        now = self._clock.now()
        erased = self._store.erase_personal_closed(now - self._retention)
        if erased:
            log.info("retention: erased personal data of %d closed report(s)", erased)
        if self._evidence is not None:
            purged = self._evidence.purge_unfiled_evidence(now - self._unfiled_kept)
            if purged:
                log.info("retention: deleted %d screenshot(s) of reports never sent", purged)
        run_sweeps(self._sweeps, now)
        return erased

    # --- delivery ---------------------------------------------------------------------------

    def _start(self) -> None:
        if not self._started:
            self._started = True
            released = self._store.release_held()
            if released:
                log.info("released %d held report(s) for another try", released)

    async def _deliver_due(self, stop: asyncio.Event | None) -> int:
        delivered = 0
        now = self._clock.now()
        if self._refused:
            self._store.hold_queued("credentials refused earlier in this run")
        elif self._paused_until is None or now >= self._paused_until:
            self._paused_until = None
            for entry in self._store.due(now, self._batch):
                if stop is not None and stop.is_set():
                    break
                outcome = await self._submit(entry)
                delivered += outcome.kind == "accepted"
                if not await self._settle(entry, outcome):
                    break
            await self._upload_due(stop)
        await self._alert_overdue()
        return delivered

    async def _upload_due(self, stop: asyncio.Event | None) -> None:
        store = self._evidence
        if store is None:
            return
        for item in store.evidence_due(self._clock.now()):
            if self._refused or self._paused_until is not None or (stop and stop.is_set()):
                return
            outcome = await self._upload(item)
            await self._settle_evidence(store, item, outcome)

    async def _settle_evidence(
        self, store: EvidenceOutbox, item: PendingEvidence, outcome: EvidenceOutcome
    ) -> None:
        log.info("%s screenshot %s %s", item.reference, outcome.kind, outcome.detail)
        if outcome.kind == "accepted" and outcome.evidence_id:
            store.mark_evidence_uploaded(item.evidence_id, outcome.evidence_id)
        elif outcome.kind == "rejected":
            store.mark_evidence_rejected(item.evidence_id, outcome.detail)
            await self._alerts.alert(
                f"A screenshot for report {item.reference} (complaint {item.complaint_id}) was "
                f"rejected by the complaint API ({outcome.detail or 'no detail'}). It was "
                "deleted and will not be retried."
            )
        elif outcome.kind == "unauthorized":
            await self._refuse(outcome.detail)
        else:
            retry_at = self._retry_at(outcome.kind, outcome.retry_after, item.attempts)
            store.reschedule_evidence(
                item.evidence_id, retry_at, item.attempts + 1, f"{outcome.kind} {outcome.detail}"
            )
            self._paused_until = retry_at

    async def _settle(self, entry: OutboxEntry, outcome: SubmitOutcome) -> bool:
        """Records the API's answer; False when the rest of the pass should wait."""
        log.info("%s %s %s", entry.reference, outcome.kind, outcome.detail)
        if outcome.kind == "accepted" and outcome.complaint_id:
            if not self._store.mark_delivered(
                entry.report_id, outcome.complaint_id, outcome.status
            ):
                return True  # another dispatcher recorded it and told the reporter
            status: OfficialStatus = next(
                (s for s in OFFICIAL_STATUSES if s == outcome.status), "received"
            )
            await self._tell(
                StatusChange(
                    entry.user_key, entry.reference, outcome.complaint_id, status, entry.language
                )
            )
            return True
        if outcome.kind == "rejected":
            self._store.mark_rejected(entry.report_id, outcome.detail)
            await self._alerts.alert(
                f"Report {entry.reference} was rejected by the complaint API "
                f"({outcome.detail or 'no detail'}). It will not be retried; the reporter "
                "has been told."
            )
            await self._tell(
                StatusChange(entry.user_key, entry.reference, None, "not_accepted", entry.language)
            )
            return True
        if outcome.kind == "unauthorized":
            await self._refuse(outcome.detail)  # holds this entry with all the others
            return False
        self._last_problem = f"{outcome.kind} {outcome.detail}".strip()
        retry_at = self._retry_at(outcome.kind, outcome.retry_after, entry.attempts)
        self._store.reschedule(entry.report_id, retry_at, entry.attempts + 1, self._last_problem)
        self._paused_until = retry_at
        return False

    def _retry_at(self, kind: OutcomeKind, retry_after: float | None, attempts: int) -> datetime:
        """Throttled: when the API said. Unavailable: full jitter, base·2^attempts, capped."""
        if kind == "throttled":
            wait = retry_after if retry_after is not None else self._base_delay
        else:
            ceiling = min(self._max_delay, self._base_delay * 2 ** min(attempts, 32))
            wait = self._rng.uniform(0, ceiling)
        return self._clock.now() + timedelta(seconds=wait)

    async def _refuse(self, detail: str) -> None:
        """Wrong or revoked credentials are wrong for every report: hold them all, say it once."""
        if self._refused:
            return
        self._refused = True
        held = self._store.hold_queued(detail)
        await self._alerts.alert(
            f"The complaint API refused Waspada's credentials ({detail or 'unauthorized'}). "
            f"{held} report(s) are held, not lost. Fix "
            "COMPLAINT_API_TOKEN and restart the dispatcher to send them."
        )

    async def _alert_overdue(self) -> None:
        now = self._clock.now()
        age = self._store.oldest_undelivered_age(now)
        if age is None or age <= self._alert_after:
            return
        overdue = self._store.overdue_unalerted(now - self._alert_after)
        if not overdue:
            return
        minutes = int(self._alert_after.total_seconds() // 60)
        references = ", ".join(entry.reference for entry in overdue[:20])
        more = f" and {len(overdue) - 20} more" if len(overdue) > 20 else ""
        await self._alerts.alert(
            f"{len(overdue)} report(s) have waited more than {minutes} min for the complaint "
            f"API: {references}{more}. Last answer: {self._last_problem or 'none yet'}. "
            "They are kept and retried."
        )
        self._store.mark_alerted([entry.report_id for entry in overdue])

    # --- the edges --------------------------------------------------------------------------

    async def _submit(self, entry: OutboxEntry) -> SubmitOutcome:
        try:
            return await self._gateway.submit(entry.body, entry.report_id)
        except Exception as exc:  # a gateway bug must not stop delivery of everything else
            return SubmitOutcome("unavailable", detail=f"gateway error {type(exc).__name__}")

    async def _upload(self, item: PendingEvidence) -> EvidenceOutcome:
        try:
            return await self._gateway.upload_evidence(
                item.complaint_id, item.data, item.content_type, item.evidence_id
            )
        except Exception as exc:
            return EvidenceOutcome("unavailable", detail=f"gateway error {type(exc).__name__}")

    async def _status(self, complaint_id: str) -> StatusOutcome:
        try:
            return await self._gateway.status(complaint_id)
        except Exception as exc:
            return StatusOutcome("unavailable", detail=f"gateway error {type(exc).__name__}")

    async def _tell(self, change: StatusChange) -> None:
        """Best effort, after the state is stored: a failed message never undoes a delivery
        (the reporter can still ask `/status`). Staff-entered reports have nobody to tell."""
        if change.user_key is None:
            return
        try:
            await self._notify(change)
        except Exception as exc:
            log.warning(
                "could not tell the reporter of %s about %s (%s)",
                change.reference,
                change.status,
                type(exc).__name__,
            )

    async def _sleep(self, stop: asyncio.Event) -> None:
        now = self._clock.now()
        wake = self._store.next_attempt_at()
        if self._evidence is not None:
            evidence_wake = self._evidence.evidence_next_attempt_at()
            if evidence_wake is not None and (wake is None or evidence_wake < wake):
                wake = evidence_wake
        if self._paused_until is not None and (wake is None or wake < self._paused_until):
            wake = self._paused_until
        delay = self._idle if wake is None else (wake - now).total_seconds()
        delay = min(max(delay, 0.05), self._idle)
        try:
            await asyncio.wait_for(stop.wait(), delay)
        except asyncio.TimeoutError:
            return
