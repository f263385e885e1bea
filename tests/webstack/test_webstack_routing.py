"""What Starlette refuses or what fails unexpectedly is a problem document too, and the
OpenAPI description is served from its YAML file."""

from __future__ import annotations

import logging

import pytest
import requests
import yaml

from tests.webstack.conftest import SPEC, TYPES, Stack


def _problem(resp: requests.Response, status: int, code: str, detail: str) -> None:
    assert resp.status_code == status, resp.text
    assert resp.headers["Content-Type"] == "application/problem+json"
    body = resp.json()
    assert (body["type"], body["code"], body["detail"]) == (TYPES + code, code, detail)


def test_no_such_path_is_a_404_problem(stack: Stack) -> None:
    _problem(requests.get(stack.base_url + "/nothing", timeout=10), 404, "not_found",
             "no such resource")  # fmt: skip


def test_a_method_the_route_does_not_take_is_a_405_problem(stack: Stack) -> None:
    resp = requests.post(stack.base_url + "/only-get", timeout=10)
    _problem(resp, 405, "bad_request", "Method Not Allowed")


def test_a_failure_is_a_500_problem_without_the_traceback(
    stack: Stack, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="webstack.routing"):
        resp = requests.get(stack.base_url + "/crash", timeout=10)
    _problem(resp, 500, "internal_error", "it failed")
    assert "a bug" not in resp.text
    (record,) = [r for r in caplog.records if r.name == "webstack.routing"]
    assert record.getMessage() == "it failed: GET /crash" and record.exc_info is not None


def test_the_openapi_description_is_the_yaml_file_as_json(stack: Stack) -> None:
    resp = requests.get(stack.base_url + "/openapi.json", timeout=10)
    assert resp.status_code == 200 and resp.headers["Content-Type"] == "application/json"
    assert resp.json() == yaml.safe_load(SPEC)
