"""Problem documents (RFC 9457): the server's type URI plus the code, a title from the
code, the field only when there is one, Chinese as it is; and answers as sent."""

from __future__ import annotations

import json

import requests

from tests.webstack.conftest import Refused, Stack
from webstack.messages import PROBLEM_TYPE, problem_document, problem_response


def test_a_problem_document_names_its_type_by_code() -> None:
    raw = problem_document(409, "slot_full", "该时段已约满", types="https://x.test/problems/")
    assert json.loads(raw) == {
        "type": "https://x.test/problems/slot_full",
        "title": "slot full",
        "status": 409,
        "code": "slot_full",
        "detail": "该时段已约满",
    }
    assert "该时段已约满".encode() in raw  # UTF-8, not \\u escapes


def test_the_field_is_named_when_there_is_one() -> None:
    raw = problem_document(422, "invalid_field", "required", types="t:", field="applicant.name")
    assert json.loads(raw)["field"] == "applicant.name"


def test_a_refusal_answers_with_its_headers_copied() -> None:
    refused = Refused(413, "body_too_large", "body over 16 bytes")
    resp = problem_response(refused, "t:")
    assert (resp.status, resp.content_type) == (413, PROBLEM_TYPE)
    assert resp.headers == {"Connection": "close"}
    resp.headers["X-Other"] = "1"
    assert refused.headers == {"Connection": "close"}


def test_head_gets_the_headers_without_the_body(stack: Stack) -> None:
    resp = requests.head(stack.base_url + "/echo/a", timeout=10)
    assert resp.status_code == 200 and resp.content == b""
    assert int(resp.headers["Content-Length"]) > 0
