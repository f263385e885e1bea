"""Hostile requests get a clear 4xx problem+json and leave nothing stored half-way."""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.upstream import Application, HttpPlatformClient, MaterialRef
from sandbox import SandboxPlatform
from tests.support.raw_http import exchange

MakeApp = Callable[..., Application]


class Api:
    """Raw requests as the sandbox's device, so tests can send anything at all."""

    def __init__(self, base_url: str, token: str) -> None:
        self.base = base_url
        self.auth = {"X-Device-Id": "K-0001", "Authorization": f"Bearer {token}"}

    def post(self, path: str, body: bytes, **headers: str) -> requests.Response:
        hdrs = self.auth | {"Content-Type": "application/json", "Idempotency-Key": "hk"}
        hdrs |= {k.replace("_", "-"): v for k, v in headers.items()}
        return requests.post(self.base + path, data=body, headers=hdrs, timeout=5)

    def patch(self, path: str, body: bytes, **headers: str) -> requests.Response:
        hdrs = self.auth | {"Content-Type": "application/offset+octet-stream"}
        hdrs |= {k.replace("_", "-"): v for k, v in headers.items()}
        return requests.patch(self.base + path, data=body, headers=hdrs, timeout=5)


@pytest.fixture
def api(sandbox: SandboxPlatform, token: str) -> Api:
    return Api(sandbox.base_url, token)


def _problem(resp: requests.Response, status: int, code: str) -> dict[str, Any]:
    assert resp.status_code == status, resp.text
    assert resp.headers["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = resp.json()
    assert body["code"] == code and body["status"] == status
    return body


def _stored(sandbox: SandboxPlatform) -> tuple[int, ...]:
    tables = ("applications", "case_numbers", "idempotency", "uploads", "upload_chunks")
    return tuple(int(sandbox.db.query(f"SELECT COUNT(*) FROM {t}")[0][0]) for t in tables)


def test_malformed_json(sandbox: SandboxPlatform, api: Api) -> None:
    _problem(api.post("/v1/applications", b'{"matter_code": '), 400, "malformed_json")
    _problem(api.post("/v1/applications", b"\xff\xfe"), 400, "malformed_json")
    for number in (b"NaN", b"Infinity", b"-Infinity", b"1e999"):  # not JSON numbers
        _problem(api.post("/v1/applications", b'{"promised_days": ' + number + b"}"), 400,
                 "malformed_json")  # fmt: skip
    deep = b'{"answers": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"  # a 4xx, not a traceback
    _problem(api.post("/v1/applications", deep), 400, "malformed_json")
    _problem(api.post("/v1/applications", b"[1, 2]"), 422, "invalid_field")
    resp = api.post("/v1/applications", b"{}", Content_Type="text/plain")
    _problem(resp, 415, "unsupported_media_type")
    assert _stored(sandbox) == (0, 0, 0, 0, 0)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"applicant": "张三"}, "applicant"),
        ({"answers": {"copies": 1}}, "answers.copies"),
        ({"channel": "fax"}, "channel"),
        ({"region_code": 330110}, "region_code"),
        ({"matter_code": ""}, "matter_code"),
        ({"promised_days": True}, "promised_days"),
        ({"matter_name": "x" * 201}, "matter_name"),
        ({"materials": [{"material_code": "A", "filename": "a.jpg"}]}, "materials[0].content_type"),
    ],
)
def test_wrong_types_name_the_field(
    sandbox: SandboxPlatform, api: Api, make_app: MakeApp, change: dict[str, Any], field: str
) -> None:
    body = make_app().to_json() | change
    problem = _problem(
        api.post("/v1/applications", json.dumps(body).encode()), 422, "invalid_field"
    )
    assert problem["field"] == field
    assert _stored(sandbox) == (0, 0, 0, 0, 0)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("../../etc/passwd", "bad_filename"),
        ("a/b.jpg", "bad_filename"),
        ("..\\boot.ini", "bad_filename"),
        (".bashrc", "bad_filename"),
        ("c:evil", "bad_filename"),
        ("a\x00b.jpg", "invalid_field"),  # NUL is refused by every string field
    ],
)
def test_path_tricks_in_file_names_are_refused(
    sandbox: SandboxPlatform, api: Api, make_app: MakeApp, name: str, code: str
) -> None:
    ref = MaterialRef("ID", name, "image/jpeg", 1, hashlib.sha256(b"x").hexdigest())
    body = json.dumps(make_app(materials=[ref]).to_json()).encode()
    problem = _problem(api.post("/v1/applications", body), 422, code)
    assert problem["field"] == "materials[0].filename"
    assert _stored(sandbox) == (0, 0, 0, 0, 0)


def test_an_oversized_body_is_refused_unread_and_the_connection_closed(
    sandbox: SandboxPlatform, token: str
) -> None:
    head, rest = exchange(
        sandbox.base_url,
        b"POST /v1/applications HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"X-Device-Id: K-0001\r\nAuthorization: Bearer " + token.encode() + b"\r\n"
        b"Idempotency-Key: k\r\nContent-Length: 104857600\r\n\r\n{",
    )
    assert head == b"HTTP/1.1 413 Request Entity Too Large"
    assert b"connection: close" in rest.lower() and b'"code": "body_too_large"' in rest
    assert _stored(sandbox) == (0, 0, 0, 0, 0)


@pytest.mark.parametrize(
    "framing",
    [
        b"Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
        b"\r\n",
        b"Content-Length: x\r\n\r\n",
    ],
)
def test_bodies_need_a_content_length(sandbox: SandboxPlatform, token: str, framing: bytes) -> None:
    head, rest = exchange(
        sandbox.base_url,
        b"POST /v1/case-numbers HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"X-Device-Id: K-0001\r\nAuthorization: Bearer " + token.encode() + b"\r\n" + framing,
    )
    assert head.split()[1] in (b"411", b"400") and b"connection: close" in rest.lower()
    assert b"application/problem+json" in rest
    assert _stored(sandbox) == (0, 0, 0, 0, 0)


@pytest.mark.parametrize(
    "framing",
    [
        b"Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}",  # request smuggling's first step
        b"Content-Length: 2\r\nContent-Length: 30\r\n\r\n{}",
        b"Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
    ],
)
def test_ambiguous_framing_is_refused_as_a_problem(
    sandbox: SandboxPlatform, token: str, framing: bytes
) -> None:
    head, rest = exchange(
        sandbox.base_url,
        b"POST /v1/case-numbers HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"X-Device-Id: K-0001\r\nAuthorization: Bearer " + token.encode() + b"\r\n"
        b"Idempotency-Key: k\r\n" + framing,
    )
    assert head.split()[1] == b"400" and b"connection: close" in rest.lower()
    assert b'"code": "malformed_request"' in rest
    assert _stored(sandbox) == (0, 0, 0, 0, 0)


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, "auth_required"),
        ({"X-Device-Id": "K-0001"}, "auth_required"),
        ({"X-Device-Id": "K-0001", "Authorization": "Basic abc"}, "auth_required"),
        ({"X-Device-Id": "K-0001", "Authorization": "Bearer wrong"}, "auth_invalid"),
        ({"X-Device-Id": "K-0002", "Authorization": "Bearer {token}"}, "auth_invalid"),
        ({"X-Device-Id": "../K-0001", "Authorization": "Bearer {token}"}, "auth_invalid"),
    ],
)
def test_bad_credentials(
    sandbox: SandboxPlatform, token: str, headers: dict[str, str], code: str
) -> None:
    hdrs = {k: v.replace("{token}", token) for k, v in headers.items()}
    resp = requests.post(
        sandbox.base_url + "/v1/case-numbers",
        json={"matter_code": "M"},
        headers=hdrs | {"Idempotency-Key": "k"},
        timeout=5,
    )
    _problem(resp, 401, code)
    assert _stored(sandbox) == (0, 0, 0, 0, 0)


def test_unknown_paths_methods_and_path_tricks(sandbox: SandboxPlatform, api: Api) -> None:
    get = lambda path: requests.get(sandbox.base_url + path, headers=api.auth, timeout=5)  # noqa: E731
    _problem(get("/v1/nothing"), 404, "not_found")
    _problem(get("/v1/cases/..%2F..%2Fetc%2Fpasswd"), 404, "not_found")
    _problem(get("/v1/cases/%00"), 404, "not_found")
    put = requests.put(sandbox.base_url + "/v1/ratings", data=b"", headers=api.auth, timeout=5)
    assert _problem(put, 405, "method_not_allowed") and put.headers["Allow"] == "POST"


def test_idempotency_keys_are_checked(sandbox: SandboxPlatform, api: Api) -> None:
    body = b'{"matter_code": "M-1"}'
    _problem(
        api.post("/v1/case-numbers", body, Idempotency_Key="k" * 256),
        400,
        "idempotency_key_invalid",
    )
    _problem(
        api.post("/v1/case-numbers", body, Idempotency_Key="a b"), 400, "idempotency_key_invalid"
    )
    resp = requests.post(
        sandbox.base_url + "/v1/case-numbers",
        data=body,
        headers=api.auth | {"Content-Type": "application/json"},
        timeout=5,
    )
    _problem(resp, 400, "idempotency_key_required")
    assert _stored(sandbox) == (0, 0, 0, 0, 0)


def _start_upload(client: HttpPlatformClient, make_app: MakeApp, data: bytes) -> tuple[str, str]:
    case_no = client.submit_application(make_app({"ID": data}), "app").case_no
    ref = MaterialRef("ID", "scan.jpg", "image/jpeg", len(data), hashlib.sha256(data).hexdigest())
    info = client.create_upload(case_no, ref, "up")
    return case_no, f"/v1/applications/{case_no}/attachments/{info.upload_id}"


def _digest(chunk: bytes) -> str:
    return "sha256 " + base64.b64encode(hashlib.sha256(chunk).digest()).decode()


def test_hostile_chunks_store_nothing(
    sandbox: SandboxPlatform, api: Api, client: HttpPlatformClient, make_app: MakeApp
) -> None:
    data = bytes(range(256)) * 40
    case_no, path = _start_upload(client, make_app, data)
    assert api.patch(path, data[:1000], Upload_Offset="0").status_code == 204
    wrong = api.patch(path, data[:1000], Upload_Offset="0")
    _problem(wrong, 409, "offset_mismatch")
    assert wrong.headers["Upload-Offset"] == "1000"
    _problem(
        api.patch(path, data[1000:] + b"extra", Upload_Offset="1000"), 400, "upload_past_length"
    )
    _problem(api.patch(path, data[1000:2000], Upload_Offset="-1"), 400, "bad_offset")
    bad = api.patch(path, data[1000:2000], Upload_Offset="1000", Upload_Checksum=_digest(b"other"))
    _problem(bad, 422, "checksum_mismatch")
    _problem(
        api.patch(path, data[1000:2000], Upload_Offset="1000", Content_Type="application/json"),
        415,
        "unsupported_media_type",
    )
    _problem(api.patch(path, b"x" * (1024 * 1024 + 1), Upload_Offset="1000"), 413, "body_too_large")
    assert client.upload_status(case_no, path.rsplit("/", 1)[1]).offset == 1000
    assert sandbox.attachment_bytes(case_no, 0) == data[:1000]


def test_a_file_that_does_not_match_its_sha256_restarts_at_zero(
    sandbox: SandboxPlatform, api: Api, client: HttpPlatformClient, make_app: MakeApp
) -> None:
    data = b"a" * 3000
    case_no, path = _start_upload(client, make_app, data)
    assert api.patch(path, b"a" * 2000, Upload_Offset="0").status_code == 204
    _problem(api.patch(path, b"b" * 1000, Upload_Offset="2000"), 422, "checksum_mismatch")
    upload_id = path.rsplit("/", 1)[1]
    assert client.upload_status(case_no, upload_id).offset == 0
    assert client.append_chunk(case_no, upload_id, 0, data) == 3000
    assert sandbox.application(case_no)["status"] == "accepted"


def test_another_devices_case_is_invisible_to_uploads(
    sandbox: SandboxPlatform, client: HttpPlatformClient, make_app: MakeApp
) -> None:
    data = b"z" * 100
    case_no, path = _start_upload(client, make_app, data)
    other = Api(sandbox.base_url, sandbox.register_device("K-0002"))
    other.auth["X-Device-Id"] = "K-0002"
    _problem(other.patch(path, data, Upload_Offset="0"), 404, "case_not_found")
    assert client.upload_status(case_no, path.rsplit("/", 1)[1]).offset == 0


_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)  # refused as malformed: see below
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(field=st.sampled_from(sorted(Application.__dataclass_fields__)), value=_json)
def test_any_field_set_to_any_json_never_breaks_the_sandbox(
    sandbox: SandboxPlatform, api: Api, make_app: MakeApp, field: str, value: Any
) -> None:
    before = len(sandbox.applications())
    body = make_app().to_json() | {field: value}
    resp = api.post("/v1/applications", json.dumps(body).encode(), Idempotency_Key=uuid.uuid4().hex)
    assert resp.status_code in (201, 422), resp.text
    created = len(sandbox.applications()) - before
    assert created == (1 if resp.status_code == 201 else 0)
