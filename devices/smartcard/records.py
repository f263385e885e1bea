"""The typed results of reading a PC/SC card: a social-security card or a bank card.

Both hold personal data. Their ``repr`` shows the card kind and a masked number only,
so a stray log line or traceback cannot leak a PAN, a name or an ID number; the masking
rules are the kiosk's (``kiosk.masking``), repeated here because devices never import
the kiosk. A PAN is kept in memory for the one session that needs it and never written
anywhere by this package.
"""

from __future__ import annotations

import dataclasses as dc
import datetime as dt
import enum

from devices.idcard.nations import CodeLabel


class CardKind(enum.StrEnum):
    SOCIAL_SECURITY = "social_security"  # 社会保障卡
    BANK = "bank"  # PBOC 3.0 / EMV debit or credit application


class PersonalAccess(enum.StrEnum):
    """How EF06 (personal data) went: read freely, opened by PIN or PSAM, or locked."""

    OPEN = "open"  # this card lets anyone read EF06
    PIN = "pin"  # opened with the citizen's PIN
    PSAM = "psam"  # opened by external authentication with the kiosk's PSAM
    LOCKED = "locked"  # needs a PIN or a PSAM that was not offered


@dc.dataclass(frozen=True, repr=False)
class SscPersonal:
    """EF06: the holder's personal data (social-security number = citizen ID number)."""

    id_number: str
    name: str
    sex: CodeLabel
    nation: CodeLabel | None
    birthplace: str  # GB/T 2260 division code, "" when the card leaves it blank
    birth: dt.date | None

    def __repr__(self) -> str:
        # Nothing personal, not even masked: the masking rules live in kiosk.masking alone.
        return "SscPersonal(…)"


@dc.dataclass(frozen=True, repr=False)
class SocialSecurityRecord:
    """EF05 card-level data, and EF06 personal data when the card allowed reading it."""

    card_id: str  # 卡识别码, 32 hex digits; the first 6 are the issuing region
    card_type: str
    version: str  # specification version: "2.00" 2nd generation, "3.00" 3rd
    institution: str  # 初始化机构编号, hex
    issued: dt.date
    expires: dt.date | None
    card_number: str  # 社会保障卡卡号 (9 characters)
    personal: SscPersonal | None = None
    personal_access: PersonalAccess = PersonalAccess.LOCKED
    kind: CardKind = CardKind.SOCIAL_SECURITY

    @property
    def region(self) -> str:
        return self.card_id[:6]

    @property
    def generation(self) -> int | None:
        head = self.version[:1]
        return int(head) if head.isdigit() else None

    def __repr__(self) -> str:
        return (
            f"SocialSecurityRecord(type={self.card_type!r}, personal={self.personal_access.value})"
        )


@dc.dataclass(frozen=True, repr=False)
class BankCardRecord:
    """What a kiosk may take from a PBOC/EMV application: never the track data itself."""

    aid: str  # hex
    label: str
    pan: str
    expiry: dt.date  # the last day of the expiry month
    effective: dt.date | None = None
    pan_sequence: int | None = None
    cardholder_name: str | None = None
    kind: CardKind = CardKind.BANK

    def __repr__(self) -> str:
        return f"BankCardRecord(aid={self.aid!r})"


CardRecord = SocialSecurityRecord | BankCardRecord
