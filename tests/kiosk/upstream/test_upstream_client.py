"""The HTTP client: retries with full jitter, Retry-After, typed errors, timeouts."""

from __future__ import annotations

import email.utils
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kiosk.upstream import (
    Application,
    AuthError,
    Backoff,
    HttpPlatformClient,
    IdempotencyConflict,
    PlatformRejected,
    PlatformUnavailable,
)
from kiosk.upstream.retry import parse_retry_after
from sandbox import SandboxPlatform
from sandbox.faultproxy import FaultProxy


def test_full_jitter_is_uniform_below_the_capped_exponential() -> None:
    b = Backoff(base=0.5, cap=8.0)
    assert [b.delay(n, lambda: 1.0) for n in range(6)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    assert b.delay(3, lambda: 0.0) == 0.0
    assert b.delay(10_000, lambda: 0.25) == 2.0  # huge attempt numbers do not overflow


def test_retry_after_parses_seconds_and_http_dates() -> None:
    now = 1_767_229_200.0
    assert parse_retry_after("7", now) == 7.0
    assert parse_retry_after(email.utils.formatdate(now + 30, usegmt=True), now) == 30.0
    assert parse_retry_after(email.utils.formatdate(now - 30, usegmt=True), now) == 0.0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


def test_5xx_is_retried_with_full_jitter_then_succeeds(
    sandbox: SandboxPlatform, client: HttpPlatformClient, sleeps: list[float]
) -> None:
    sandbox.faults.add("status", path_prefix="/v1/case-numbers", count=2, status=503)
    case_no = client.issue_case("key-1", "330110-RS-001").case_no
    assert case_no.isdigit() and len(case_no) == 20
    assert sleeps == [0.25, 0.5]  # rand()=0.5 times min(cap, 0.5 * 2**attempt)


def test_retry_after_is_honoured(
    sandbox: SandboxPlatform, client: HttpPlatformClient, sleeps: list[float]
) -> None:
    sandbox.faults.add("status", path_prefix="/v1/cases", status=429, retry_after="7")
    with pytest.raises(PlatformRejected, match="no application"):
        client.get_case("33011020260101000010")
    assert sleeps == [7.0]


def test_a_long_retry_after_is_handed_to_the_caller(
    sandbox: SandboxPlatform, client: HttpPlatformClient, sleeps: list[float]
) -> None:
    sandbox.faults.add("status", path_prefix="/v1/case-numbers", status=503, retry_after="600")
    with pytest.raises(PlatformUnavailable) as err:
        client.issue_case("key-1", "330110-RS-001")
    assert err.value.retry_after == 600.0 and err.value.status == 503
    assert sleeps == []  # the pump, not the client, waits ten minutes


def test_gives_up_after_the_attempts_with_a_retryable_error(
    sandbox: SandboxPlatform, client: HttpPlatformClient, sleeps: list[float]
) -> None:
    sandbox.faults.add("status", path_prefix="/", count=-1, status=502)
    with pytest.raises(PlatformUnavailable) as err:
        client.issue_case("key-1", "330110-RS-001")
    assert err.value.retryable and err.value.status == 502
    assert len(sleeps) == 2  # three attempts


def test_refused_connection_is_unavailable(sandbox: SandboxPlatform, token: str) -> None:
    sandbox.stop()
    client = HttpPlatformClient(sandbox.base_url, "K-0001", token, timeout=1, sleep=lambda s: None)
    with pytest.raises(PlatformUnavailable) as err:
        client.issue_case("key-1", "330110-RS-001")
    assert err.value.code == "network"
    client.close()


def test_a_stalled_platform_times_out(proxy: FaultProxy, token: str) -> None:
    proxy.set(stall=True)
    client = HttpPlatformClient(proxy.url, "K-0001", token, timeout=0.3, sleep=lambda s: None)
    try:
        with pytest.raises(PlatformUnavailable) as err:
            client.issue_case("key-1", "330110-RS-001", attempts=1)
        assert err.value.code == "timeout"
        proxy.set()
        assert client.issue_case("key-1", "330110-RS-001").case_no.isdigit()
    finally:
        client.close()


def test_typed_errors(
    sandbox: SandboxPlatform, client: HttpPlatformClient, make_app: Callable[..., Application]
) -> None:
    client.issue_case("key-1", "330110-RS-001")
    with pytest.raises(IdempotencyConflict) as conflict:
        client.issue_case("key-1", "330110-OTHER")
    assert conflict.value.code == "idempotency_key_reused" and conflict.value.status == 409
    with pytest.raises(PlatformRejected) as rejected:
        client.submit_application(make_app(channel="fax"), "key-2")
    assert rejected.value.code == "invalid_field" and not rejected.value.retryable
    bad = HttpPlatformClient(sandbox.base_url, "K-0001", "wrong-token", sleep=lambda s: None)
    with pytest.raises(AuthError) as auth:
        bad.get_case("33011020260101000010")
    assert auth.value.code == "auth_invalid" and not isinstance(auth.value, PlatformRejected)
    bad.close()


class _Portal(BaseHTTPRequestHandler):
    """A village captive portal: everything is an HTML page."""

    status = 200

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = b"<html>please log in to the village wifi</html>"
        self.send_response(self.status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(params=[200, 403, 404])
def portal(request: pytest.FixtureRequest) -> Iterator[str]:
    handler = type("Portal", (_Portal,), {"status": request.param})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def test_a_captive_portal_is_unavailable_never_a_rejection(portal: str) -> None:
    # Regression guard: an HTML 403/404 from a portal must not mark applications rejected.
    client = HttpPlatformClient(portal, "K-0001", "t", sleep=lambda s: None)
    with pytest.raises(PlatformUnavailable) as err:
        client.issue_case("key-1", "330110-RS-001")
    assert err.value.code == "bad_response"
    client.close()


def test_ping(sandbox: SandboxPlatform, client: HttpPlatformClient) -> None:
    assert client.ping()
    sandbox.stop()
    assert not client.ping(timeout=0.5)


def test_the_token_never_shows_in_a_repr(client: HttpPlatformClient, token: str) -> None:
    assert token not in repr(client._auth) and "K-0001" in repr(client._auth)
