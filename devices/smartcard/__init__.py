"""PC/SC cards: social-security cards (社会保障卡) and PBOC/EMV bank cards, via pcscd.

The kiosk needs only this surface::

    reader = open_reader(settings.devices.smartcard)   # pcsc://ACR… or sim://smartcard?…
    supervisor = ReaderSupervisor(reader, on_inserted=..., on_removed=...).start()
    record = reader.read_card(timeout=10)              # or wait for on_inserted
    reader.close()

Modules, pure first: ``apdu`` (ISO 7816-4 commands, status words), ``tlv`` (BER-TLV),
``bcd``, ``channel`` (T=0 chaining over an injected transmit), ``sscfiles``/``ssc``
(SSSE, EF05, EF06, PIN and PSAM unlocking), ``emv``/``bankcard`` (PSE/PPSE, GPO, AFL),
``cardread`` (which card is it), ``records``; then I/O: ``pcsc`` (pcsc-lite through
pyscard), ``driver``, ``supervisor``; the simulator: ``vpcd`` (wire protocol),
``simcard``/``simbank`` (the chip), ``simulator`` (a virtual card in pcscd's vpcd
reader), ``fixtures`` (synthetic cards) and ``pcscd`` (a pcscd for tests).
"""

from devices.smartcard.cardread import App, read_any
from devices.smartcard.channel import CardChannel
from devices.smartcard.driver import SmartCardReader, open_reader
from devices.smartcard.errors import (
    AccessDenied,
    ApduError,
    CardRemoved,
    CardStatusError,
    CardUnresponsive,
    FileNotFound,
    InvalidCardData,
    NoCard,
    PcscUnavailable,
    PinBlocked,
    PinRejected,
    ReaderBusy,
    ReaderNotFound,
    SmartcardError,
    TlvError,
    UnsupportedCard,
)
from devices.smartcard.fixtures import FIXTURES, TestPsam
from devices.smartcard.records import (
    BankCardRecord,
    CardKind,
    CardRecord,
    PersonalAccess,
    SocialSecurityRecord,
    SscPersonal,
)
from devices.smartcard.simulator import SCENARIOS, VirtualCard
from devices.smartcard.ssc import PinUnlock, Psam, PsamUnlock, Unlock
from devices.smartcard.supervisor import ReaderSupervisor

__all__ = [
    "FIXTURES",
    "SCENARIOS",
    "AccessDenied",
    "ApduError",
    "App",
    "BankCardRecord",
    "CardChannel",
    "CardKind",
    "CardRecord",
    "CardRemoved",
    "CardStatusError",
    "CardUnresponsive",
    "FileNotFound",
    "InvalidCardData",
    "NoCard",
    "PcscUnavailable",
    "PersonalAccess",
    "PinBlocked",
    "PinRejected",
    "PinUnlock",
    "Psam",
    "PsamUnlock",
    "ReaderBusy",
    "ReaderNotFound",
    "ReaderSupervisor",
    "SmartCardReader",
    "SmartcardError",
    "SocialSecurityRecord",
    "SscPersonal",
    "TestPsam",
    "TlvError",
    "Unlock",
    "UnsupportedCard",
    "VirtualCard",
    "open_reader",
    "read_any",
]
