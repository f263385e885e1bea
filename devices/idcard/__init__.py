"""2nd-generation resident ID card readers (SAM frame protocol, GA/T 467).

The kiosk needs only this surface::

    reader = open_reader(settings.devices.idcard)          # serial://… or sim://idcard?…
    watcher = CardWatcher(reader, on_inserted=..., on_removed=...).start()
    record = reader.read_card()                             # or wait for on_inserted
    reader.close()

Modules: ``framing`` (preamble/length/XOR, streaming decoder), ``protocol`` (commands,
statuses, replies), ``cardtext`` (the 256-byte text block), ``records`` (the typed
record, GB 11643), ``nations`` (GB 3304, GB/T 2261.1), ``photo`` (WLT via a vendor
library), ``link``/``driver``/``watcher`` (I/O), ``simulator`` and ``fixtures``.
"""

from devices.idcard.driver import Backoff, IdCardReader, Timeouts, open_reader
from devices.idcard.errors import (
    BadLength,
    CardAuthenticationFailed,
    CardRemoved,
    ChecksumMismatch,
    FrameError,
    IdCardError,
    InvalidCardData,
    MalformedFrame,
    NoCard,
    SamError,
    SamFault,
    SamNotAuthorised,
    SamTransmissionError,
    TruncatedFrame,
    UnsupportedCard,
)
from devices.idcard.fixtures import FIXTURES
from devices.idcard.nations import CodeLabel
from devices.idcard.photo import decode_photo
from devices.idcard.records import CardType, IdCardRecord
from devices.idcard.simulator import SCENARIOS, SamSimulator
from devices.idcard.watcher import CardWatcher

__all__ = [
    "FIXTURES",
    "SCENARIOS",
    "Backoff",
    "BadLength",
    "CardAuthenticationFailed",
    "CardRemoved",
    "CardType",
    "CardWatcher",
    "ChecksumMismatch",
    "CodeLabel",
    "FrameError",
    "IdCardError",
    "IdCardReader",
    "IdCardRecord",
    "InvalidCardData",
    "MalformedFrame",
    "NoCard",
    "SamError",
    "SamFault",
    "SamNotAuthorised",
    "SamSimulator",
    "SamTransmissionError",
    "Timeouts",
    "TruncatedFrame",
    "UnsupportedCard",
    "decode_photo",
    "open_reader",
]
