"""The ID card reader's exceptions, each with a stable ``.code`` for the kiosk's messages.

They extend the device layer's tree (``devices.status``) so that code which only knows
``DeviceError`` / ``ProtocolError`` keeps working. Messages never carry personal data:
the kiosk logs ``str(exc)``.
"""

from __future__ import annotations

from devices.status import DeviceError, ProtocolError


class IdCardError(DeviceError):
    """Base of the ID card reader's errors; ``status`` is the SAM's SW3 when it said so."""

    code = "idCardError"
    status: int | None = None

    def __init__(self, detail: str = "", *, status: int | None = None) -> None:
        super().__init__(detail)
        self.status = status


class NoCard(IdCardError):
    """No card on the reader (find card answered SW3=0x80)."""

    code = "noCard"


class CardRemoved(IdCardError):
    """The card left the field between find/select and read (SW3=0x41 or 0x81)."""

    code = "cardRemoved"


class UnsupportedCard(IdCardError):
    """A card this reader cannot or will not decode (unknown card-type flag, SW3=0x40)."""

    code = "unsupportedCard"


class InvalidCardData(IdCardError):
    """The card's text block breaks its own rules (check digit, dates, code tables)."""

    code = "invalidCardData"


class SamError(IdCardError):
    """The SAM module answered with a failure status not covered by a subclass."""

    code = "samError"


class SamNotAuthorised(SamError):
    """The SAM is not authorised (SW3=0x66): it must be registered by the issuer."""

    code = "samNotAuthorised"


class SamTransmissionError(SamError):
    """The SAM received our frame corrupted (SW3=0x10 checksum, 0x11 length)."""

    code = "samTransmissionError"


class CardAuthenticationFailed(SamError):
    """Card and SAM did not authenticate each other (SW3=0x31/0x32/0x33): forged or damaged."""

    code = "cardAuthFailed"


class SamFault(SamError):
    """The SAM's self-test failed (SW3=0x60): hardware maintenance needed."""

    code = "samFault"


class FrameError(IdCardError, ProtocolError):
    """Bytes on the wire that are not a valid SAM frame."""

    code = "frameError"


class ChecksumMismatch(FrameError):
    """A complete frame whose XOR check byte does not match: corrupted in transit."""

    code = "checksumError"


class TruncatedFrame(FrameError):
    """A frame cut short: a new frame started, or the stream went quiet, before its end."""

    code = "truncatedFrame"


class BadLength(FrameError):
    """A length field outside the protocol's range: garbage that looked like a preamble."""

    code = "badLength"


class MalformedFrame(FrameError):
    """A well-checked frame whose contents do not fit the command (too short, bad lengths)."""

    code = "malformedFrame"
