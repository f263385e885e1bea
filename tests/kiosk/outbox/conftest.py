"""Fixtures for the outbox tests: a sandbox platform on loopback, a client that does not
retry by itself (the pump does), an outbox with a fresh key, and sample submissions
carrying planted personal data that must never reach the disk in clear."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.outbox import Attachment, Outbox, Submission, new_key
from kiosk.upstream import Agent, Applicant, Backoff, HttpPlatformClient
from sandbox import SandboxPlatform
from tests.support.closing import closing_all
from tests.support.platform import proxy  # noqa: F401  (a fixture)

NAME = "欧阳明月"
ID_NUMBER = "33010219851231987X"
PHONE = "13912345678"
SCAN_MARK = b"SCAN-MARKER-0123456789"


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[SandboxPlatform]:
    sb = SandboxPlatform(tmp_path / "sandbox.db")
    sb.start()
    yield sb
    sb.close()


@pytest.fixture
def token(sandbox: SandboxPlatform) -> str:
    return sandbox.register_device("K-0001")


@pytest.fixture
def client(sandbox: SandboxPlatform, token: str) -> Iterator[HttpPlatformClient]:
    c = HttpPlatformClient(
        sandbox.base_url, "K-0001", token, timeout=2, backoff=Backoff(attempts=1)
    )
    yield c
    c.close()


@pytest.fixture
def key() -> bytes:
    return new_key()


@pytest.fixture
def open_outbox(tmp_path: Path, key: bytes) -> Iterator[Callable[..., Outbox]]:
    """Open the outbox of ``tmp_path/state`` with ``key`` (``Outbox``'s options: a clock,
    a failpoint), again after a close if need be; every one is closed at the end."""

    def make(**options: Any) -> Outbox:
        return Outbox(tmp_path / "state" / "outbox.db", key, **options)

    with closing_all(make) as opened:
        yield opened


@pytest.fixture
def outbox(open_outbox: Callable[..., Outbox]) -> Outbox:
    return open_outbox()


@pytest.fixture
def make_sub() -> Callable[..., Submission]:
    """A submission with ``sizes`` attachments of those sizes (bytes)."""

    def make(sizes: tuple[int, ...] = (40_000, 3_000), **kw: object) -> Submission:
        files = [
            Attachment(f"M{i}", f"{NAME}-身份证-{i}.jpg", "image/jpeg", SCAN_MARK + os.urandom(n))
            for i, n in enumerate(sizes)
        ]
        fields: dict[str, object] = {
            "matter_code": "330110-MZ-012",
            "matter_name": "最低生活保障申请",
            "department": "区民政局",
            "applicant": Applicant("resident_id", ID_NUMBER, NAME, PHONE),
            "answers": {"household_size": "3", "address": "杭州市余杭区良渚街道新港村12号"},
            "attachments": files,
            "channel": "assisted",
            "station_id": "ST-0001",
            "region_code": "330110",
            "agent": Agent("A-7", "李代办"),
        }
        fields.update(kw)
        return Submission(**fields)  # type: ignore[arg-type]

    return make
