"""A body is bounded before it is read: it must say its length, a length over the limit
is refused unread (after taking in what is already on its way), and a client that leaves
mid-body is told apart from one that sent it all."""

from __future__ import annotations

import asyncio
import json
import socket
from typing import Any

import pytest
import requests

from tests.support.raw_http import exchange
from tests.webstack.conftest import LIMIT, TYPES, Refused, Stack
from webstack.body import BodyCut, read_body


@pytest.mark.parametrize(
    ("framing", "status", "code"),
    [
        (b"Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n", b"411", "length_required"),
        (b"\r\n", b"411", "length_required"),
        (b"Content-Length: 17\r\n\r\n" + b"x" * 17, b"413", "body_too_large"),  # read, dropped
        (b"Content-Length: 104857600\r\n\r\n{", b"413", "body_too_large"),  # never read
    ],
)
def test_bad_framing_is_refused_and_the_connection_closed(
    stack: Stack, framing: bytes, status: bytes, code: str
) -> None:
    head, rest = exchange(stack.base_url, b"POST /echo/a HTTP/1.1\r\nHost: x\r\n" + framing)
    assert head.split()[1] == status and b"connection: close" in rest.lower()
    problem = json.loads(rest.partition(b"\r\n\r\n")[2])
    assert problem["code"] == code and problem["type"] == TYPES + code


def test_a_body_within_the_limit_is_read_whole(stack: Stack) -> None:
    resp = requests.post(stack.base_url + "/echo/a?x=1&y=", data=b"z" * LIMIT, timeout=10)
    assert resp.status_code == 200
    assert resp.json() == {
        "body": "z" * LIMIT,
        "params": {"name": "a"},
        "query": {"x": "1", "y": ""},
    }


def test_a_get_needs_no_content_length(stack: Stack) -> None:
    head, rest = exchange(
        stack.base_url, b"GET /echo/b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    assert head == b"HTTP/1.1 200 OK" and b'"body":""' in rest


def test_a_client_that_leaves_mid_body_is_cut(stack: Stack) -> None:
    host, port = stack.base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(b"POST /echo/a HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
    assert stack.echo.cut.wait(10)


def _read(headers: dict[str, str], *messages: dict[str, Any], method: str = "POST") -> bytes:
    queue = list(messages)

    async def receive() -> dict[str, Any]:
        return queue.pop(0)

    return asyncio.run(read_body(headers, method, receive, LIMIT, Refused))


def test_the_body_comes_in_pieces() -> None:
    pieces = [{"type": "http.request", "body": b"ab", "more_body": True},
              {"type": "http.request", "body": b"c", "more_body": False}]  # fmt: skip
    assert _read({"content-length": "3"}, *pieces) == b"abc"


def test_a_body_shorter_than_its_length_is_cut() -> None:
    with pytest.raises(BodyCut):
        _read({"content-length": "5"}, {"type": "http.request", "body": b"abc"})
    with pytest.raises(BodyCut):
        _read({"content-length": "5"}, {"type": "http.disconnect"})


def test_an_empty_length_reads_nothing() -> None:
    assert _read({"content-length": "0"}) == b""
    assert _read({}, method="DELETE") == b""
    with pytest.raises(Refused) as refused:
        _read({}, method="PUT")
    assert (refused.value.status, refused.value.code) == (411, "length_required")


def test_a_length_that_is_no_number_is_refused() -> None:
    # uvicorn's parser refuses it first (test_webstack_serving); this is for any other
    with pytest.raises(Refused) as refused:
        _read({"content-length": "-1"})
    assert (refused.value.status, refused.value.code) == (400, "bad_content_length")
