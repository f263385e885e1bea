"""Byte transports chosen by URL, after pyserial's ``serial_for_url``.

``serial:///dev/ttyUSB0?baud=115200``, ``tcp://10.0.0.5:9100`` and ``file:///dev/usb/lp0``
open real I/O. ``sim://<kind>?...`` URLs are resolved by each device kind's factory, which
starts a simulator and then opens one of these transports to it.
"""

from __future__ import annotations

import dataclasses as dc
import os
import select
import socket
import time
from typing import Protocol
from urllib.parse import parse_qsl, urlsplit

from devices.status import DeviceTimeout, DeviceUnavailable


@dc.dataclass(frozen=True)
class DeviceUrl:
    scheme: str
    host: str
    port: int | None
    path: str
    params: dict[str, str]

    @property
    def target(self) -> str:
        """``host`` for ``sim://idcard``; the path for ``serial:///dev/x``."""
        return self.host or self.path


def parse_url(url: str) -> DeviceUrl:
    """Split a device URL; raise ``ValueError`` with the URL in the message if it is bad."""
    parts = urlsplit(url)
    if not parts.scheme:
        raise ValueError(f"device URL has no scheme: {url!r}")
    try:
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"device URL has a bad port: {url!r}") from exc
    return DeviceUrl(
        scheme=parts.scheme,
        host=parts.hostname or "",
        port=port,
        path=parts.path,
        params=dict(parse_qsl(parts.query)),
    )


class Transport(Protocol):
    def write(self, data: bytes) -> None: ...

    def read(self, n: int, timeout: float) -> bytes:
        """Up to ``n`` bytes; ``b""`` if nothing arrived within ``timeout`` seconds."""
        ...

    def close(self) -> None: ...


def read_exact(transport: Transport, n: int, timeout: float) -> bytes:
    """Exactly ``n`` bytes or :class:`DeviceTimeout`."""
    deadline = time.monotonic() + timeout
    buf = bytearray()
    while len(buf) < n:
        left = deadline - time.monotonic()
        if left <= 0:
            raise DeviceTimeout(f"wanted {n} bytes, got {len(buf)}")
        buf += transport.read(n - len(buf), left)
    return bytes(buf)


class SerialTransport:
    def __init__(self, port: str, baud: int = 115200) -> None:
        import serial  # pyserial; imported here so a kiosk without serial devices skips it

        try:
            self._port = serial.Serial(port, baudrate=baud, bytesize=8, parity="N", stopbits=1)
        except serial.SerialException as exc:
            raise DeviceUnavailable(f"cannot open serial port {port}: {exc}") from exc

    def write(self, data: bytes) -> None:
        self._port.write(data)
        self._port.flush()

    def read(self, n: int, timeout: float) -> bytes:
        self._port.timeout = max(timeout, 0.0)
        return bytes(self._port.read(n))

    def reset_input(self) -> None:
        self._port.reset_input_buffer()

    def close(self) -> None:
        self._port.close()


class TcpTransport:
    def __init__(self, host: str, port: int, connect_timeout: float = 3.0) -> None:
        try:
            self._sock = socket.create_connection((host, port), timeout=connect_timeout)
        except OSError as exc:
            raise DeviceUnavailable(f"cannot connect to {host}:{port}: {exc}") from exc
        # Small request/answer exchanges (status queries): no Nagle delay.
        self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def write(self, data: bytes) -> None:
        try:
            self._sock.settimeout(10.0)
            self._sock.sendall(data)
        except OSError as exc:
            raise DeviceUnavailable(f"connection lost: {exc}") from exc

    def read(self, n: int, timeout: float) -> bytes:
        ready, _, _ = select.select([self._sock], [], [], max(timeout, 0.0))
        if not ready:
            return b""
        try:
            data = self._sock.recv(n)
        except OSError as exc:
            raise DeviceUnavailable(f"connection lost: {exc}") from exc
        if not data:
            raise DeviceUnavailable("connection closed by the device")
        return data

    def close(self) -> None:
        self._sock.close()


class FileTransport:
    """Write-only device files (``/dev/usb/lp0``) or a plain file capturing the stream."""

    def __init__(self, path: str) -> None:
        try:
            self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        except OSError as exc:
            raise DeviceUnavailable(f"cannot open {path}: {exc}") from exc

    def write(self, data: bytes) -> None:
        os.write(self._fd, data)

    def read(self, n: int, timeout: float) -> bytes:
        return b""

    def close(self) -> None:
        os.close(self._fd)


def open_transport(url: str) -> Transport:
    """Open a real transport for ``serial://``, ``tcp://`` or ``file://`` URLs."""
    u = parse_url(url)
    if u.scheme == "serial":
        return SerialTransport(u.path, int(u.params.get("baud", "115200")))
    if u.scheme == "tcp":
        if u.port is None:
            raise ValueError(f"tcp device URL needs a port: {url!r}")
        return TcpTransport(u.host, u.port)
    if u.scheme == "file":
        return FileTransport(u.path)
    raise ValueError(f"unsupported transport scheme {u.scheme!r} in {url!r}")
