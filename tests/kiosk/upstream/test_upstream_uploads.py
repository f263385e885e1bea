"""Resumable attachment uploads through cut connections and a failing platform."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest

from kiosk.upstream import Application, HttpPlatformClient, PlatformUnavailable
from sandbox import SandboxPlatform
from sandbox.faultproxy import FaultProxy

MakeApp = Callable[..., Application]
KB = 1024
DATA = os.urandom(600 * KB)


def _patches(sandbox: SandboxPlatform) -> list[tuple[int, int]]:
    """(Upload-Offset, status) of every PATCH the sandbox saw; status 0 = cut short."""
    return [
        (int(offset or -1), status)
        for method, _, status, offset in sandbox.dispatcher.journal
        if method == "PATCH"
    ]


@pytest.fixture
def via_proxy(proxy: FaultProxy, token: str, sleeps: list[float]) -> Iterator[HttpPlatformClient]:
    c = HttpPlatformClient(
        proxy.url, "K-0001", token, timeout=5, sleep=sleeps.append, rand=lambda: 0.5
    )
    yield c
    c.close()


def test_an_upload_goes_in_bounded_chunks(
    sandbox: SandboxPlatform, client: HttpPlatformClient, make_app: MakeApp
) -> None:
    case_no = client.submit_application(make_app({"ID": DATA}), "k").case_no
    info = client.upload_attachment(case_no, "ID", "scan.jpg", "image/jpeg", DATA)
    assert info.complete and info.offset == len(DATA)
    assert _patches(sandbox) == [(0, 204), (256 * KB, 204), (512 * KB, 204)]
    assert sandbox.attachment_bytes(case_no, 0) == DATA


def test_a_connection_cut_mid_chunk_resumes_at_the_acknowledged_offset(
    sandbox: SandboxPlatform,
    proxy: FaultProxy,
    via_proxy: HttpPlatformClient,
    sleeps: list[float],
    make_app: MakeApp,
) -> None:
    case_no = via_proxy.submit_application(make_app({"ID": DATA}), "k").case_no
    proxy.set(cut_after=400 * KB)  # inside the second chunk
    via_proxy.upload_attachment(case_no, "ID", "scan.jpg", "image/jpeg", DATA)
    assert proxy.cuts == 1 and sleeps == [0.25]
    # the cut chunk was never stored; no acknowledged chunk was sent twice
    assert _patches(sandbox) == [(0, 204), (256 * KB, 0), (256 * KB, 204), (512 * KB, 204)]
    assert sandbox.attachment_bytes(case_no, 0) == DATA


def test_a_failing_platform_once_does_not_restart_the_upload(
    sandbox: SandboxPlatform, client: HttpPlatformClient, make_app: MakeApp
) -> None:
    case_no = client.submit_application(make_app({"ID": DATA}), "k").case_no
    sandbox.faults.add("status", method="PATCH", status=503, count=1)
    client.upload_attachment(case_no, "ID", "scan.jpg", "image/jpeg", DATA)
    assert _patches(sandbox) == [(0, 503), (0, 204), (256 * KB, 204), (512 * KB, 204)]
    assert sandbox.attachment_bytes(case_no, 0) == DATA


def test_a_later_call_continues_where_an_earlier_one_stopped(
    sandbox: SandboxPlatform,
    proxy: FaultProxy,
    via_proxy: HttpPlatformClient,
    client: HttpPlatformClient,
    make_app: MakeApp,
) -> None:
    case_no = via_proxy.submit_application(make_app({"ID": DATA}), "k").case_no
    proxy.set(cut_after=300 * KB)
    with pytest.raises(PlatformUnavailable):
        via_proxy.upload_attachment(case_no, "ID", "scan.jpg", "image/jpeg", DATA, resume=False)
    # e.g. after a reboot: a new client, the same content, no local state at all
    client.upload_attachment(case_no, "ID", "scan.jpg", "image/jpeg", DATA)
    sent = [offset for offset, status in _patches(sandbox) if status == 204]
    assert sent == [0, 256 * KB, 512 * KB]
    assert sandbox.attachment_bytes(case_no, 0) == DATA


def test_an_empty_attachment_completes_at_creation(
    sandbox: SandboxPlatform, client: HttpPlatformClient, make_app: MakeApp
) -> None:
    case_no = client.submit_application(make_app({"NOTE": b""}), "k").case_no
    info = client.upload_attachment(case_no, "NOTE", "scan.jpg", "image/jpeg", b"")
    assert info.complete and _patches(sandbox) == []
    assert sandbox.application(case_no)["status"] == "accepted"
