"""Synthetic cards for the virtual-card simulator, the demo, tests and the benchmark.

Test data only. The social-security card belongs to the ID card fixture ``elder``
(李测试, a name that says 测试 "test"), so one synthetic citizen holds both cards. The
bank cards carry UnionPay's published test number ``6200000000000005`` and a 19-digit
number on the same test BIN; both pass the Luhn check, neither is a real account.
Every card answers with an ATR whose historical bytes read ``BMKSIM-…``.
"""

from __future__ import annotations

import dataclasses as dc
import datetime as dt

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from devices.idcard.fixtures import FIXTURES as ID_FIXTURES
from devices.simulation import named_fixture
from devices.smartcard.records import (
    BankCardRecord,
    PersonalAccess,
    SocialSecurityRecord,
    SscPersonal,
)

TEST_PIN = "123456"
TEST_PSAM_KEY = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
QPBOC_PDOL = (
    (0x9F66, 4),
    (0x9F02, 6),
    (0x9F03, 6),
    (0x9F1A, 2),
    (0x95, 5),
    (0x5F2A, 2),
    (0x9A, 3),
    (0x9C, 1),
    (0x9F37, 4),
)


def _atr(tag: bytes) -> bytes:
    """A T=0-only ATR (no TD1): TS=3B, T0=6K (TB1, TC1 present), 10 historical bytes."""
    history = b"BMKSIM-" + tag
    return bytes((0x3B, 0x60 | len(history), 0x00, 0x00)) + history


@dc.dataclass(frozen=True)
class BankProfile:
    """How a virtual PBOC application is laid out, and the record a reader should get."""

    record: BankCardRecord
    pse: bool = True
    ppse: bool = True
    gpo_format: int = 2
    pdol: tuple[tuple[int, int], ...] = QPBOC_PDOL
    corrupt_record: bool = False  # SFI 2 record 1 carries a TLV length past its end


@dc.dataclass(frozen=True)
class CardSpec:
    """Everything one virtual card holds."""

    atr: bytes
    ssc: SocialSecurityRecord | None = None  # with .personal filled in
    personal_lock: PersonalAccess = PersonalAccess.OPEN  # OPEN, PIN or PSAM protects EF06
    pin: str = TEST_PIN
    pin_tries: int = 3  # wrong PINs the card still allows; 0 = the PIN is blocked (6983)
    bank: BankProfile | None = None


class TestPsam:
    """A stand-in PSAM for the simulator's external authentication.

    Real PSAMs derive per-card keys by provincial rules; this one uses a fixed test key:
    cryptogram = first 8 bytes of SM4-ECB(key, challenge padded with zeros to 16).
    """

    __test__ = False  # not a pytest test class
    key_ref = 0x01

    def __init__(self, key: bytes = TEST_PSAM_KEY) -> None:
        self._key = key

    def authenticate(self, card_id: str, challenge: bytes) -> bytes:
        encryptor = Cipher(algorithms.SM4(self._key), modes.ECB()).encryptor()
        return (encryptor.update(challenge[:16].ljust(16, b"\x00")) + encryptor.finalize())[:8]


_elder = ID_FIXTURES["elder"]
SSC_PERSON = SscPersonal(
    id_number=_elder.id_number,
    name=_elder.name,
    sex=_elder.sex,
    nation=_elder.nation,
    birthplace="110101",
    birth=_elder.birth,
)
SSC_CARD = SocialSecurityRecord(
    card_id="110100D156000005000000000C0FFEE1",
    card_type="3",
    version="2.00",
    institution="110100000000000000000001",
    issued=dt.date(2018, 6, 1),
    expires=dt.date(2028, 6, 1),
    card_number="T00000001",
    personal=SSC_PERSON,
    personal_access=PersonalAccess.OPEN,
)
# A staff member's card (帮办代办 sign-in): the kiosk reads only its EF05 card identifier,
# which a staff account is bound to; EF06 stays behind the holder's PIN, unread.
_young = ID_FIXTURES["young"]
STAFF_CARD = dc.replace(
    SSC_CARD,
    card_id="110100D156000005000000000057AFF1",
    card_number="T00000007",
    personal=dc.replace(SSC_PERSON, id_number=_young.id_number, name=_young.name),
)
DEBIT = BankCardRecord(
    aid="A000000333010101",
    label="PBOC DEBIT",
    pan="6200000000000005",
    expiry=dt.date(2030, 12, 31),
    effective=dt.date(2020, 12, 1),
    pan_sequence=1,
    cardholder_name="TEST/KIOSK SAMPLE",
)
DEBIT_19 = dc.replace(
    DEBIT, pan="6200000000012345674", cardholder_name=None, label="UnionPay debit"
)

FIXTURES: dict[str, CardSpec] = {
    # a 2nd-generation card whose EF06 is open, as in the Xinjiang sample
    "ssc": CardSpec(_atr(b"SSC"), ssc=SSC_CARD),
    # EF06 behind the citizen's PIN (123456)
    "ssc_pin": CardSpec(_atr(b"SSC"), ssc=SSC_CARD, personal_lock=PersonalAccess.PIN),
    # the same card after three wrong PINs: VERIFY answers 6983 until it is unblocked
    "ssc_pin_blocked": CardSpec(
        _atr(b"SSC"), ssc=SSC_CARD, personal_lock=PersonalAccess.PIN, pin_tries=0
    ),
    # EF06 behind a PSAM's external authentication
    "ssc_psam": CardSpec(_atr(b"SSC"), ssc=SSC_CARD, personal_lock=PersonalAccess.PSAM),
    # 3rd generation: SSSE plus a PBOC debit application on the same chip
    "ssc3": CardSpec(
        _atr(b"SS3"), ssc=dc.replace(SSC_CARD, version="3.00"), bank=BankProfile(DEBIT)
    ),
    "bank": CardSpec(_atr(b"PBC"), bank=BankProfile(DEBIT)),
    # no PSE (contactless-style: PPSE only), GPO format 1, no cardholder name
    "bank_ppse": CardSpec(_atr(b"PBC"), bank=BankProfile(DEBIT_19, pse=False, gpo_format=1)),
    # neither directory: the reader must find the application by its AID
    "bank_direct": CardSpec(_atr(b"PBC"), bank=BankProfile(DEBIT, pse=False, ppse=False)),
    "bank_corrupt": CardSpec(_atr(b"PBC"), bank=BankProfile(DEBIT, corrupt_record=True)),
    # a staff card: EF05 readable, EF06 behind the PIN (kiosk.staff.cards)
    "staff": CardSpec(_atr(b"STF"), ssc=STAFF_CARD, personal_lock=PersonalAccess.PIN),
    # a card with no application we know (a transport card, a SIM…)
    "blank": CardSpec(_atr(b"BLK")),
}

DEFAULT_CARD = "ssc"


def card_spec(name: str) -> CardSpec:
    """A fixture by name; ValueError listing the known names otherwise."""
    return named_fixture(FIXTURES, name, "smartcard")
