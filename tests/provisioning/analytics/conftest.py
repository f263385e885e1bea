"""Fixtures for the analytics tests: accepted kiosks that post usage batches signed with
their own keys (raw bytes, so a test can send anything), on the fleet fixtures of
tests/provisioning/conftest.py; and the console's headless Chromium (``browser``,
``web``) from tests/provisioning/test_fleet_console.py."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from provisioning.agent import Agent
from provisioning.protocol import sign_request
from provisioning.server.app import FleetApp
from tests.provisioning.test_fleet_console import browser, web  # noqa: F401 (the console's)
from tests.support import FakeClock
from tests.support.closing import closing_all

CST = dt.timezone(dt.timedelta(hours=8))
ALLOWANCE = "33102300MZ-JF-0001"  # a matter of the release's catalogue (config/catalogue.json)


class Kiosk:
    """An accepted kiosk that posts usage batches to the fleet server."""

    def __init__(self, app: FleetApp, agent: Agent, clock: FakeClock) -> None:
        self.app, self.agent, self.clock = app, agent, clock
        self.http = requests.Session()
        self.nonce = 0

    def post(self, body: bytes | dict[str, Any], ctype: str = "application/json",
             path: str = "/v1/device/usage") -> tuple[int, dict[str, Any]]:  # fmt: skip
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.nonce += 1
        key = self.agent.key
        nonce = f"n-{self.nonce:08d}-{id(self)}"
        headers = sign_request(
            key.private, key.device_id, "POST", path, raw, int(self.clock()), nonce
        )
        headers["Content-Type"] = ctype
        resp = self.http.post(self.app.base_url + path, data=raw, headers=headers, timeout=30)
        return resp.status_code, resp.json() if resp.content else {}


def hour_text(moment: dt.datetime) -> str:
    return moment.astimezone(CST).replace(minute=0, second=0, microsecond=0).isoformat()


def batch(hour: str, *counters: dict[str, Any], bid: str | None = None) -> dict[str, Any]:
    return {
        "format": "bianmin-usage/1",
        "batch_id": bid or f"u-{hour[:13].replace('-', '').replace('T', '')}-0123456789abcdef",
        "hour": hour,
        "counters": list(counters),
    }


@pytest.fixture
def kiosk_at(
    make_agent: Callable[..., Agent], accept: Callable[..., Any], clock: FakeClock
) -> Iterator[Callable[..., Kiosk]]:
    names = (f"kiosk-{n}" for n in itertools.count())

    def make(app: FleetApp, site: str = "s-0001", name: str | None = None) -> Kiosk:
        name = name or next(names)
        agent = make_agent(name)
        accept(app, agent, site, serial=f"SN-{name}")
        return Kiosk(app, agent, clock)

    with closing_all(make, lambda kiosk: kiosk.http.close()) as made:
        yield made
