"""The loopback printer: status answers on the wire, job recording, paper running out."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from devices.printer import Cut, PrinterSimulator, Text, decode, encode
from devices.printer import ops as o

QUERIES = b"\x10\x04\x01\x10\x04\x02\x10\x04\x03\x10\x04\x04"


@pytest.fixture
def sim() -> Iterator[PrinterSimulator]:
    with PrinterSimulator("58mm") as simulator:
        yield simulator


@pytest.fixture
def conn(sim: PrinterSimulator) -> Iterator[socket.socket]:
    assert sim.address is not None
    with socket.create_connection(sim.address, timeout=5) as sock:
        yield sock


def ask(sock: socket.socket) -> bytes:
    sock.sendall(QUERIES)
    got = b""
    while len(got) < 4:
        got += sock.recv(4 - len(got))
    return got


def test_status_answers_follow_the_configured_state(
    sim: PrinterSimulator, conn: socket.socket
) -> None:
    assert ask(conn) == bytes([0x12, 0x12, 0x12, 0x12])
    sim.set_paper("near_end")
    assert ask(conn) == bytes([0x12, 0x12, 0x12, 0x1E])
    sim.set_paper("out")
    assert ask(conn) == bytes([0x1A, 0x32, 0x12, 0x72])
    sim.set_paper("ok")
    sim.set_cover_open(True)
    assert ask(conn) == bytes([0x1A, 0x16, 0x12, 0x12])
    sim.set_cover_open(False)
    sim.set_cutter_error(True)
    assert ask(conn) == bytes([0x1A, 0x52, 0x1A, 0x12])
    sim.set_cutter_error(False)
    sim.set_online(False)
    assert ask(conn) == bytes([0x1A, 0x12, 0x12, 0x12])


def test_jobs_are_split_at_cuts_without_the_status_queries(
    sim: PrinterSimulator, conn: socket.socket
) -> None:
    first, second = encode([Text("一"), Cut()], "58mm"), encode([Text("二")], "58mm")
    conn.sendall(first + QUERIES[:3] + second)
    assert sim.wait_until(lambda s: len(s.received) == len(first) + 3 + len(second), 5)
    assert sim.jobs == [first, second]
    assert QUERIES[:3] in sim.received
    assert decode(sim.jobs[0]).lines == ["一"]


def test_paper_runs_out_mid_job(sim: PrinterSimulator, conn: socket.socket) -> None:
    sim.out_of_paper_after(2)
    job = encode([Text(f"第{i}行") for i in range(5)], "58mm")
    conn.sendall(job)
    assert sim.wait_until(lambda s: len(s.received) == len(job), 5)
    printed = [op.text for op in sim.printed if isinstance(op, o.Line)]
    assert printed == ["第0行", "第1行"]
    assert sim.paper == "out"
    assert ask(conn)[3] == 0x72
    assert sim.jobs == [job]  # everything received is kept, printed or not


def test_silence_after_lines(sim: PrinterSimulator, conn: socket.socket) -> None:
    sim.stop_answering_after(1)
    conn.sendall(encode([Text("A"), Text("B")], "58mm") + QUERIES)
    assert sim.wait_until(lambda s: s.received.endswith(QUERIES), 5)
    conn.settimeout(0.2)
    with pytest.raises(TimeoutError):
        conn.recv(1)


def test_hostile_stream_is_recorded_and_the_printer_keeps_serving(
    sim: PrinterSimulator, conn: socket.socket
) -> None:
    conn.sendall(b"\x1b\x99\x00garbage")
    assert sim.wait_until(lambda s: bool(s.errors), 5)
    assert "unsupported command ESC" in sim.errors[0]
    assert ask(conn) == bytes([0x12] * 4)


def test_stop_is_idempotent_and_refuses_new_connections() -> None:
    sim = PrinterSimulator()
    host, port = sim.start()
    sim.stop()
    sim.stop()
    with pytest.raises(OSError):
        socket.create_connection((host, port), timeout=1).close()


def test_bad_paper_state_is_refused() -> None:
    with pytest.raises(ValueError, match="paper"):
        PrinterSimulator(paper="empty")  # type: ignore[arg-type]
