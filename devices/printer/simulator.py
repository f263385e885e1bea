"""A network ESC/POS receipt printer on loopback: the other side of the real TCP driver.

It listens like a printer's port 9100, records every byte, decodes the stream with the
same decoder the tests use, answers DLE EOT with the status bytes of its configured
state (research/devices.md (b): 0x12 all clear, 0x1E near-end, 0x72 paper out, 0x1A
offline) and can run out of paper or fall silent after a number of printed lines, in
the middle of a job. Nothing is faked above the wire: the driver under test speaks TCP.
"""

from __future__ import annotations

import contextlib
import dataclasses as dc
import logging
import socket
import socketserver
import threading
from collections.abc import Callable
from typing import Literal

from devices.printer import ops, protocol
from devices.printer.decode import DecodeError, StreamDecoder
from devices.printer.profiles import PrinterProfile, get_profile
from devices.simulation import ServedSimulator

log = logging.getLogger(__name__)
Paper = Literal["ok", "near_end", "out"]


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    simulator: PrinterSimulator


class _Connection(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        sim = self.server.simulator  # type: ignore[attr-defined]
        sim._serve(self.request)


class PrinterSimulator(ServedSimulator):
    """See the module docstring. ``start()`` returns the ``(host, port)`` to connect to."""

    def __init__(
        self,
        profile: PrinterProfile | str = "80mm",
        paper: Paper = "ok",
        *,
        cover_open: bool = False,
        online: bool = True,
        answers: bool = True,
        host: str = "127.0.0.1",
    ) -> None:
        self.profile = get_profile(profile)
        self._lock = threading.Condition()
        self._flags = protocol.PrinterFlags(online=online, cover_open=cover_open)
        self._paper: Paper = "ok"
        self.set_paper(paper)
        self._answers = answers
        self._host = host
        self._server: _Server | None = None
        self.address: tuple[str, int] | None = None  # set by start()
        self._thread: threading.Thread | None = None
        self._sockets: set[socket.socket] = set()
        self._received = bytearray()
        self._jobs: list[bytes] = []
        self._job = bytearray()
        self._printed: list[ops.Op] = []
        self.lines_printed = 0
        self._paper_limit: int | None = None
        self._silence_limit: int | None = None
        self.errors: list[str] = []

    # --- life cycle -------------------------------------------------------------------
    def start(self) -> tuple[str, int]:
        """Listen on an ephemeral loopback port and serve in a background thread."""
        server = _Server((self._host, 0), _Connection)
        server.simulator = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="printer-sim"
        )
        self._thread.daemon = True
        self._thread.start()
        host, port = server.server_address[:2]
        self.address = (str(host), int(port))
        log.info("printer simulator listening on %s:%d", host, port)
        return self.address

    def stop(self) -> None:
        """Stop listening and drop every connection."""
        if self._server is None:
            return
        self._server.shutdown()
        with self._lock:
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None

    # --- what the test sets -----------------------------------------------------------
    def set_paper(self, paper: Paper) -> None:
        if paper not in ("ok", "near_end", "out"):
            raise ValueError(f"paper must be ok, near_end or out, got {paper!r}")
        with self._lock:
            self._paper = paper
            self._set_flags(paper_near_end=paper == "near_end", paper_out=paper == "out")

    def set_cover_open(self, is_open: bool) -> None:
        self._set_flags(cover_open=is_open)

    def set_online(self, online: bool) -> None:
        self._set_flags(online=online)

    def set_cutter_error(self, error: bool) -> None:
        self._set_flags(cutter_error=error)

    def set_answering(self, answers: bool) -> None:
        """Whether DLE EOT gets an answer (a printer that cannot or will not report)."""
        with self._lock:
            self._answers = answers

    def out_of_paper_after(self, lines: int) -> None:
        """Run out of paper once ``lines`` more lines have printed."""
        with self._lock:
            self._paper_limit = self.lines_printed + lines

    def stop_answering_after(self, lines: int) -> None:
        """Fall silent (hang) once ``lines`` more lines have printed."""
        with self._lock:
            self._silence_limit = self.lines_printed + lines

    def _set_flags(self, **changes: bool) -> None:
        with self._lock:
            self._flags = dc.replace(self._flags, **changes)

    # --- what the test reads ----------------------------------------------------------
    @property
    def received(self) -> bytes:
        """Every byte received, status queries included."""
        with self._lock:
            return bytes(self._received)

    @property
    def jobs(self) -> list[bytes]:
        """The print data split after each cut (status queries left out); a job still
        waiting for its cut comes last."""
        with self._lock:
            return self._jobs + ([bytes(self._job)] if self._job else [])

    @property
    def printed(self) -> list[ops.Op]:
        """What actually reached paper, in order."""
        with self._lock:
            return list(self._printed)

    @property
    def paper(self) -> Paper:
        return self._paper

    def status_bytes(self) -> dict[int, int]:
        with self._lock:
            return protocol.status_bytes(self._flags)

    def wait_until(self, predicate: Callable[[PrinterSimulator], bool], timeout: float) -> bool:
        """Block until ``predicate(self)`` holds (checked on every received chunk)."""
        with self._lock:
            return self._lock.wait_for(lambda: predicate(self), timeout)

    # --- the printer ------------------------------------------------------------------
    def _serve(self, sock: socket.socket) -> None:
        decoder = StreamDecoder(self.profile.encoding)
        with self._lock:
            self._sockets.add(sock)
        try:
            while data := sock.recv(65536):
                reply = self._consume(decoder, data)
                if reply:
                    sock.sendall(reply)
        except OSError:
            pass
        finally:
            with self._lock:
                self._sockets.discard(sock)

    def _consume(self, decoder: StreamDecoder, data: bytes) -> bytes:
        reply = bytearray()
        with self._lock:
            self._received += data
            try:
                events = decoder.feed(data)
            except DecodeError as exc:
                self.errors.append(str(exc))
                log.warning("printer simulator: undecodable stream: %s", exc)
                decoder.reset()
                events = []
            for raw, found in events:
                queries = [op for op in found if isinstance(op, ops.StatusQuery)]
                if queries:
                    if self._answers:
                        reply += bytes(protocol.status_bytes(self._flags)[q.n] for q in queries)
                    continue
                self._job += raw
                for op in found:
                    self._print(op)
            self._lock.notify_all()
        return bytes(reply)

    def _print(self, op: ops.Op) -> None:
        if isinstance(op, ops.PaperCut):
            self._jobs.append(bytes(self._job))
            self._job.clear()
        cost = self._lines_of(op)
        if cost and (self._flags.paper_out or not self._flags.online or self._flags.cover_open):
            return  # a stopped printer prints nothing
        if self._paper_limit is not None and self.lines_printed + cost > self._paper_limit:
            self._paper_limit = None
            self.set_paper("out")
            return
        self._printed.append(op)
        self.lines_printed += cost
        if self._silence_limit is not None and self.lines_printed >= self._silence_limit:
            self._silence_limit = None
            self._answers = False

    def _lines_of(self, op: ops.Op) -> int:
        """Paper an op uses, in text lines (rounded up)."""
        spacing = self.profile.line_spacing_dots
        if isinstance(op, ops.Line):
            return op.height
        if isinstance(op, ops.FeedLines):
            return op.lines
        if isinstance(op, ops.FeedDots):
            return -(-op.dots // spacing)
        if isinstance(op, ops.Raster):
            return -(-op.height // spacing)
        if isinstance(op, ops.QRCode | ops.BarcodeSymbol):
            return 1
        return 0
