"""One kiosk per state directory, and a way for the ``kiosk`` CLI to ask it for things.

A running kiosk owns its state directory. It holds an exclusive lock on ``kiosk.lock``
there, so a second kiosk started on the same directory stops with a clear message
instead of sending the same outbox twice. It also listens on ``control.sock``, a Unix
socket only its own user may open (0600). CLI commands that must not run beside it —
sending the outbox (one sender at a time), using the printer (one connection) — ask
it over the socket; when no kiosk runs, they take the lock and do the work themselves.

The protocol is one JSON object per line each way: ``{"command": ..., "args": {...}}``,
answered by ``{"ok": true, "result": ...}`` or ``{"ok": false, "error": "..."}``.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import socket
import socketserver
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.errors import KioskError

log = logging.getLogger(__name__)

LOCK_NAME = "kiosk.lock"
SOCKET_NAME = "control.sock"
MAX_SOCKET_PATH = 107  # sun_path holds 108 bytes with its NUL
MAX_REQUEST = 64 * 1024

Handler = Callable[[dict[str, Any]], Any]


class AlreadyRunning(KioskError):
    """Another kiosk owns this state directory."""


class NotRunning(Exception):
    """No kiosk answers on this state directory."""


class ControlError(Exception):
    """The running kiosk could not do what was asked; the message says why."""


class OwnerLock:
    """The exclusive lock that makes a process the owner of a state directory."""

    def __init__(self, state_dir: Path) -> None:
        self.path = state_dir / LOCK_NAME
        self._fd: int | None = None

    def acquire(self) -> OwnerLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise AlreadyRunning(
                f"another kiosk is running on {self.path.parent} (see {self.path})"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the lock
            self._fd = None

    def __enter__(self) -> OwnerLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def running(state_dir: Path) -> bool:
    """Whether a kiosk owns ``state_dir`` right now."""
    try:
        with OwnerLock(state_dir):
            return False
    except AlreadyRunning:
        return True


class _Server(socketserver.ThreadingUnixStreamServer):
    daemon_threads = True
    handlers: dict[str, Handler]


class _Request(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        line = self.rfile.readline(MAX_REQUEST)
        try:
            request = json.loads(line)
            handler = self.server.handlers[request["command"]]  # type: ignore[attr-defined]
            answer = {"ok": True, "result": handler(dict(request.get("args") or {}))}
        except (ValueError, KeyError, TypeError) as exc:
            answer = {"ok": False, "error": f"bad request: {type(exc).__name__}"}
        except Exception as exc:  # the CLI gets one line; the technician's log the rest
            log.exception("control request failed")
            answer = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
        self.wfile.write(json.dumps(answer, ensure_ascii=False).encode() + b"\n")


class ControlServer:
    """Serves ``handlers`` (command name → function of the args) on the socket."""

    def __init__(self, state_dir: Path, handlers: dict[str, Handler]) -> None:
        self.path = state_dir / SOCKET_NAME
        self.handlers = handlers
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> bool:
        """Listen; False (and a log line) if the path is too long for a Unix socket."""
        if len(os.fsencode(self.path)) > MAX_SOCKET_PATH:
            log.warning(
                "control socket path too long (%d bytes): CLI requests will fail",
                len(os.fsencode(self.path)),
            )
            return False
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()  # left by a kiosk that died: we hold the lock now
        server = _Server(str(self.path), _Request)
        os.chmod(self.path, 0o600)  # before serving: only this user may ask anything
        server.handlers = self.handlers
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.2}, name="kiosk-control"
        )
        self._thread.daemon = True
        self._thread.start()
        return True

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        self._server = None


def call(state_dir: Path, command: str, timeout: float = 120.0, **args: Any) -> Any:
    """Ask the kiosk running on ``state_dir``; :class:`NotRunning` if none answers."""
    path = state_dir / SOCKET_NAME
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        try:
            sock.connect(str(path))
        except (FileNotFoundError, ConnectionRefusedError) as exc:
            raise NotRunning(f"no kiosk answers on {path}") from exc
        request = {"command": command, "args": args}
        sock.sendall(json.dumps(request, ensure_ascii=False).encode() + b"\n")
        with sock.makefile("rb") as reader:
            line = reader.readline()
    except TimeoutError as exc:
        raise ControlError(f"the kiosk did not answer {command} within {timeout:.0f} s") from exc
    finally:
        sock.close()
    if not line:
        raise ControlError(f"the kiosk closed the connection during {command}")
    answer = json.loads(line)
    if not answer.get("ok"):
        raise ControlError(str(answer.get("error", "unknown error")))
    return answer.get("result")
