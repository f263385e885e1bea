"""Schemathesis against kiosk/upstream/openapi.yaml: the sandbox on loopback answers
what the file documents — status codes, content types, bodies, headers, no server
errors, 405 for other methods, and schema-valid requests never refused as malformed.

Bounded (``MAX_EXAMPLES`` per operation) so that it runs in well under two minutes.
``negative_data_rejection`` is left out on purpose: the API counts an optional string
sent as ``""`` as absent (documented in the file), which that check reads as accepting
invalid data. Hostile input is covered by test_upstream_hostile.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks

import kiosk.upstream as upstream_pkg
from kiosk.upstream import fields as f
from kiosk.upstream.models import MaterialRef
from sandbox import SandboxPlatform

SPEC = Path(upstream_pkg.__file__).with_name("openapi.yaml")
DEVICE = "K-SCHEMA"
MAX_EXAMPLES = 60
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
    checks.unsupported_method,
    checks.positive_data_acceptance,
]

# tus chunks: the body is the bytes themselves.
schemathesis.serializer.alias("application/offset+octet-stream", "application/octet-stream")
schema = schemathesis.openapi.from_path(SPEC)
# Schema-valid data may still break a business rule the schema cannot state (a case
# number not issued to this device, a low rating without a reason): 422, documented.
schema.config.checks.positive_data_acceptance.expected_statuses = [
    "2xx",
    "3xx",
    "401",
    "403",
    "404",
    "409",
    "422",
    "429",
]


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    sandbox = SandboxPlatform(tmp_path_factory.mktemp("schemathesis") / "sandbox.db")
    url = sandbox.start()
    token = sandbox.register_device(DEVICE)
    yield url, {"X-Device-Id": DEVICE, "Authorization": f"Bearer {token}"}
    sandbox.close()


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    derandomize=True,  # the same examples on every run: CI stays reproducible
)
def test_the_sandbox_answers_what_the_openapi_file_documents(
    case: Any, platform: tuple[str, dict[str, str]]
) -> None:
    url, auth = platform
    case.call_and_validate(base_url=url, headers=auth, checks=CHECKS)


# What schemathesis found, pinned one by one.


def test_other_methods_get_a_405_problem_not_an_html_501(
    platform: tuple[str, dict[str, str]],
) -> None:
    url, auth = platform
    for method in ("TRACE", "QUERY", "PROPFIND"):
        resp = requests.request(method, f"{url}/v1/health", headers=auth, timeout=5)
        assert resp.status_code == 405, method
        assert resp.headers["Content-Type"] == "application/problem+json"
        assert resp.json()["code"] == "method_not_allowed" and resp.headers["Allow"] == "GET"


def test_an_integer_may_come_as_a_whole_json_number() -> None:
    ref = b'{"material_code": "A", "filename": "a.jpg", "content_type": "image/jpeg",'
    digest = b'"sha256": "' + b"0" * 64 + b'"'
    assert f.load(MaterialRef, ref + b'"size": 3.0, ' + digest + b"}").size == 3
    for size in (b"3.5", b"true", b'"3"'):
        with pytest.raises(f.FieldError) as bad:
            f.load(MaterialRef, ref + b'"size": ' + size + b", " + digest + b"}")
        assert bad.value.field == "size"


def test_slot_times_are_rfc_3339_date_times(platform: tuple[str, dict[str, str]]) -> None:
    url, auth = platform
    resp = requests.get(
        f"{url}/v1/appointments/slots",
        params={"matter_code": "M1", "station_id": "S1"},
        headers=auth,
        timeout=5,
    )
    slot = resp.json()["slots"][0]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00", slot["start"]), slot
