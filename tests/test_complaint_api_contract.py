"""The reference complaint API against its own OpenAPI document, schemathesis-style.

Schemathesis itself cannot be installed beside Rasa 3.6 (every release that supports
jsonschema 4.17, Rasa's pin, fails to import with Werkzeug 3), so this does the same two checks
by hand with jsonschema: hundreds of seeded, mutated requests, and for each one (1) the server
accepts exactly what the document's request schema accepts, and (2) every answer's status is
documented for that operation and its body matches the documented schema.
"""

from __future__ import annotations

import copy
import random
import re
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import httpx
import jsonschema
import pytest
import yaml

from bot.complaint_api.server import OPENAPI_FILE
from tests.fakes.complaint_api import TOKEN, ComplaintApiServer
from tests.support.complaints import PNG, a_report

pytestmark = pytest.mark.e2e
DOC: dict[str, Any] = yaml.safe_load(OPENAPI_FILE.read_text(encoding="utf-8"))
AUTH = {"Authorization": f"Bearer {TOKEN}"}
Mutation = Callable[[dict[str, Any], random.Random], None]


def resolve(node: Any) -> Any:
    """OpenAPI 3.0 → JSON Schema: inline $refs, and `nullable: true` becomes a null type."""
    if isinstance(node, list):
        return [resolve(item) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        target: Any = DOC
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        return resolve(target)
    schema = {k: resolve(v) for k, v in node.items() if k not in ("example", "nullable")}
    if node.get("nullable"):
        schema = {"anyOf": [schema, {"type": "null"}]}
    return schema


FORMATS = jsonschema.FormatChecker()
# RFC 3339's grammar; jsonschema checks "date-time" only when rfc3339-validator is installed.
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


@FORMATS.checks("date-time", raises=ValueError)
def is_rfc3339(value: object) -> bool:
    if not isinstance(value, str) or not RFC3339.match(value):
        return not isinstance(value, str)
    datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    return True


def validator(schema: dict[str, Any]) -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(resolve(schema), format_checker=FORMATS)


REQUEST = validator({"$ref": "#/components/schemas/ComplaintRequest"})


def check_documented(path: str, method: str, response: httpx.Response) -> None:
    responses = resolve(DOC["paths"][path][method]["responses"])
    code = str(response.status_code)
    documented = responses.get(code) or responses.get(code[0] + "XX")
    assert documented is not None, f"{method.upper()} {path} answered undocumented {code}"
    schema = documented.get("content", {}).get("application/json", {}).get("schema")
    if schema is not None:
        validator(schema).validate(response.json())


def set_field(name: str, value: Any) -> Mutation:
    def mutate(body: dict[str, Any], rng: random.Random) -> None:
        target = body.get("reporter") if name.startswith("reporter.") else body
        if isinstance(target, dict):
            target[name.removeprefix("reporter.")] = value

    return mutate


def drop_field(name: str) -> Mutation:
    def mutate(body: dict[str, Any], rng: random.Random) -> None:
        body.pop(name, None)

    return mutate


MUTATIONS: list[Mutation] = [
    *(drop_field(name) for name in DOC["components"]["schemas"]["ComplaintRequest"]["required"]),
    set_field("surprise", "an unknown field"),
    set_field("category", "spam"),
    set_field("platform", "myspace"),
    set_field("language", "fr"),
    set_field("channel", "email"),
    set_field("description", ""),
    set_field("description", "x" * 4001),
    set_field("description", "x" * 4000),
    set_field("description", 42),
    set_field("content_urls", ["ftp://example.my/file"]),
    set_field("content_urls", "https://example.my"),
    set_field("content_urls", [f"https://example.my/{i}" for i in range(11)]),
    set_field("content_urls", [f"https://example.my/{i}" for i in range(10)]),
    set_field("content_urls", []),
    set_field("incident_date", None),
    set_field("incident_date", "2026-02-30"),
    set_field("incident_date", "yesterday"),
    set_field("involves_child", "yes"),
    set_field("submitted_at", "2026-03-01 09:30"),
    set_field("submitted_at", "2026-03-01T09:30:00Z"),
    set_field("reporter", None),
    set_field("reporter.telegram_user_ref", None),
    set_field("reporter.telegram_user_ref", ""),
    set_field("reporter.contact_consent", "no"),
    set_field("reporter.email", "not an email"),
    set_field("reporter.surprise", 1),
]


def bodies(count: int, seed: int = 2026) -> Iterator[dict[str, Any]]:
    """Valid reports with up to three random mutations each, reproducible from the seed."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    for _ in range(count):
        body = copy.deepcopy(a_report().api_body())
        body["report_id"] = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        for mutate in rng.sample(MUTATIONS, rng.randint(0, 3)):
            mutate(body, rng)
        yield body


@pytest.fixture
def api(complaint_api: ComplaintApiServer) -> ComplaintApiServer:
    return complaint_api


def test_the_server_accepts_exactly_the_complaints_its_contract_allows(
    api: ComplaintApiServer,
) -> None:
    disagreements, accepted = [], 0
    with httpx.Client(base_url=api.base_url, headers=AUTH) as http:
        for body in bodies(300):
            key = str(body.get("report_id", uuid.uuid4()))
            response = http.post("/v1/complaints", json=body, headers={"Idempotency-Key": key})
            check_documented("/v1/complaints", "post", response)
            allowed = REQUEST.is_valid(body)
            accepted += response.status_code == 201
            if allowed != (response.status_code == 201):
                disagreements.append((response.status_code, response.text[:200]))
    assert disagreements == []
    assert 30 < accepted < 270, "the sample mixes valid and invalid complaints"


def test_every_answer_about_a_complaint_and_its_evidence_is_documented(
    api: ComplaintApiServer,
) -> None:
    body = a_report().api_body()
    with httpx.Client(base_url=api.base_url, headers=AUTH) as http:
        key = {"Idempotency-Key": body["report_id"]}
        calls: list[tuple[str, str, httpx.Response]] = []

        def record(path: str, method: str, response: httpx.Response) -> httpx.Response:
            calls.append((path, method, response))
            return response

        filed = http.post("/v1/complaints", json=body, headers=key)
        record("/v1/complaints", "post", filed)
        record("/v1/complaints", "post", http.post("/v1/complaints", json=body, headers=key))
        record("/v1/complaints", "post", http.post("/v1/complaints", json=body))
        record("/v1/complaints", "post", http.post("/v1/complaints", content=b"{", headers=key))
        record(
            "/v1/complaints",
            "post",
            httpx.post(f"{api.base_url}/v1/complaints", json=body, headers=key),
        )
        complaint = filed.json()["complaint_id"]
        status, evidence = "/v1/complaints/{complaint_id}", "/v1/complaints/{complaint_id}/evidence"
        for complaint_id in (complaint, "MCMC-2026-999999"):
            record(status, "get", http.get(f"/v1/complaints/{complaint_id}"))
        record(status, "get", httpx.get(f"{api.base_url}/v1/complaints/{complaint}"))
        for data, content_type, headers in (
            (PNG, "image/png", {"Idempotency-Key": "shot-1"}),
            (PNG, "image/png", {"Idempotency-Key": "shot-1"}),
            (PNG, "image/png", {}),
            (PNG + bytes(5 * 1024 * 1024), "image/png", {"Idempotency-Key": "shot-2"}),
            (b"GIF89a", "image/gif", {"Idempotency-Key": "shot-3"}),
            (b"%PDF-1.7", "image/jpeg", {"Idempotency-Key": "shot-4"}),
        ):
            files = {"file": ("shot", data, content_type)}
            url = f"/v1/complaints/{complaint}/evidence"
            record(evidence, "post", http.post(url, files=files, headers=headers))
        record(
            evidence,
            "post",
            http.post(
                "/v1/complaints/MCMC-2026-999999/evidence",
                files={"file": ("shot", PNG, "image/png")},
                headers={"Idempotency-Key": "shot-5"},
            ),
        )

    for path, method, response in calls:
        check_documented(path, method, response)
    codes = sorted({r.status_code for _, _, r in calls})
    assert codes == [200, 201, 400, 401, 404, 413, 415], "each documented answer was exercised"
