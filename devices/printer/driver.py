"""The receipt printer over an injected transport, with a status you can trust.

A job counts as printed only when the printer says so afterwards: real-time status
(DLE EOT 1..4) is read before the job (a stopped printer gets nothing) and again after
it has had time to print. A printer that cannot answer is reported as unknown, and its
jobs as *unconfirmed*, never as printed. The caller keeps the job bytes of anything not
printed, for a reprint.
"""

from __future__ import annotations

import dataclasses as dc
import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, Literal

from devices.handle import DeviceHandle
from devices.printer import ops, protocol
from devices.printer.decode import DecodeError, decode
from devices.printer.document import Element
from devices.printer.encoder import Encoder, Unencodable
from devices.printer.profiles import PrinterProfile, get_profile
from devices.status import DeviceError, DeviceState, DeviceStatus, ProtocolError, SupplyLevel
from devices.transport import Transport

log = logging.getLogger(__name__)
Result = Literal["printed", "failed", "unconfirmed"]
MAX_SETTLE_S = 30.0
POLL_S = 0.25


@dc.dataclass(frozen=True)
class PrintOutcome:
    """How a job ended.

    ``result`` is ``printed`` only on the printer's word; ``failed`` carries the reason
    (``paper_out``, ``cover_open``, ``offline``, ``cutter_error``, ``connection_lost``…);
    ``unconfirmed`` means the bytes went out but no status could confirm them.
    """

    result: Result
    reason: str
    before: DeviceStatus
    after: DeviceStatus | None
    bytes_sent: int

    @property
    def printed(self) -> bool:
        return self.result == "printed"

    def to_dict(self) -> dict[str, Any]:
        return {
            "result": self.result,
            "reason": self.reason,
            "bytes_sent": self.bytes_sent,
            "before": self.before.to_dict(),
            "after": self.after.to_dict() if self.after else None,
        }


class ReceiptPrinter(DeviceHandle):
    """Encode, send, and judge print jobs on one printer.

    ``can_read`` is False for write-only transports (``file://``); ``settle`` waits for
    the estimated printing time before the final status (off for the simulator, which
    prints each byte before it reads the next). ``clock``/``sleep`` are injectable.
    ``on_close`` runs when it closes (the opener of a ``sim://`` printer stops the
    simulator there).
    """

    def __init__(
        self,
        transport: Transport,
        profile: PrinterProfile | str = "80mm",
        *,
        can_read: bool = True,
        status_timeout: float = 0.5,
        settle: bool = True,
        unencodable: Unencodable = "raster",
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        on_close: Callable[[], object] | None = None,
    ) -> None:
        self.profile = get_profile(profile)
        self._on_close = on_close
        self._transport = transport
        self._can_report = can_read and self.profile.can_report_status
        self._status_timeout = status_timeout
        self._settle = settle
        self._encoder = Encoder(self.profile, unencodable=unencodable)
        self._clock, self._sleep = clock, sleep
        self._closed = False
        self._lock = threading.Lock()  # one job or status query on the wire at a time
        self._last = protocol.unknown_status("not_asked_yet")

    def encode(self, doc: Iterable[Element]) -> bytes:
        """The job bytes of a document (keep them: they are what a reprint sends)."""
        return self._encoder.encode(doc)

    def print_document(self, doc: Iterable[Element]) -> PrintOutcome:
        return self.print_job(self.encode(doc))

    def status(self) -> DeviceStatus:
        """Real-time status now; unknown (never fine) if the printer cannot tell.

        Safe from any thread (the fleet heartbeat asks while the journey prints): during
        a job it does not interleave queries with the job's bytes but returns the last
        status seen, marked busy.
        """
        if not self._lock.acquire(blocking=False):
            return dc.replace(self._last, device=DeviceState.BUSY)
        try:
            return self._query()
        finally:
            self._lock.release()

    def _query(self) -> DeviceStatus:
        self._last = self._ask()
        return self._last

    def _ask(self) -> DeviceStatus:
        if not self._can_report:
            return protocol.unknown_status("status_unsupported", DeviceState.ONLINE)
        answers: dict[int, int] = {}
        try:
            for n in (1, 2, 3, 4):
                self._drain()
                self._transport.write(protocol.STATUS_QUERY[n])
                got = self._transport.read(1, self._status_timeout)
                if not got:
                    break
                answers[n] = protocol.check_status_byte(n, got[0])
        except ProtocolError as exc:
            log.warning("printer sent a malformed status answer: %s", exc)
            return protocol.unknown_status("bad_status_answer")
        except DeviceError as exc:
            log.warning("printer status query failed: %s", exc.code)
            return protocol.unknown_status("connection_lost")
        if 1 not in answers:
            log.warning("printer did not answer DLE EOT 1 within %.1f s", self._status_timeout)
        return protocol.to_device_status(answers)

    def print_job(self, data: bytes) -> PrintOutcome:
        """Send one job and report whether it printed; see the module docstring.
        One job at a time: a second caller waits for the first job to end."""
        with self._lock:
            return self._print_job(data)

    def _print_job(self, data: bytes) -> PrintOutcome:
        before = self._query()
        if protocol.status_known(before) and not _fine(before):
            log.info("print job of %d bytes not sent: printer %s", len(data), before.detail)
            return PrintOutcome("failed", before.detail or "offline", before, None, 0)
        try:
            self._transport.write(data)
        except DeviceError as exc:
            after = self._query()
            reason = after.detail if protocol.status_known(after) else "connection_lost"
            log.warning("print job interrupted (%s): %s", exc.code, reason)
            return PrintOutcome("failed", reason or "connection_lost", before, after, 0)
        if self._settle and self._can_report:
            self._wait_printed(data)
        after = self._query()
        outcome = _judge(before, after, len(data))
        log.info("print job of %d bytes: %s %s", len(data), outcome.result, outcome.reason)
        return outcome

    def _release(self) -> None:
        """Close the transport."""
        if self._closed:
            return
        self._closed = True
        self._transport.close()

    def _drain(self) -> None:
        """Drop stale bytes (a late answer to an earlier query) before asking again."""
        for _ in range(16):
            if not self._transport.read(64, 0.0):
                return

    def _wait_printed(self, data: bytes) -> None:
        """Give the printer its estimated printing time, watching for it to stop."""
        deadline = self._clock() + print_seconds(data, self.profile)
        while (left := deadline - self._clock()) > 0:
            self._sleep(min(POLL_S, left))
            status = self._query()
            if protocol.status_known(status) and not _fine(status):
                return


def _fine(status: DeviceStatus) -> bool:
    return status.usable and status.supplies.get("paper") != SupplyLevel.OUT


def _judge(before: DeviceStatus, after: DeviceStatus, sent: int) -> PrintOutcome:
    if not protocol.status_known(after):
        return PrintOutcome("unconfirmed", after.detail, before, after, sent)
    if _fine(after):
        return PrintOutcome("printed", "", before, after, sent)
    return PrintOutcome("failed", after.detail or "offline", before, after, sent)


def print_seconds(data: bytes, profile: PrinterProfile) -> float:
    """Estimated time to print ``data``: its paper length over the head's speed."""
    try:
        job = decode(data, profile.encoding)
    except DecodeError:
        return MAX_SETTLE_S / 10
    dots = sum(_paper_dots(op, profile) for op in job.ops)
    return min(dots / (profile.speed_mm_s * profile.dots_per_mm), MAX_SETTLE_S)


def _paper_dots(op: ops.Op, profile: PrinterProfile) -> int:
    spacing = profile.line_spacing_dots
    if isinstance(op, ops.Line):
        return spacing * op.height
    if isinstance(op, ops.FeedLines):
        return spacing * op.lines
    if isinstance(op, ops.FeedDots):
        return op.dots
    if isinstance(op, ops.Raster):
        return op.height
    if isinstance(op, ops.QRCode):
        return op.module * 41  # a version 6 symbol; close enough for a wait
    if isinstance(op, ops.BarcodeSymbol):
        return op.height + spacing
    return 0
