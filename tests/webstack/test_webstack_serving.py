"""uvicorn on a background thread: it serves once ``start`` returns, a restart binds the
same port, and ``stop`` finishes answers under way, closes every connection and leaves no
thread behind."""

from __future__ import annotations

import socket
import threading

import pytest
import requests

from tests.support.raw_http import exchange
from tests.webstack.conftest import TYPES, Stack
from webstack.serving import QUIET, ServerThread


def _threads(name: str) -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == name]


def test_it_serves_once_started_and_stops_with_nothing_left(stack: Stack) -> None:
    assert requests.get(stack.base_url + "/echo/a", timeout=10).status_code == 200
    assert len(_threads("webstack-test")) == 1
    stack.server.stop()
    assert _threads("webstack-test") == []
    with pytest.raises(requests.ConnectionError):
        requests.get(stack.base_url + "/echo/a", timeout=10)
    stack.server.stop()  # stopping again does nothing


def test_a_restart_binds_the_same_port(stack: Stack) -> None:
    before = stack.base_url
    stack.server.stop()
    assert stack.start() == before
    assert requests.get(stack.base_url + "/echo/a", timeout=10).status_code == 200


def test_stop_lets_an_answer_under_way_finish(stack: Stack) -> None:
    answers: list[requests.Response] = []
    asking = threading.Thread(
        target=lambda: answers.append(requests.get(stack.base_url + "/slow", timeout=30))
    )
    asking.start()
    assert stack.slow.entered.wait(10)
    stopping = threading.Thread(target=stack.server.stop)
    stopping.start()
    stack.slow.release.set()
    stopping.join()
    asking.join()
    assert answers[0].status_code == 200 and answers[0].json() == "done"
    assert _threads("webstack-test") == []


def test_stop_closes_idle_and_half_sent_connections(stack: Stack) -> None:
    host, port = stack.base_url.removeprefix("http://").split(":")
    idle = socket.create_connection((host, int(port)), timeout=10)
    half = socket.create_connection((host, int(port)), timeout=10)
    half.sendall(b"GET /echo/a HTTP/1.1\r\nHost: x\r\n")  # the headers never end
    assert requests.get(stack.base_url + "/echo/a", timeout=10).ok  # both are connected now
    stack.server.stop()
    for sock in (idle, half):
        with sock:
            assert sock.recv(100) == b""  # closed by the server


def test_a_port_in_use_is_an_oserror() -> None:
    # Regression: the socket that failed to bind was left open (a ResourceWarning, an
    # error under this suite's warning filter)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        server = ServerThread(object(), "127.0.0.1", taken.getsockname()[1], name="other")
        with pytest.raises(OSError):
            server.start(**QUIET)
    assert _threads("other") == []


@pytest.mark.parametrize(
    "framing",
    [
        b"Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}",  # request smuggling's first step
        b"Content-Length: 2\r\nContent-Length: 30\r\n\r\n{}",
        b"Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
        b"Content-Length: x\r\n\r\n",
    ],
)
def test_what_the_parser_refuses_is_a_problem_document(stack: Stack, framing: bytes) -> None:
    head, rest = exchange(stack.base_url, b"POST /echo/a HTTP/1.1\r\nHost: x\r\n" + framing)
    assert head == b"HTTP/1.1 400 Bad Request"
    assert b"connection: close" in rest and b"content-type: application/problem+json" in rest
    body = rest.partition(b"\r\n\r\n")[2]
    assert b'"type": "' + TYPES.encode() + b'malformed_request"' in body
    assert b'"detail": "the request is not valid HTTP/1.1"' in body
