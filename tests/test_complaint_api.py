"""The complaint API v1 end to end: the real client against the reference server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import re
import socket
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
import yaml
from aiohttp import web

from bot.complaint_api.client import ComplaintApiClient
from bot.core.report import (
    CATEGORIES,
    MAX_DESCRIPTION,
    MAX_URLS,
    OFFICIAL_STATUSES,
    PLATFORMS,
)
from bot.core.secret import Secret
from tests.fakes.complaint_api import TOKEN, ComplaintApiServer
from tests.fakes.loopback import LoopbackServer
from tests.support.complaints import PNG, a_report

pytestmark = pytest.mark.e2e
T = TypeVar("T")


@pytest.fixture
def api(complaint_api: ComplaintApiServer) -> ComplaintApiServer:
    return complaint_api


def call(
    base_url: str,
    action: Callable[[ComplaintApiClient], Awaitable[T]],
    *,
    token: str | None = TOKEN,
    timeout: float = 5.0,
) -> T:
    async def run() -> T:
        secret = Secret(token) if token else None
        async with ComplaintApiClient(base_url, secret, timeout=timeout) as client:
            return await action(client)

    return asyncio.run(run())


def submit(api: ComplaintApiServer, body: dict[str, Any], **kwargs: Any) -> Any:
    key = kwargs.pop("key", body.get("report_id", ""))
    return call(api.base_url, lambda c: c.submit(body, key), **kwargs)


def test_a_confirmed_report_becomes_a_complaint_with_a_readable_id(
    api: ComplaintApiServer,
) -> None:
    outcome = submit(api, a_report().api_body())

    assert outcome.kind == "accepted"
    assert outcome.status == "received"
    assert outcome.detail == "201"
    assert re.fullmatch(r"MCMC-\d{4}-\d{6}", outcome.complaint_id)


def test_a_report_sent_twice_creates_one_complaint(api: ComplaintApiServer) -> None:
    report = a_report()

    first = submit(api, report.api_body())
    again = submit(api, report.api_body())

    assert (first.detail, again.detail) == ("201", "200")
    assert again.kind == "accepted"
    assert again.complaint_id == first.complaint_id
    assert api.complaints(report.report_id) == 1


def test_a_report_resent_after_the_server_restarts_still_creates_one_complaint(
    api: ComplaintApiServer,
) -> None:
    report = a_report()
    first = submit(api, report.api_body())
    api.stop()
    restarted = ComplaintApiServer(api.db_path).start()
    try:
        again = submit(restarted, report.api_body())
        other = submit(restarted, a_report().api_body())
    finally:
        restarted.stop()

    assert again.complaint_id == first.complaint_id
    assert other.complaint_id != first.complaint_id
    assert api.complaints() == 2


def test_a_report_that_timed_out_and_is_resent_creates_one_complaint(
    api: ComplaintApiServer,
) -> None:
    report = a_report()
    api.faults.delay = 0.3

    timed_out = submit(api, report.api_body(), timeout=0.05)
    api.faults.delay = 0
    resent = submit(api, report.api_body())
    time.sleep(0.4)  # the stalled first request completes on the server too

    assert timed_out.kind == "unavailable"
    assert timed_out.detail == "timeout (ReadTimeout)"
    assert resent.kind == "accepted"
    assert api.complaints(report.report_id) == 1


def _with(body: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**body, **changes}


INVALID_REPORTS: dict[str, tuple[Callable[[dict[str, Any]], dict[str, Any]], str]] = {
    "unknown category": (lambda b: _with(b, category="spam"), "category"),
    "eleven URLs": (
        lambda b: _with(b, content_urls=[f"https://x.com/{i}" for i in range(11)]),
        "content_urls",
    ),
    "an ftp URL": (
        lambda b: _with(b, content_urls=["https://ok.my", "ftp://files.example/x"]),
        "content_urls[1]",
    ),
    "empty description": (lambda b: _with(b, description=""), "description"),
    "blank description": (lambda b: _with(b, description="   \n"), "description"),
    "4001-character description": (
        lambda b: _with(b, description="x" * (MAX_DESCRIPTION + 1)),
        "description",
    ),
    "a phone number without consent": (
        lambda b: _with(b, reporter={**b["reporter"], "phone": "0123456789"}),
        "reporter.phone",
    ),
    "a time without a zone": (
        lambda b: _with(b, submitted_at="2026-03-01T09:30:00"),
        "submitted_at",
    ),
    "an impossible incident date": (
        lambda b: _with(b, incident_date="2026-02-30"),
        "incident_date",
    ),
    "a missing field": (
        lambda b: {k: v for k, v in b.items() if k != "platform"},
        "platform",
    ),
    "a field the contract does not know": (lambda b: _with(b, priority="high"), "priority"),
    "the terminal as channel": (lambda b: _with(b, channel="terminal"), "channel"),
}


@pytest.mark.parametrize("case", INVALID_REPORTS)
def test_an_invalid_report_is_rejected_naming_the_field(api: ComplaintApiServer, case: str) -> None:
    change, field = INVALID_REPORTS[case]
    report = a_report()

    outcome = submit(api, change(report.api_body()))

    assert outcome.kind == "rejected"
    assert outcome.detail.startswith("422: ")
    assert field in outcome.detail.removeprefix("422: ").split(", ")
    assert api.complaints() == 0


def test_a_rejection_names_fields_but_never_repeats_what_the_person_wrote(
    api: ComplaintApiServer,
) -> None:
    body = a_report(description="Ali at 012-3456789 sent this").api_body()
    body["reporter"] = {**body["reporter"], "email": "ali@example.my"}
    body["content_urls"] = ["javascript:alert(1)"]

    outcome = submit(api, body)

    assert outcome.detail == "422: content_urls[0], reporter.email"
    for private in ("Ali", "012-3456789", "ali@example.my", "javascript", TOKEN):
        assert private not in repr(outcome)


def test_a_key_that_is_not_the_report_id_is_rejected(api: ComplaintApiServer) -> None:
    outcome = submit(api, a_report().api_body(), key="another-key")

    assert outcome.kind == "rejected"
    assert outcome.detail == "400: report_id"


def test_malformed_json_and_a_missing_key_are_rejected_by_the_server(
    api: ComplaintApiServer,
) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    url = f"{api.base_url}/v1/complaints"

    json_type = {**auth, "Content-Type": "application/json", "Idempotency-Key": "k"}
    garbled = httpx.post(url, content=b"{not json", headers=json_type)
    keyless = httpx.post(url, json=a_report().api_body(), headers=auth)

    assert garbled.status_code == 400
    assert keyless.status_code == 400
    assert keyless.json()["errors"][0]["field"] == "Idempotency-Key"


@pytest.mark.parametrize("token", ["wrong-token", None])
def test_a_wrong_or_missing_token_is_unauthorized(
    api: ComplaintApiServer, token: str | None
) -> None:
    outcome = submit(api, a_report().api_body(), token=token)

    assert outcome.kind == "unauthorized"
    assert outcome.detail == "401"
    assert api.complaints() == 0


def test_a_suspended_partner_is_unauthorized(api: ComplaintApiServer) -> None:
    api.faults.fail_next.append(403)

    assert submit(api, a_report().api_body()).kind == "unauthorized"


def test_a_throttled_report_says_when_to_retry_and_then_goes_through(
    api: ComplaintApiServer,
) -> None:
    api.faults.fail_next.append(429)
    api.faults.retry_after = 7
    report = a_report()

    throttled = submit(api, report.api_body())
    retried = submit(api, report.api_body())

    assert throttled.kind == "throttled"
    assert throttled.retry_after == 7.0
    assert retried.kind == "accepted"
    assert retried.detail == "201"


def test_throttling_without_a_retry_after_means_waiting_thirty_seconds(
    api: ComplaintApiServer,
) -> None:
    api.faults.fail_next.append(429)
    api.faults.retry_after = None

    outcome = submit(api, a_report().api_body())

    assert (outcome.kind, outcome.retry_after) == ("throttled", 30.0)


@pytest.mark.parametrize("status", [500, 502, 503])
def test_a_failing_server_means_try_again_later(api: ComplaintApiServer, status: int) -> None:
    api.faults.fail_next.append(status)

    outcome = submit(api, a_report().api_body())

    assert outcome.kind == "unavailable"
    assert outcome.detail == str(status)
    assert api.complaints() == 0


def test_a_server_that_is_not_listening_means_try_again_later() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]

    outcome = submit_to(f"http://127.0.0.1:{closed_port}", a_report().api_body())

    assert outcome.kind == "unavailable"
    assert outcome.detail == "ConnectError"


def submit_to(base_url: str, body: dict[str, Any]) -> Any:
    return call(base_url, lambda c: c.submit(body, body["report_id"]))


def test_a_success_code_without_a_usable_answer_means_try_again_later() -> None:
    async def broken(request: web.Request) -> web.Response:
        return web.Response(status=201, text="<html>proxy page</html>")

    app = web.Application()
    app.router.add_post("/v1/complaints", broken)
    server = LoopbackServer(app).start()
    try:
        outcome = submit_to(server.base_url, a_report().api_body())
    finally:
        server.stop()

    assert outcome.kind == "unavailable"
    assert outcome.detail == "201 with invalid JSON"


def test_the_status_follows_what_the_officer_decides(api: ComplaintApiServer) -> None:
    complaint_id = submit(api, a_report().api_body()).complaint_id

    before = call(api.base_url, lambda c: c.status(complaint_id))
    api.set_status(complaint_id, "in_review")
    after = call(api.base_url, lambda c: c.status(complaint_id))

    assert (before.kind, before.status) == ("accepted", "received")
    assert (after.kind, after.status) == ("accepted", "in_review")
    assert after.updated_at is not None
    assert datetime.fromisoformat(after.updated_at).tzinfo is not None


def test_asking_about_an_unknown_complaint_is_rejected(api: ComplaintApiServer) -> None:
    outcome = call(api.base_url, lambda c: c.status("MCMC-2026-999999"))

    assert (outcome.kind, outcome.detail) == ("rejected", "404")


def test_a_status_check_while_throttled_says_when_to_retry(api: ComplaintApiServer) -> None:
    complaint_id = submit(api, a_report().api_body()).complaint_id
    api.faults.fail_next.append(429)

    outcome = call(api.base_url, lambda c: c.status(complaint_id))

    assert (outcome.kind, outcome.retry_after) == ("throttled", 1.0)


def test_a_screenshot_is_attached_once_however_often_it_is_sent(
    api: ComplaintApiServer,
) -> None:
    complaint_id = submit(api, a_report().api_body()).complaint_id

    def upload(client: ComplaintApiClient) -> Awaitable[Any]:
        return client.upload_evidence(complaint_id, PNG, "image/png", "shot-1")

    first = call(api.base_url, upload)
    again = call(api.base_url, upload)

    assert (first.kind, first.detail) == ("accepted", "201")
    assert (again.kind, again.detail) == ("accepted", "200")
    assert again.evidence_id == first.evidence_id


@pytest.mark.parametrize(
    ("data", "content_type", "detail"),
    [
        (PNG + bytes(5 * 1024 * 1024), "image/png", "413"),
        (b"GIF89a" + bytes(100), "image/gif", "415"),
        (b"%PDF-1.7 not an image", "image/jpeg", "415"),
    ],
    ids=["larger than 5 MB", "a GIF", "a PDF calling itself a JPEG"],
)
def test_evidence_that_is_too_large_or_not_an_image_is_rejected(
    api: ComplaintApiServer, data: bytes, content_type: str, detail: str
) -> None:
    complaint_id = submit(api, a_report().api_body()).complaint_id

    outcome = call(
        api.base_url, lambda c: c.upload_evidence(complaint_id, data, content_type, "shot-1")
    )

    assert (outcome.kind, outcome.detail) == ("rejected", detail)


def test_the_contract_is_served_and_lists_every_operation(api: ComplaintApiServer) -> None:
    response = httpx.get(f"{api.base_url}/openapi.yaml")

    assert response.status_code == 200
    doc = yaml.safe_load(response.text)
    assert doc["openapi"].startswith("3.0")
    assert set(doc["paths"]) == {
        "/v1/complaints",
        "/v1/complaints/{complaint_id}",
        "/v1/complaints/{complaint_id}/evidence",
        "/v1/complaints/{complaint_id}/status",
    }
    assert doc["paths"]["/v1/complaints/{complaint_id}/status"]["post"]["tags"] == [
        "reference-server"
    ]
    assert set(doc["paths"]["/v1/complaints"]["post"]["responses"]) >= {
        "200",
        "201",
        "400",
        "401",
        "403",
        "422",
        "429",
        "5XX",
    }


def test_the_contract_and_the_report_model_agree_on_every_limit(
    api: ComplaintApiServer,
) -> None:
    doc = yaml.safe_load(httpx.get(f"{api.base_url}/openapi.yaml").text)
    schemas = doc["components"]["schemas"]
    request = schemas["ComplaintRequest"]["properties"]

    assert tuple(request["category"]["enum"]) == CATEGORIES
    assert tuple(request["platform"]["enum"]) == PLATFORMS
    assert tuple(schemas["OfficialStatus"]["enum"]) == OFFICIAL_STATUSES
    assert request["content_urls"]["maxItems"] == MAX_URLS
    assert request["description"]["maxLength"] == MAX_DESCRIPTION
    assert set(schemas["ComplaintRequest"]["required"]) == set(a_report().api_body())
    assert set(schemas["Reporter"]["required"]) == set(a_report().api_body()["reporter"])


def test_every_report_the_bot_can_build_is_accepted(api: ComplaintApiServer) -> None:
    reports = [
        a_report(category=category, platform=platform, language=language)
        for category, platform, language in zip(
            CATEGORIES, PLATFORMS * 2, ("en", "ms", "zh") * 4, strict=False
        )
    ]
    reports += [
        a_report(
            channel="staff",
            content_urls=tuple(f"http://example.my/{i}" for i in range(MAX_URLS)),
            description="x" * MAX_DESCRIPTION,
            involves_child=True,
            contact_consent=True,
            name="Siti",
            phone="+60 12-345 6789",
            email="siti@example.my",
        ),
        a_report(channel="terminal", content_urls=(), incident_date=None),
    ]

    outcomes = [submit(api, report.api_body()) for report in reports]

    assert [o.kind for o in outcomes] == ["accepted"] * len(reports), outcomes
    assert api.complaints() == len(reports)


def test_the_reference_api_refuses_to_start_without_a_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """It used to accept any bearer token when COMPLAINT_API_TOKEN was unset: fail open."""
    from bot.__main__ import main

    monkeypatch.delenv("COMPLAINT_API_TOKEN", raising=False)
    monkeypatch.setenv("WASPADA_DATA_DIR", str(tmp_path / "data"))
    assert main(["complaint-api", "serve", "--port", "0"]) == 2
    assert "COMPLAINT_API_TOKEN is not set" in capsys.readouterr().err
    assert not (tmp_path / "data" / "complaint-api.db").exists()


def test_the_reference_api_keeps_to_its_contract_where_the_probe_found_it_did_not(
    api: ComplaintApiServer,
) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    url = f"{api.base_url}/v1/complaints"
    body = a_report().api_body()
    key = body["report_id"]

    def post(content: bytes, key: str = key, kind: str = "application/json") -> httpx.Response:
        headers = {**auth, "Content-Type": kind, "Idempotency-Key": key}
        return httpx.post(url, content=content, headers=headers, timeout=30)

    plain = post(json.dumps(body).encode(), kind="text/plain")
    form = post(b"report_id=x", kind="application/x-www-form-urlencoded")
    nested = post(b"[" * 100_000 + b"]" * 100_000)
    huge = post(b" " * (1024 * 1024 + 100_000))
    assert [r.status_code for r in (plain, form, nested, huge)] == [415, 415, 400, 413]
    assert huge.json()["errors"], "a documented problem, not plain text"

    shouting = str(key).upper()
    first = post(json.dumps({**body, "report_id": shouting}).encode(), key=shouting)
    braces = post(json.dumps({**body, "report_id": "{" + key + "}"}).encode(), key=key)
    bare = str(key).replace("-", "")
    flat = post(json.dumps({**body, "report_id": bare}).encode(), key=bare)
    assert [r.status_code for r in (first, braces, flat)] == [201, 200, 200]
    assert api.complaints() == 1, "one UUID written three ways is one complaint"

    changed = post(json.dumps({**body, "description": "Something else entirely"}).encode())
    assert changed.status_code == 409, "same key, different body"

    bad_email = a_report(contact_consent=True, email="a@b", name="Siti").api_body()
    other = post(json.dumps(bad_email).encode(), key=bad_email["report_id"])
    assert other.status_code == 422
    assert "reporter.email" in json.dumps(other.json())

    complaint_id = first.json()["complaint_id"]
    extra = httpx.post(
        f"{url}/{complaint_id}/status",
        json={"status": "closed", "note": "officer's remark"},
        headers=auth,
    )
    assert extra.status_code == 422


def test_a_malformed_evidence_upload_is_the_clients_error_not_a_crash(
    api: ComplaintApiServer,
) -> None:
    report = a_report()
    receipt = submit(api, report.api_body())
    url = f"{api.base_url}/v1/complaints/{receipt.complaint_id}/evidence"
    headers = {
        "Authorization": f"Bearer {TOKEN}",
        "Idempotency-Key": "shot-1",
        "Content-Type": "multipart/form-data",  # no boundary
    }
    broken = httpx.post(url, content=b"--x\r\nnot a part", headers=headers)
    assert broken.status_code == 400
    assert broken.json()["errors"][0]["field"] == "file"
