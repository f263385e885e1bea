"""Fixtures for the platform API's tests, on the client's side (tests/kiosk/upstream) and
the stand-in platform's (tests/sandbox): a sandbox on loopback with a frozen clock, a
registered device, a client whose sleeps are recorded instead of slept, and our
fault-injecting proxy in front of the sandbox. Each of those folders' conftest.py (and
tests/kiosk/outbox's, for the proxy) takes them from here."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kiosk.upstream import Applicant, Application, Backoff, HttpPlatformClient, MaterialRef
from sandbox import SandboxPlatform
from sandbox.faultproxy import FaultProxy
from tests.support import FakeClock

DEVICE = "K-0001"
START = 1_767_229_200.0  # 2026-01-01 09:00 CST, a Thursday


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def sandbox(tmp_path: Path, clock: FakeClock) -> Iterator[SandboxPlatform]:
    sb = SandboxPlatform(tmp_path / "sandbox.db", clock=clock)
    sb.start()
    yield sb
    sb.close()


@pytest.fixture
def token(sandbox: SandboxPlatform) -> str:
    return sandbox.register_device(DEVICE)


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def client(
    sandbox: SandboxPlatform, token: str, sleeps: list[float], clock: FakeClock
) -> Iterator[HttpPlatformClient]:
    c = HttpPlatformClient(
        sandbox.base_url,
        DEVICE,
        token,
        timeout=5,
        backoff=Backoff(base=0.5, cap=8.0, attempts=3),
        clock=clock,
        sleep=sleeps.append,
        rand=lambda: 0.5,
    )
    yield c
    c.close()


@pytest.fixture
def proxy(sandbox: SandboxPlatform) -> Iterator[FaultProxy]:
    """The fault-injecting proxy in front of ``sandbox``: faults are set on it."""
    p = FaultProxy(("127.0.0.1", int(sandbox.base_url.rsplit(":", 1)[1])))
    p.start()
    yield p
    p.stop()


def _ref(code: str, data: bytes, name: str = "scan.jpg") -> MaterialRef:
    return MaterialRef(code, name, "image/jpeg", len(data), hashlib.sha256(data).hexdigest())


@pytest.fixture
def make_app() -> Callable[..., Application]:
    """An application whose manifest lists ``files`` ({material_code: bytes})."""

    def make(files: dict[str, bytes] | None = None, **kw: object) -> Application:
        fields: dict[str, object] = {
            "matter_code": "330110-RS-001",
            "matter_name": "社会保险参保证明打印",
            "department": "区人力社保局",
            "applicant": Applicant("resident_id", "330102199001011234", "张三", "13800001234"),
            "answers": {"purpose": "贷款", "copies": "1"},
            "channel": "kiosk",
            "station_id": "ST-0001",
            "region_code": "330110",
            "materials": [_ref(code, data) for code, data in (files or {}).items()],
        }
        fields.update(kw)
        return Application(**fields)  # type: ignore[arg-type]

    return make
