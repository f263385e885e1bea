"""One command, one reply: the SAM request/response exchange over any byte transport.

The SAM answers each request with exactly one frame and carries no sequence number, so
the link keeps the two in step: it drains stale bytes before sending, waits for the
first valid frame, and when the reply arrives corrupted it waits for the line to go
quiet before sending again (so that a late reply cannot be taken for the next one).
"""

from __future__ import annotations

import logging
import termios
import time

from devices.idcard.errors import ChecksumMismatch, FrameError, IdCardError, MalformedFrame
from devices.idcard.framing import Decoded, FrameDecoder
from devices.idcard.protocol import (
    Command,
    Response,
    SamStatus,
    encode_request,
    error_for_status,
    parse_response,
    reply_fits,
)
from devices.status import DeviceError, DeviceTimeout, DeviceUnavailable
from devices.transport import Transport

log = logging.getLogger(__name__)

_CHUNK = 4096
_RESEND_STATUSES = (SamStatus.CHECKSUM_ERROR, SamStatus.LENGTH_ERROR)


class SamLink:
    """Request/response over ``transport``; I/O failures become ``DeviceUnavailable``."""

    def __init__(self, transport: Transport, *, retries: int = 1, settle: float = 0.03) -> None:
        self.transport = transport
        self._retries = retries
        self._settle = settle
        self._decoder = FrameDecoder()

    def transact(self, command: Command, timeout: float) -> Response:
        """Send ``command`` and return its reply, resending after a corrupted exchange."""
        last: IdCardError | None = None
        for attempt in range(1, self._retries + 2):
            self._drain()
            self._write(encode_request(command))
            try:
                response = self._await_reply(command, timeout)
            except (ChecksumMismatch, MalformedFrame) as exc:
                last = exc
            else:
                if response.sw3 not in _RESEND_STATUSES:
                    return response
                last = error_for_status(response.sw3)
            log.info("idcard: %s attempt %d failed: %s", command.name, attempt, last.code)
        assert last is not None
        raise last

    def close(self) -> None:
        try:
            self.transport.close()
        except (OSError, termios.error) as exc:
            log.debug("idcard: closing the transport failed: %s", exc)

    def _await_reply(self, command: Command, timeout: float) -> Response:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise self._timed_out(command, timeout)
            chunk = self._read(1, left)
            if not chunk:
                continue
            items = self._decoder.feed(chunk + self._read(_CHUNK, 0.0))
            reply, corrupt = self._reply_in(command, items)
            if reply is None and corrupt is not None:
                reply = self._quiet(command, deadline)
                if reply is None:
                    raise corrupt
            if reply is not None:
                return reply

    def _quiet(self, command: Command, deadline: float) -> Response | None:
        """After a corrupt frame: read until the line is silent; a fitting reply wins."""
        while (left := deadline - time.monotonic()) > 0:
            chunk = self._read(_CHUNK, min(self._settle, left))
            if not chunk:
                return None
            reply, _ = self._reply_in(command, self._decoder.feed(chunk))
            if reply is not None:
                return reply
        return None

    @staticmethod
    def _reply_in(
        command: Command, items: list[Decoded]
    ) -> tuple[Response | None, ChecksumMismatch | None]:
        """The first reply in ``items`` that fits ``command``, and the first corrupt frame."""
        reply = corrupt = None
        for item in items:
            if isinstance(item, ChecksumMismatch):
                corrupt = corrupt or item
            elif isinstance(item, FrameError):
                log.debug("idcard: skipped %s", item.code)
            elif reply is None:
                response = parse_response(item)
                if reply_fits(command, response):
                    reply = response
                else:
                    log.info(
                        "idcard: skipped a late reply (SW3=%02X) to an earlier command",
                        response.sw3,
                    )
        return reply, corrupt

    def _timed_out(self, command: Command, timeout: float) -> DeviceError:
        for error in self._decoder.flush():
            return error
        return DeviceTimeout(f"no reply to {command.name} within {timeout:.2f} s")

    def _drain(self) -> None:
        stale = 0
        for _ in range(64):
            chunk = self._read(_CHUNK, 0.0)
            if not chunk:
                break
            stale += len(chunk)
        if stale or self._decoder.pending:
            log.debug("idcard: dropped %d stale bytes", stale + self._decoder.pending)
        self._decoder = FrameDecoder()

    def _read(self, n: int, timeout: float) -> bytes:
        try:
            return self.transport.read(n, timeout)
        except (OSError, termios.error) as exc:
            raise DeviceUnavailable(f"ID card reader connection lost: {exc}") from exc

    def _write(self, data: bytes) -> None:
        try:
            self.transport.write(data)
        except (OSError, termios.error) as exc:
            raise DeviceUnavailable(f"ID card reader connection lost: {exc}") from exc
