"""A fault-injecting TCP proxy on loopback, after Toxiproxy (research/fleet.md §B7, T4).

Put it between the kiosk and the platform and switch faults on and off while traffic
flows: refuse-by-reset, a stall that accepts and never answers, latency, a slow link
(bytes per second), and a cut after N bytes towards the platform (a connection dropped
mid-chunk). It counts the bytes it carries, so a benchmark can compare bytes on the wire
with payload bytes.
"""

from __future__ import annotations

import contextlib
import dataclasses as dc
import socket
import struct
import threading
import time
from collections.abc import Callable

_POLL = 0.05


@dc.dataclass
class Toxics:
    reset: bool = False  # answer every new connection with a TCP reset
    stall: bool = False  # accept, swallow what is sent, never answer
    latency: float = 0.0  # seconds added before each answer
    bandwidth: int | None = None  # bytes per second, each direction
    cut_after: int | None = None  # reset once this many more bytes went upstream


def _reset(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


class FaultProxy:
    def __init__(
        self,
        target: tuple[str, int],
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.target = target
        self.toxics = Toxics()
        self.bytes_up = 0  # client -> platform
        self.bytes_down = 0  # platform -> client
        self.cuts = 0
        self._address = (host, port)
        self._sleep = sleep
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._listener: socket.socket | None = None
        self.url = ""

    def start(self) -> str:
        self._listener = socket.create_server(self._address)
        self._listener.settimeout(_POLL)
        host, port = self._listener.getsockname()[:2]
        self.url = f"http://{host}:{port}"
        self._spawn(self._accept_loop)
        return self.url

    def stop(self) -> None:
        self._stopping.set()
        for thread in list(self._threads):
            thread.join()
        if self._listener is not None:
            self._listener.close()

    def set(self, **toxics: object) -> None:
        """Replace the toxics, e.g. ``set(stall=True)``; ``set()`` clears them all."""
        with self._lock:
            self.toxics = Toxics(**toxics)  # type: ignore[arg-type]

    def _spawn(self, target: Callable[..., None], *args: object) -> threading.Thread:
        thread = threading.Thread(target=target, args=args, daemon=True)
        self._threads = [t for t in self._threads if t.is_alive()]
        self._threads.append(thread)
        thread.start()
        return thread

    def _accept_loop(self) -> None:
        assert self._listener is not None
        while not self._stopping.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._spawn(self._handle, client)

    def _handle(self, client: socket.socket) -> None:
        toxics = self.toxics
        if toxics.reset:
            _reset(client)
            return
        if toxics.stall:
            self._swallow(client)
            return
        try:
            server = socket.create_connection(self.target, timeout=2)
        except OSError:
            _reset(client)
            return
        for sock in (client, server):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        turn = threading.Event()  # set: a request went up, its answer owes the latency
        down = self._spawn(self._pipe, server, client, False, turn)
        self._pipe(client, server, True, turn)
        down.join()
        for sock in (client, server):
            sock.close()

    def _swallow(self, client: socket.socket) -> None:
        client.settimeout(_POLL)
        with client:
            while not self._stopping.is_set() and self.toxics.stall:
                try:
                    if not client.recv(65536):
                        return
                except TimeoutError:
                    continue
                except OSError:
                    return

    def _pipe(
        self, src: socket.socket, dst: socket.socket, upstream: bool, turn: threading.Event
    ) -> None:
        src.settimeout(_POLL)
        while not self._stopping.is_set():
            try:
                data = src.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                break
            if not data:
                with contextlib.suppress(OSError):
                    dst.shutdown(socket.SHUT_WR)
                return
            if upstream:
                turn.set()
                if not self._forward_up(src, dst, data):
                    return
            elif not self._forward_down(dst, data, turn):
                return
        with contextlib.suppress(OSError):
            dst.shutdown(socket.SHUT_RDWR)

    def _forward_up(self, src: socket.socket, dst: socket.socket, data: bytes) -> bool:
        """Toxics apply to open (kept-alive) connections too, not only to new ones."""
        if self.toxics.reset:
            self._cut(src, dst)
            return False
        if self.toxics.stall:
            return True  # swallowed
        with self._lock:
            cut = self.toxics.cut_after
            if cut is not None and len(data) >= cut:
                self.toxics.cut_after = None
            elif cut is not None:
                self.toxics.cut_after = cut - len(data)
        if cut is not None and len(data) >= cut:
            self._send(dst, data[:cut], upstream=True)
            self.cuts += 1
            self._cut(src, dst)
            return False
        return self._send(dst, data, upstream=True)

    @staticmethod
    def _cut(*socks: socket.socket) -> None:
        for sock in socks:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                sock.shutdown(socket.SHUT_RDWR)

    def _forward_down(self, dst: socket.socket, data: bytes, turn: threading.Event) -> bool:
        if self.toxics.latency and turn.is_set():  # once per request/answer turn
            turn.clear()
            self._sleep(self.toxics.latency)
        return self._send(dst, data, upstream=False)

    def _send(self, dst: socket.socket, data: bytes, *, upstream: bool) -> bool:
        rate = self.toxics.bandwidth
        step = max(1, rate // 20) if rate else len(data) or 1
        try:
            for i in range(0, len(data), step):
                piece = data[i : i + step]
                dst.sendall(piece)
                with self._lock:
                    if upstream:
                        self.bytes_up += len(piece)
                    else:
                        self.bytes_down += len(piece)
                if rate:
                    self._sleep(len(piece) / rate)
        except OSError:
            return False
        return True
