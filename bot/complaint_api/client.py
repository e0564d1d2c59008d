"""`ComplaintGateway` over HTTP with httpx: every HTTP or network failure becomes an outcome.

The request body goes out as JSON and nothing of it (nor the token) ever comes back in an
outcome's `detail`: outcomes are logged, reports hold personal data.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import Any
from urllib.parse import quote

import httpx

from bot.core.complaint_gateway import (
    EvidenceOutcome,
    OutcomeKind,
    StatusOutcome,
    SubmitOutcome,
)
from bot.core.report import OFFICIAL_STATUSES
from bot.core.secret import Secret

DEFAULT_RETRY_AFTER = 30.0
# A hostile or broken server must not smuggle text into our logs through "field names".
_FIELD_NAME = re.compile(r"^[A-Za-z0-9_.\[\]-]{1,64}$")
_EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}


@dataclass(frozen=True)
class _Answer:
    code: int
    data: dict[str, Any]


@dataclass(frozen=True)
class _Problem:
    kind: OutcomeKind
    detail: str
    retry_after: float | None = None


class ComplaintApiClient:
    """The complaint API v1 client. One instance per process; close it with `aclose()`."""

    def __init__(
        self,
        base_url: str,
        token: Secret | None,
        *,
        timeout: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        headers = {"Accept": "application/json", "User-Agent": "waspada"}
        if token is not None:
            headers["Authorization"] = f"Bearer {token.reveal()}"
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            headers=headers,
            timeout=timeout,
            transport=transport,
        )

    async def submit(self, body: dict[str, Any], idempotency_key: str) -> SubmitOutcome:
        result = await self._call(
            "POST", "/v1/complaints", json=body, headers={"Idempotency-Key": idempotency_key}
        )
        if isinstance(result, _Problem):
            return SubmitOutcome(result.kind, retry_after=result.retry_after, detail=result.detail)
        complaint_id = result.data.get("complaint_id")
        status = result.data.get("status")
        if not isinstance(complaint_id, str) or not isinstance(status, str):
            return SubmitOutcome("unavailable", detail=f"{result.code} without complaint_id")
        return SubmitOutcome("accepted", complaint_id, status, detail=str(result.code))

    async def status(self, complaint_id: str) -> StatusOutcome:
        result = await self._call("GET", _complaint_path(complaint_id))
        if isinstance(result, _Problem):
            return StatusOutcome(result.kind, retry_after=result.retry_after, detail=result.detail)
        status = result.data.get("status")
        updated_at = result.data.get("updated_at")
        if status not in OFFICIAL_STATUSES or not isinstance(updated_at, str):
            return StatusOutcome("unavailable", detail=f"{result.code} with an unknown status")
        return StatusOutcome("accepted", str(status), updated_at, detail=str(result.code))

    async def upload_evidence(
        self, complaint_id: str, data: bytes, content_type: str, idempotency_key: str
    ) -> EvidenceOutcome:
        name = "evidence" + _EXTENSIONS.get(content_type, "")
        result = await self._call(
            "POST",
            _complaint_path(complaint_id) + "/evidence",
            files={"file": (name, data, content_type)},
            headers={"Idempotency-Key": idempotency_key},
        )
        if isinstance(result, _Problem):
            return EvidenceOutcome(
                result.kind, retry_after=result.retry_after, detail=result.detail
            )
        evidence_id = result.data.get("evidence_id")
        if not isinstance(evidence_id, str):
            return EvidenceOutcome("unavailable", detail=f"{result.code} without evidence_id")
        return EvidenceOutcome("accepted", evidence_id, detail=str(result.code))

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> ComplaintApiClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def _call(self, method: str, path: str, **kwargs: Any) -> _Answer | _Problem:
        try:
            response = await self._http.request(method, path, **kwargs)
        except httpx.TimeoutException as exc:
            return _Problem("unavailable", f"timeout ({type(exc).__name__})")
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            return _Problem("unavailable", type(exc).__name__)
        return _classify(response)


def _complaint_path(complaint_id: str) -> str:
    return "/v1/complaints/" + quote(complaint_id, safe="")


def _classify(response: httpx.Response) -> _Answer | _Problem:
    code = response.status_code
    if code in (200, 201):
        data = _json_object(response)
        if data is None:
            return _Problem("unavailable", f"{code} with invalid JSON")
        return _Answer(code, data)
    if code == 429:
        return _Problem("throttled", "429", _retry_after(response.headers.get("Retry-After")))
    if code in (401, 403):
        return _Problem("unauthorized", str(code))
    if code in (400, 422):
        fields = _error_fields(response)
        return _Problem("rejected", f"{code}: {', '.join(fields)}" if fields else str(code))
    if 400 <= code < 500 and code != 408:
        return _Problem("rejected", str(code))
    return _Problem("unavailable", str(code))


def _json_object(response: httpx.Response) -> dict[str, Any] | None:
    try:
        data = response.json()
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _error_fields(response: httpx.Response) -> list[str]:
    errors = (_json_object(response) or {}).get("errors")
    if not isinstance(errors, list):
        return []
    names = (e.get("field") for e in errors if isinstance(e, dict))
    return sorted({n for n in names if isinstance(n, str) and _FIELD_NAME.match(n)})


def _retry_after(header: str | None) -> float:
    """Retry-After is either seconds or an HTTP date (RFC 9110 §10.2.3)."""
    if not header:
        return DEFAULT_RETRY_AFTER
    try:
        seconds = float(header)
    except ValueError:
        try:
            when = parsedate_to_datetime(header)
        except (TypeError, ValueError, IndexError):
            return DEFAULT_RETRY_AFTER
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())
    return seconds if math.isfinite(seconds) and seconds >= 0 else DEFAULT_RETRY_AFTER
