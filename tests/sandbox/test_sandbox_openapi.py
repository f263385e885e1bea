"""The OpenAPI file and the sandbox agree: same operations, every problem code
documented, and real answers valid against the documented schemas."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml

import kiosk.upstream as upstream_pkg
import sandbox
from sandbox import SandboxPlatform
from sandbox.routes import ROUTES
from tests.support import ROOT
from tests.support.openapi import operations, served_description

SPEC_PATH = Path(upstream_pkg.__file__).with_name("openapi.yaml")
SPEC: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = SPEC
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _errors(value: Any, schema: dict[str, Any], where: str = "$") -> list[str]:
    """A small JSON Schema checker for the keywords the spec uses."""
    schema = _resolve(schema)
    out: list[str] = []
    for sub in schema.get("allOf", []):
        out += _errors(value, sub, where)
    kinds = schema.get("type")
    if kinds is not None:
        names = kinds if isinstance(kinds, list) else [kinds]
        checks = {
            "string": lambda v: isinstance(v, str),
            "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
            "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
            "boolean": lambda v: isinstance(v, bool),
            "object": lambda v: isinstance(v, dict),
            "array": lambda v: isinstance(v, list),
            "null": lambda v: v is None,
        }
        if not any(checks[n](value) for n in names):
            return [f"{where}: {value!r} is not {kinds}"]
    if "enum" in schema and value not in schema["enum"]:
        out.append(f"{where}: {value!r} not in {schema['enum']}")
    if "const" in schema and value != schema["const"]:
        out.append(f"{where}: {value!r} != {schema['const']!r}")
    if isinstance(value, str) and "pattern" in schema and not re.search(schema["pattern"], value):
        out.append(f"{where}: {value!r} does not match {schema['pattern']}")
    if isinstance(value, int) and value < schema.get("minimum", value):
        out.append(f"{where}: below minimum")
    if isinstance(value, dict):
        out += [f"{where}: missing {k}" for k in schema.get("required", []) if k not in value]
        for k, v in value.items():
            sub = schema.get("properties", {}).get(k) or schema.get("additionalProperties")
            if isinstance(sub, dict):
                out += _errors(v, sub, f"{where}.{k}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            out += _errors(item, schema["items"], f"{where}[{i}]")
    return out


def test_the_spec_is_openapi_3_1_with_resolvable_refs() -> None:
    assert SPEC["openapi"].startswith("3.1")
    refs = re.findall(r'\$ref: "([^"]+)"', SPEC_PATH.read_text(encoding="utf-8"))
    assert refs
    for ref in set(refs):
        assert _resolve({"$ref": ref}), ref


def test_the_sandbox_implements_exactly_the_documented_operations() -> None:
    assert {(r.method, r.template) for r in ROUTES} == operations(SPEC)


def test_the_served_description_is_the_file_and_the_routes(sandbox: SandboxPlatform) -> None:
    served = served_description(sandbox.base_url)
    assert served == SPEC
    assert operations(served) == {(r.method, r.template) for r in ROUTES}


def test_every_problem_code_the_sandbox_uses_is_documented() -> None:
    documented = SPEC["components"]["schemas"]["Problem"]["properties"]["code"]["description"]
    source = "".join(p.read_text() for p in Path(sandbox.__file__).parent.glob("*.py"))
    used = set(re.findall(r'Problem\(\s*[\w.]+,\s*"(\w+)"', source))
    listed = set(re.findall(r"\w+", documented))
    assert len(used) > 20 and used <= listed, used - listed


def test_the_checker_can_fail() -> None:
    schema = {"$ref": "#/components/schemas/Receipt"}
    assert _errors({"case_no": "1", "status": "lost"}, schema)


@pytest.fixture
def call(sandbox: SandboxPlatform, token: str) -> Any:
    auth = {"X-Device-Id": "K-0001", "Authorization": f"Bearer {token}"}
    seen: list[tuple[str, str, int]] = []

    def do(method: str, path: str, template: str, **kw: Any) -> requests.Response:
        headers = auth | kw.pop("headers", {})
        resp = requests.request(method, sandbox.base_url + path, headers=headers, timeout=5, **kw)
        op = SPEC["paths"][template][method.lower()]
        assert str(resp.status_code) in op["responses"], (method, template, resp.status_code)
        content = _resolve(op["responses"][str(resp.status_code)]).get("content", {})
        answered = resp.headers.get("Content-Type", "")
        if "application/json" in content and answered.startswith("application/json"):
            errors = _errors(resp.json(), content["application/json"]["schema"])
            assert errors == [], (method, template, errors)
        if "application/problem+json" in content:
            assert resp.headers["Content-Type"] == "application/problem+json"
            assert _errors(resp.json(), content["application/problem+json"]["schema"]) == []
        seen.append((method, template, resp.status_code))
        return resp

    do.seen = seen  # type: ignore[attr-defined]
    return do


def test_answers_match_the_documented_schemas(call: Any) -> None:
    call("GET", "/v1/health", "/v1/health")
    case_no = call(
        "POST",
        "/v1/case-numbers",
        "/v1/case-numbers",
        json={"matter_code": "M-1"},
        headers={"Idempotency-Key": "a"},
    ).json()["case_no"]
    data = b"scan" * 100
    material = {
        "material_code": "ID",
        "filename": "id.jpg",
        "content_type": "image/jpeg",
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    app = {
        "case_no": case_no,
        "matter_code": "M-1",
        "matter_name": "证明",
        "department": "局",
        "applicant": {"id_type": "resident_id", "id_number": "330102199001011234", "name": "张三"},
        "answers": {"a": "b"},
        "channel": "kiosk",
        "station_id": "ST",
        "region_code": "330110",
        "mode": "instant",
        "materials": [material],
    }
    call("POST", "/v1/applications", "/v1/applications", json=app, headers={"Idempotency-Key": "b"})
    up = "/v1/applications/{case_no}/attachments"
    info = call("POST", f"/v1/applications/{case_no}/attachments", up, json=material).json()
    path = f"/v1/applications/{case_no}/attachments/{info['upload_id']}"
    tmpl = up + "/{upload_id}"
    call("HEAD", path, tmpl)
    octets = {"Content-Type": "application/offset+octet-stream"}
    call("PATCH", path, tmpl, data=data, headers=octets | {"Upload-Offset": "5"})
    call("PATCH", path, tmpl, data=data, headers=octets | {"Upload-Offset": "0"})
    call("GET", path, tmpl)
    call("GET", f"/v1/cases/{case_no}", "/v1/cases/{case_no}")
    pdf = call("GET", f"/v1/cases/{case_no}/certificate", "/v1/cases/{case_no}/certificate")
    assert pdf.headers["Content-Type"] == "application/pdf"
    call(
        "GET",
        f"/v1/cases/{case_no}/certificate",
        "/v1/cases/{case_no}/certificate",
        headers={"Accept": "application/json"},
    )
    call("GET", "/v1/cases/404", "/v1/cases/{case_no}")
    search = {"applicant": {"id_type": "resident_id", "id_number": "330102199001011234"}}
    found = call("POST", "/v1/cases/search", "/v1/cases/search", json=search).json()
    assert [c["case_no"] for c in found["cases"]] == [case_no]
    call("POST", "/v1/cases/search", "/v1/cases/search", json=search | {"station_id": "ST"})
    order = {"matter_code": "M-1", "amount_fen": 500, "station_id": "ST"}
    pay = call(
        "POST", "/v1/payments", "/v1/payments", json=order, headers={"Idempotency-Key": "p"}
    ).json()
    call("GET", f"/v1/payments/{pay['payment_id']}", "/v1/payments/{payment_id}")
    call("GET", "/v1/payments/P404", "/v1/payments/{payment_id}")
    rating = {
        "case_no": case_no,
        "matter_code": "M-1",
        "department": "局",
        "region_code": "330110",
        "channel": "kiosk",
        "station_id": "ST",
        "level": 4,
    }
    call("POST", "/v1/ratings", "/v1/ratings", json=rating)
    call("POST", "/v1/ratings", "/v1/ratings", json=rating | {"level": 1})
    slots = call(
        "GET", "/v1/appointments/slots?matter_code=M-1&station_id=ST", "/v1/appointments/slots"
    ).json()["slots"]
    booking = {
        "slot_id": slots[-1]["slot_id"],
        "matter_code": "M-1",
        "station_id": "ST",
        "channel": "kiosk",
        "applicant": app["applicant"],
    }
    appt = call("POST", "/v1/appointments", "/v1/appointments", json=booking).json()
    one = "/v1/appointments/{appointment_id}"
    call("GET", f"/v1/appointments/{appt['appointment_id']}", one)
    mine = call("POST", "/v1/appointments/search", "/v1/appointments/search", json=search).json()
    assert [a["appointment_id"] for a in mine["appointments"]] == [appt["appointment_id"]]
    call("POST", "/v1/appointments/search", "/v1/appointments/search", json={})  # 422
    call(
        "DELETE", f"/v1/appointments/{appt['appointment_id']}", "/v1/appointments/{appointment_id}"
    )
    complaint = {"category": "other", "content": "太慢", "channel": "kiosk", "station_id": "ST"}
    call("POST", "/v1/complaints", "/v1/complaints", json=complaint)
    elder = {"id_type": "resident_id", "id_number": "110101194305120026", "name": "李测试"}
    face = {
        "applicant": elder,
        "matter_code": "M-1",
        "station_id": "ST",
        "liveness": {"actions": ["blink"], "frames": 9, "duration_ms": 900, "method": "action"},
        "image": base64.b64encode(
            (ROOT / "sandbox/residents/110101194305120026.jpg").read_bytes()
        ).decode(),
    }
    fv = call("POST", "/v1/face-verifications", "/v1/face-verifications", json=face).json()
    certify = {"matter_code": "M-1", "applicant": elder, "station_id": "ST", "channel": "kiosk"}
    certify |= {"method": "face_platform", "verification_id": fv["verification_id"]}
    call("POST", "/v1/certifications", "/v1/certifications", json=certify)
    watched = call(
        "GET", "/v1/supervision/cases?station_id=ST&limit=1", "/v1/supervision/cases"
    ).json()
    assert [c["case_no"] for c in watched["cases"]] == [case_no]
    assert watched["cases"][0]["rating"]["level"] == 4  # the 1 without a reason was refused
    call("GET", "/v1/supervision/cases?station_id=ST&region_code=33", "/v1/supervision/cases")
    statuses = {(m, t, s) for m, t, s in call.seen}
    assert ("PATCH", tmpl, 409) in statuses and ("POST", "/v1/ratings", 422) in statuses
    assert {(m, t) for m, t, _ in statuses} == operations(SPEC)  # every operation exercised
