"""The PC/SC card layer's exceptions, each with a stable ``.code`` for the kiosk's messages.

They extend the device layer's tree (``devices.status``), so code that only knows
``DeviceError``, ``DeviceUnavailable`` or ``ProtocolError`` keeps working. Messages never
carry card data: no PAN, no name, no ID number. The kiosk logs ``str(exc)``.
"""

from __future__ import annotations

from devices.status import DeviceError, DeviceUnavailable, ProtocolError


class SmartcardError(DeviceError):
    """Base of the PC/SC card errors; ``sw`` is the card's status word when it gave one."""

    code = "smartcardError"

    def __init__(self, detail: str = "", *, sw: int | None = None) -> None:
        super().__init__(detail)
        self.sw = sw


class PcscUnavailable(SmartcardError, DeviceUnavailable):
    """The PC/SC service (pcscd) is not running or stopped answering."""

    code = "pcscUnavailable"


class ReaderNotFound(SmartcardError, DeviceUnavailable):
    """No reader whose name matches the configured one is attached."""

    code = "readerMissing"


class ReaderBusy(SmartcardError):
    """Another program holds the card exclusively (SCARD_E_SHARING_VIOLATION)."""

    code = "readerBusy"


class NoCard(SmartcardError):
    """No card in the reader (within the time allowed)."""

    code = "noSmartcard"


class CardRemoved(SmartcardError):
    """The card left the reader during the read."""

    code = "smartcardRemoved"


class CardUnresponsive(SmartcardError):
    """A card is present but does not answer (mute, unpowered, inserted the wrong way)."""

    code = "cardUnresponsive"


class UnsupportedCard(SmartcardError):
    """Neither a social-security nor a UnionPay/PBOC application was found on the card."""

    code = "unsupportedSmartcard"


class InvalidCardData(SmartcardError):
    """Well-formed bytes whose content breaks its own rules (Luhn, dates, BCD digits)."""

    code = "invalidSmartcardData"


class CardStatusError(SmartcardError):
    """The card refused a command with a status word not covered by a subclass."""

    code = "cardStatus"


class FileNotFound(CardStatusError):
    """SW 6A82 / 6A83: no such application, file or record."""

    code = "fileNotFound"


class AccessDenied(CardStatusError):
    """SW 6982 / 6985: the file needs a PIN or a PSAM authentication first."""

    code = "cardLocked"


class PinRejected(CardStatusError):
    """SW 63Cx: wrong PIN; ``tries_left`` is x."""

    code = "pinRejected"

    def __init__(self, detail: str = "", *, sw: int | None = None, tries_left: int = 0) -> None:
        super().__init__(detail, sw=sw)
        self.tries_left = tries_left


class PinBlocked(CardStatusError):
    """SW 6983: the PIN (or the authentication key) is blocked."""

    code = "pinBlocked"


class ApduError(SmartcardError, ProtocolError):
    """Bytes that are not a valid APDU exchange: a response without a status word, a
    GET RESPONSE chain that never ends, a command too long for a short APDU."""

    code = "apduError"


class TlvError(SmartcardError, ProtocolError):
    """BER-TLV bytes that cannot be parsed: a length past the end, a tag too long, …"""

    code = "tlvError"
