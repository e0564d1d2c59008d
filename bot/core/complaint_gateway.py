"""What the dispatcher may expect from the complaint API, whatever carries the request.

Every answer is an outcome, never an exception: the dispatcher decides between "done", "never
retry", "hold until configuration is fixed" and "try again later" from `kind` alone.

    accepted      201, or 200 when the Idempotency-Key was seen before
    rejected      400, 422 and other 4xx: the request itself is wrong; retrying cannot help
    unauthorized  401, 403: our credentials are wrong or revoked
    throttled     429: retry after `retry_after` seconds
    unavailable   5xx, timeouts, refused connections, malformed 2xx answers
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Protocol

OutcomeKind = Literal["accepted", "rejected", "unauthorized", "throttled", "unavailable"]


@dataclass(frozen=True)
class SubmitOutcome:
    """`detail` is safe to log: a status code, exception type or field names, never report text."""

    kind: OutcomeKind
    complaint_id: str | None = None
    status: str | None = None
    retry_after: float | None = None
    detail: str = ""


@dataclass(frozen=True)
class StatusOutcome:
    """`accepted` means the API told us the complaint's official status."""

    kind: OutcomeKind
    status: str | None = None
    updated_at: str | None = None
    retry_after: float | None = None
    detail: str = ""


@dataclass(frozen=True)
class EvidenceOutcome:
    kind: OutcomeKind
    evidence_id: str | None = None
    retry_after: float | None = None
    detail: str = ""


class ComplaintGateway(Protocol):
    async def submit(self, body: dict[str, Any], idempotency_key: str) -> SubmitOutcome: ...

    async def status(self, complaint_id: str) -> StatusOutcome: ...

    async def upload_evidence(
        self, complaint_id: str, data: bytes, content_type: str, idempotency_key: str
    ) -> EvidenceOutcome: ...
