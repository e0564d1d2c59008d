"""A reference complaint API v1 server (aiohttp + its own SQLite file), for development and tests.

It implements `docs/complaint-api.yaml` as the real receiver should: strict validation that names
every bad field, idempotency that survives restarts, and an operator endpoint to move a
complaint's status. `Faults` lets tests make it throttle, fail or stall on purpose. Evidence
images are checked and hashed, never stored: nobody should find such images in a dev database.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sqlite_utils
from aiohttp import BodyPartReader, web

from bot.complaint_api.validation import validate_complaint
from bot.core.evidence import MAX_EVIDENCE_BYTES, image_type, looks_like_image
from bot.core.report import OFFICIAL_STATUSES
from bot.storage.database import write_transaction
from bot.storage.private_files import private_file

# The contract this server keeps, served at /openapi.yaml.
OPENAPI_FILE = Path(__file__).resolve().parents[2] / "docs" / "complaint-api.yaml"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class Faults:
    """Consulted on every /v1 request except the operator endpoint; tests mutate it while running.

    `delay` stalls each request before it is handled (the request still takes effect, as when a
    real server answers after the client gave up); `fail_next` answers the next requests with
    these statuses instead, a 429 with `Retry-After: retry_after` unless that is None.
    """

    fail_next: list[int] = field(default_factory=list)
    retry_after: int | None = 1
    delay: float = 0.0


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class ComplaintStore:
    """The server's SQLite file. Tests open a second instance on the same file to count rows."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    @classmethod
    def open(cls, path: Path) -> ComplaintStore:
        db = sqlite_utils.Database(private_file(path))
        with db.ensure_autocommit_on():
            db.execute("PRAGMA journal_mode=WAL")
        db.executescript(
            """
            CREATE TABLE IF NOT EXISTS complaints (
                seq INTEGER PRIMARY KEY, complaint_id TEXT NOT NULL UNIQUE,
                report_id TEXT NOT NULL UNIQUE, status TEXT NOT NULL,
                received_at TEXT NOT NULL, updated_at TEXT NOT NULL, body TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS evidence (
                evidence_id TEXT PRIMARY KEY, complaint_id TEXT NOT NULL,
                idempotency_key TEXT NOT NULL, content_type TEXT NOT NULL,
                size INTEGER NOT NULL, sha256 TEXT NOT NULL, received_at TEXT NOT NULL,
                UNIQUE (complaint_id, idempotency_key));
            """
        )
        return cls(db)

    def close(self) -> None:
        self.db.close()

    def complaint(self, complaint_id: str) -> dict[str, Any] | None:
        return self._one("SELECT * FROM complaints WHERE complaint_id = ?", complaint_id)

    def complaint_for_report(self, report_id: str) -> dict[str, Any] | None:
        return self._one("SELECT * FROM complaints WHERE report_id = ?", report_id)

    def count(self, report_id: str | None = None) -> int:
        table = self.db.table("complaints")
        return table.count_where("report_id = ?", [report_id]) if report_id else table.count

    def create(self, body: dict[str, Any]) -> dict[str, Any]:
        now = _now()
        with write_transaction(self.db):
            seq = self.db.execute("SELECT coalesce(max(seq), 0) + 1 FROM complaints").fetchone()[0]
            complaint_id = f"MCMC-{now[:4]}-{seq:06d}"
            self.db.execute(
                "INSERT INTO complaints VALUES (?, ?, ?, 'received', ?, ?, ?)",
                [seq, complaint_id, body["report_id"], now, now, json.dumps(body)],
            )
        return self.complaint(complaint_id) or {}

    def set_status(self, complaint_id: str, status: str) -> None:
        with write_transaction(self.db):
            self.db.execute(
                "UPDATE complaints SET status = ?, updated_at = ? WHERE complaint_id = ?",
                [status, _now(), complaint_id],
            )

    def evidence_for_key(self, complaint_id: str, key: str) -> dict[str, Any] | None:
        return self._one(
            "SELECT * FROM evidence WHERE complaint_id = ? AND idempotency_key = ?",
            complaint_id,
            key,
        )

    def evidence_of(self, complaint_id: str) -> list[dict[str, Any]]:
        return list(
            self.db.query(
                "SELECT * FROM evidence WHERE complaint_id = ? ORDER BY rowid", [complaint_id]
            )
        )

    def add_evidence(
        self, complaint_id: str, key: str, content_type: str, size: int, sha256: str
    ) -> str:
        evidence_id = "EVD-" + uuid.uuid4().hex[:12].upper()
        with write_transaction(self.db):
            self.db.execute(
                "INSERT INTO evidence VALUES (?, ?, ?, ?, ?, ?, ?)",
                [evidence_id, complaint_id, key, content_type, size, sha256, _now()],
            )
        return evidence_id

    def _one(self, sql: str, *params: str) -> dict[str, Any] | None:
        rows = list(self.db.query(sql, params))
        return rows[0] if rows else None


def _problem(status: int, message: str, name: str | None = None) -> web.Response:
    return web.json_response({"errors": [{"field": name, "message": message}]}, status=status)


def _receipt(row: dict[str, Any]) -> dict[str, str]:
    """The same body for the first filing and every replay of it."""
    return {"complaint_id": row["complaint_id"], "status": "received"}


class _ComplaintApi:
    def __init__(self, db_path: Path, token: str | None, faults: Faults) -> None:
        self.db_path = db_path
        self.token = token
        self.faults = faults
        self._store: ComplaintStore | None = None

    @property
    def store(self) -> ComplaintStore:
        if self._store is None:
            raise RuntimeError("the complaint store is opened when the app starts")
        return self._store

    async def lifespan(self, app: web.Application) -> AsyncIterator[None]:
        """Opened inside the server's loop, so it works when tests run the server in a thread."""
        self._store = ComplaintStore.open(self.db_path)
        yield
        self._store.close()

    @web.middleware
    async def guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if not request.path.startswith("/v1/"):
            return await handler(request)
        operator = request.path.endswith("/status") and request.method == "POST"
        if not operator:
            if self.faults.delay:
                await asyncio.sleep(self.faults.delay)
            if self.faults.fail_next:
                return self._fault(self.faults.fail_next.pop(0))
        if not self._authorized(request.headers.get("Authorization", "")):
            response = _problem(401, "a valid bearer token is required")
            response.headers["WWW-Authenticate"] = "Bearer"
            return response
        return await handler(request)

    def _fault(self, status: int) -> web.Response:
        response = _problem(status, "injected fault")
        if status == 429 and self.faults.retry_after is not None:
            response.headers["Retry-After"] = str(self.faults.retry_after)
        return response

    def _authorized(self, header: str) -> bool:
        scheme, _, given = header.partition(" ")
        if scheme.lower() != "bearer" or not given.strip():
            return False
        return self.token is None or hmac.compare_digest(given.strip(), self.token)

    async def openapi(self, request: web.Request) -> web.Response:
        text = await asyncio.to_thread(OPENAPI_FILE.read_text, encoding="utf-8")
        return web.Response(text=text, content_type="application/yaml")

    async def submit(self, request: web.Request) -> web.Response:
        body, refused = await _json_body(request)
        if refused is not None:
            return refused
        key = _uuid_or_text(request.headers.get("Idempotency-Key", ""))
        if not key:
            return _problem(400, "header is required", "Idempotency-Key")
        if not isinstance(body, dict):
            return _problem(400, "the body must be a JSON object")
        if _uuid_or_text(body.get("report_id")) != key:
            return _problem(400, "must equal the Idempotency-Key header", "report_id")
        body = {**body, "report_id": key}
        seen = self.store.complaint_for_report(key)
        if seen is not None:
            if json.loads(seen["body"]) != body:
                return _problem(
                    409, "this Idempotency-Key was used with a different body", "Idempotency-Key"
                )
            return web.json_response(_receipt(seen), status=200)
        errors = validate_complaint(body)
        if errors:
            return web.json_response({"errors": errors}, status=422)
        return web.json_response(_receipt(self.store.create(body)), status=201)

    async def status(self, request: web.Request) -> web.Response:
        row = self.store.complaint(request.match_info["complaint_id"])
        if row is None:
            return _problem(404, "no such complaint")
        return web.json_response(
            {key: row[key] for key in ("complaint_id", "status", "updated_at")}
        )

    async def set_status(self, request: web.Request) -> web.Response:
        complaint_id = request.match_info["complaint_id"]
        if self.store.complaint(complaint_id) is None:
            return _problem(404, "no such complaint")
        body, refused = await _json_body(request)
        if refused is not None:
            return refused
        if not isinstance(body, dict) or set(body) - {"status"}:
            return _problem(422, "the body holds only status", "status")
        status = body.get("status")
        if status not in OFFICIAL_STATUSES:
            return _problem(422, "must be one of: " + ", ".join(OFFICIAL_STATUSES), "status")
        self.store.set_status(complaint_id, str(status))
        return await self.status(request)

    async def evidence(self, request: web.Request) -> web.Response:
        complaint_id = request.match_info["complaint_id"]
        if self.store.complaint(complaint_id) is None:
            return _problem(404, "no such complaint")
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key:
            return _problem(400, "header is required", "Idempotency-Key")
        seen = self.store.evidence_for_key(complaint_id, key)
        if seen is not None:
            return web.json_response({"evidence_id": seen["evidence_id"]}, status=200)
        if request.content_type != "multipart/form-data":
            return _problem(415, "send one image as multipart/form-data", "file")
        try:
            part = await (await request.multipart()).next()
        except (ValueError, AssertionError, RuntimeError):
            return _problem(400, "the multipart body cannot be read", "file")
        if not isinstance(part, BodyPartReader) or part.name != "file":
            return _problem(400, "send the image in a part named file", "file")
        content_type = part.headers.get("Content-Type", "")
        if not looks_like_image(content_type):
            return _problem(415, "must be image/jpeg, image/png or image/webp", "file")
        size, head, digest = 0, b"", hashlib.sha256()
        while chunk := await part.read_chunk():
            size += len(chunk)
            if size <= MAX_EVIDENCE_BYTES:
                head = head or chunk[:16]
                digest.update(chunk)
        if size > MAX_EVIDENCE_BYTES:
            return _problem(413, f"must be at most {MAX_EVIDENCE_BYTES} bytes", "file")
        if image_type(head) != content_type:
            return _problem(415, f"the bytes are not {content_type}", "file")
        evidence_id = self.store.add_evidence(
            complaint_id, key, content_type, size, digest.hexdigest()
        )
        return web.json_response({"evidence_id": evidence_id}, status=201)


async def _json_body(request: web.Request) -> tuple[Any, web.Response | None]:
    """The JSON body, or the problem to answer: only application/json is read; a body over the
    server's limit, one nested too deeply or not JSON at all is the client's error, never a 500."""
    if request.content_type != "application/json":
        return None, _problem(415, "send application/json")
    try:
        return json.loads(await request.read()), None
    except web.HTTPRequestEntityTooLarge:
        return None, _problem(413, "the body must be at most 1 MB")
    except (ValueError, RecursionError):
        return None, _problem(400, "the body must be JSON")


def _uuid_or_text(value: object) -> str:
    """One UUID written three ways (upper case, braces, no hyphens) is one key."""
    text = str(value).strip() if isinstance(value, str) else ""
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return text


def build_app(db_path: Path, token: str | None, *, faults: Faults | None = None) -> web.Application:
    """`token` None accepts any bearer token (development only)."""
    api = _ComplaintApi(db_path, token, faults or Faults())
    app = web.Application(middlewares=[api.guard])
    app.cleanup_ctx.append(api.lifespan)
    app.router.add_get("/openapi.yaml", api.openapi)
    app.router.add_post("/v1/complaints", api.submit)
    app.router.add_get("/v1/complaints/{complaint_id}", api.status)
    app.router.add_post("/v1/complaints/{complaint_id}/status", api.set_status)
    app.router.add_post("/v1/complaints/{complaint_id}/evidence", api.evidence)
    return app


async def serve(host: str, port: int, db_path: Path, token: str | None) -> None:
    """Runs until cancelled (Ctrl-C)."""
    runner = web.AppRunner(build_app(db_path, token))
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
