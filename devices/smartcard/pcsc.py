"""A thin, recoverable wrapper over PC/SC (pyscard's ``smartcard.scard``, i.e. pcsc-lite).

pyscard's own monitors die silently when pcscd restarts or a reader goes away (research
§3.3: pyscard issues #82, #128). At this level every call returns a result code, so
each one is checked and turned into this package's errors:

* the service gone (``SCARD_E_NO_SERVICE``, ``SCARD_E_SERVICE_STOPPED``, a comm error,
  an invalid context after pcscd restarted) → :class:`PcscUnavailable`; the context is
  dropped, and the next call establishes a fresh one;
* a reader gone → :class:`ReaderNotFound`; a card gone → :class:`CardRemoved`.
"""

from __future__ import annotations

import dataclasses as dc
import logging
import threading
from typing import Any

from smartcard import scard

from devices.smartcard.errors import (
    CardRemoved,
    CardUnresponsive,
    NoCard,
    PcscUnavailable,
    ReaderBusy,
    ReaderNotFound,
    SmartcardError,
    UnsupportedCard,
)

log = logging.getLogger(__name__)


def _u32(hresult: int) -> int:
    return hresult & 0xFFFFFFFF


_SERVICE_LOST = {
    _u32(c)
    for c in (
        scard.SCARD_E_NO_SERVICE,
        scard.SCARD_E_SERVICE_STOPPED,
        scard.SCARD_F_COMM_ERROR,
        scard.SCARD_E_INVALID_HANDLE,
    )
}
_READER_GONE = {_u32(scard.SCARD_E_UNKNOWN_READER), _u32(scard.SCARD_E_READER_UNAVAILABLE)}
_CARD_GONE = {_u32(scard.SCARD_W_REMOVED_CARD), _u32(scard.SCARD_W_RESET_CARD)}
_CARD_MUTE = {_u32(scard.SCARD_W_UNRESPONSIVE_CARD), _u32(scard.SCARD_W_UNPOWERED_CARD)}


def error_for(hresult: int, what: str) -> SmartcardError:
    """The typed error for a failed PC/SC call."""
    h = _u32(hresult)
    detail = f"{what}: {scard.SCardGetErrorMessage(hresult)} (0x{h:08X})"
    if h in _SERVICE_LOST:
        return PcscUnavailable(f"PC/SC service (pcscd) not available: {detail}")
    if h in _READER_GONE:
        return ReaderNotFound(detail)
    if h == _u32(scard.SCARD_E_NO_SMARTCARD):
        return NoCard(detail)
    if h in _CARD_GONE:
        return CardRemoved(detail)
    if h in _CARD_MUTE:
        return CardUnresponsive(detail)
    if h == _u32(scard.SCARD_E_SHARING_VIOLATION):
        return ReaderBusy(detail)
    if h == _u32(scard.SCARD_E_PROTO_MISMATCH):
        return UnsupportedCard(detail)
    return SmartcardError(detail)


@dc.dataclass(frozen=True)
class SlotState:
    """One reader as seen by SCardGetStatusChange."""

    present: bool
    atr: bytes
    events: int  # pcsc-lite counts card insertions and removals in the high 16 bits
    mute: bool = False


class Pcsc:
    """One PC/SC context, re-established on demand after pcscd went away."""

    def __init__(self) -> None:
        self._context: Any = None
        self.lock = threading.RLock()

    @property
    def established(self) -> bool:
        return self._context is not None

    def context(self) -> Any:
        with self.lock:
            if self._context is None:
                hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
                self.check(hresult, "establish context")
                self._context = context
                log.info("smartcard: PC/SC context established")
            return self._context

    def release(self) -> None:
        """Drop the context (after pcscd went away, or when closing)."""
        with self.lock:
            if self._context is not None:
                scard.SCardReleaseContext(self._context)
                self._context = None

    def readers(self) -> list[str]:
        with self.lock:
            hresult, names = scard.SCardListReaders(self.context(), [])
            if _u32(hresult) == _u32(scard.SCARD_E_NO_READERS_AVAILABLE):
                return []
            self.check(hresult, "list readers")
            return list(names)

    def slot_state(self, reader: str, timeout: float, known: SlotState | None) -> SlotState:
        """The reader's state, waiting up to ``timeout`` s for a change from ``known``."""
        current = scard.SCARD_STATE_UNAWARE
        if known is not None:
            present = scard.SCARD_STATE_PRESENT if known.present else scard.SCARD_STATE_EMPTY
            current = present | (known.events << 16)
        with self.lock:
            hresult, states = scard.SCardGetStatusChange(
                self.context(), max(0, int(timeout * 1000)), [(reader, current)]
            )
        if _u32(hresult) == _u32(scard.SCARD_E_TIMEOUT) and known is not None:
            return known
        self.check(hresult, "get status change")
        _name, event, atr = states[0]
        if event & (scard.SCARD_STATE_UNKNOWN | scard.SCARD_STATE_UNAVAILABLE):
            raise ReaderNotFound(f"reader {reader!r} went away")
        return SlotState(
            present=bool(event & scard.SCARD_STATE_PRESENT),
            atr=bytes(atr),
            events=(event >> 16) & 0xFFFF,
            mute=bool(event & scard.SCARD_STATE_MUTE),
        )

    def check(self, hresult: int, what: str) -> None:
        """Raise the typed error for a failure; a lost service also drops the context."""
        if hresult == scard.SCARD_S_SUCCESS:
            return
        error = error_for(hresult, what)
        if isinstance(error, PcscUnavailable) and self._context is not None:
            log.warning("smartcard: PC/SC service lost: %s", error)
            self.release()  # releasing a dead context fails harmlessly
        raise error


class CardConnection:
    """A connected card: raw transmit for a :class:`~devices.smartcard.channel.CardChannel`."""

    def __init__(self, pcsc: Pcsc, reader: str) -> None:
        self._pcsc = pcsc
        hresult, self._card, self.protocol = scard.SCardConnect(
            pcsc.context(),
            reader,
            scard.SCARD_SHARE_SHARED,
            scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1,
        )
        pcsc.check(hresult, "connect")
        hresult = scard.SCardBeginTransaction(self._card)
        if hresult != scard.SCARD_S_SUCCESS:
            scard.SCardDisconnect(self._card, scard.SCARD_LEAVE_CARD)
            pcsc.check(hresult, "begin transaction")
        self._reset = False

    def transmit(self, apdu: bytes) -> bytes:
        hresult, response = scard.SCardTransmit(self._card, self.protocol, list(apdu))
        self._pcsc.check(hresult, "transmit")
        return bytes(response)

    def reset_on_close(self) -> None:
        """Reset the card when done, so a PIN or PSAM unlock does not outlive the read."""
        self._reset = True

    def close(self) -> None:
        disposition = scard.SCARD_RESET_CARD if self._reset else scard.SCARD_LEAVE_CARD
        scard.SCardEndTransaction(self._card, scard.SCARD_LEAVE_CARD)
        scard.SCardDisconnect(self._card, disposition)
