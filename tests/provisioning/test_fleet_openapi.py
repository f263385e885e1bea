"""The OpenAPI description and the server agree: the same operations, every problem code
documented, and schemathesis finds no answer that breaks the description."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
import yaml
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

import provisioning.server as server_pkg
from provisioning.server.accounts import cli_actor
from provisioning.server.app import FleetApp
from provisioning.server.ratelimit import TokenBuckets
from provisioning.server.routes import API_ROUTES
from tests.provisioning.conftest import generous_limits, otp

SPEC_PATH = Path(server_pkg.__file__).with_name("openapi.yaml")
SPEC: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
METHODS = ("get", "post", "put", "patch", "delete")


def _operations(description: dict[str, Any]) -> set[tuple[str, str]]:
    """(METHOD, path template) of every operation an OpenAPI description lists."""
    return {(m.upper(), p) for p, item in description["paths"].items() for m in item
            if m in METHODS}  # fmt: skip


ROUTED = {(r.method, r.template) for r in API_ROUTES}


def test_the_server_implements_exactly_the_documented_operations() -> None:
    assert _operations(SPEC) == ROUTED


def test_every_problem_code_the_server_raises_is_documented() -> None:
    documented = set(SPEC["components"]["schemas"]["Problem"]["properties"]["code"]
                     ["description"].split())  # fmt: skip
    source = "".join(
        p.read_text(encoding="utf-8") for p in SPEC_PATH.parent.rglob("*.py") if p.name != "cli.py"
    )  # the command line's own codes never go on the wire
    used = set(re.findall(r'code="(\w+)"', source)) | set(
        re.findall(r'_status\(\d+, "(\w+)"', source)
    )
    used |= {"auth_required", "invalid_field", "not_found", "too_many_requests", "bad_request"}
    assert len(used) > 30 and used <= documented, used - documented


# ---- schemathesis -------------------------------------------------------------------------

SCHEMA = schemathesis.openapi.from_path(SPEC_PATH)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """One SQLite server for the whole module (hypothesis calls each test many times)."""
    app = FleetApp(tmp_path_factory.mktemp("fleet-openapi"), None,
                   buckets=TokenBuckets(rate=1000, burst=1000),
                   client_limits=generous_limits())  # fmt: skip
    actor = cli_actor("test")
    app.fleet.add_region(actor, "33", "浙江省", "province", None)
    app.fleet.add_region(actor, "s-1", "站", "site", "33")
    app.fleet.add_admin(actor, "alice", "correct horse battery", "province_admin", None)
    base = app.start()
    token = requests.post(base + "/v1/admin/login", timeout=10,
                          json={"username": "alice", "password": "correct horse battery",
                                "otp": otp(app, "alice")}).json()["token"]  # fmt: skip
    yield base, token
    app.stop()


def test_the_served_description_is_the_file_and_the_routes(live: tuple[str, str]) -> None:
    resp = requests.get(live[0] + "/openapi.json", timeout=10)
    assert resp.status_code == 200 and resp.headers["Content-Type"] == "application/json"
    served = resp.json()
    assert served == SPEC
    assert _operations(served) == ROUTED


@SCHEMA.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,  # the same examples on every run: CI stays reproducible
)
def test_answers_conform_to_the_description(case: Any, live: tuple[str, str]) -> None:
    base, token = live
    if case.path == "/v1/admin/logout":
        return  # would end the session the other operations run on
    # Every check but "positive data acceptance": schema-valid data can still break a
    # business rule the schema cannot say (a county admin needs a scope, a site id must
    # exist, a CSV needs a row), and the server rightly answers 422 for those. A random
    # run once failed "negative data rejection" on a case whose only mutation was the
    # missing Authorization header that the line below puts back (the extra query
    # parameter it named did not reach the wire): examples are fixed so CI reproduces.
    case.call_and_validate(
        base_url=base,
        headers={"Authorization": f"Bearer {token}"},
        excluded_checks=[positive_data_acceptance],
    )
