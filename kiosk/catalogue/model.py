"""The matter catalogue as typed, frozen data (事项目录 → 办事指南 fields).

Field names follow the guide a provincial platform shows for each matter (research
features.md §2.2): conditions, materials, time limits, fees, visits, place and hours,
legal basis. Every user-facing string is a bilingual :class:`Text`.
"""

from __future__ import annotations

import dataclasses as dc
import enum


@dc.dataclass(frozen=True)
class Text:
    """A user-facing string in zh_CN and (optionally) en; zh_CN is the fallback."""

    zh_CN: str
    en: str = ""

    def get(self, lang: str) -> str:
        """The text in ``lang`` (``"en"``, ``"en_US"`` … or ``"zh_CN"``), else zh_CN."""
        if lang.lower().startswith("en") and self.en:
            return self.en
        return self.zh_CN

    def __str__(self) -> str:
        return self.zh_CN


class HandlingMode(enum.StrEnum):
    """How a matter can be handled (DESIGN.md "The journey as data")."""

    INSTANT = "instant"  # 即时办
    PROMISED = "promised"  # 承诺办
    APPOINTMENT = "appointment"  # 预约办
    DEFERRED = "deferred"  # 延时办 (after hours or home visit)
    SELF_SERVICE = "self_service"  # 自助办


class TrustLevel(enum.StrEnum):
    """What a material needs to be accepted (国办函〔2016〕108号 levels, features.md §2.3).

    ``e_licence_ok``: an issuer's 电子证照 (level A) may stand in for the paper.
    ``original_needed``: a kiosk scan is level C until staff check the original.
    ``copy_ok``: a scan or copy is enough.
    ``self_declared``: made by the applicant, accepted on their promise (level D).
    """

    E_LICENCE_OK = "e_licence_ok"
    ORIGINAL_NEEDED = "original_needed"
    COPY_OK = "copy_ok"
    SELF_DECLARED = "self_declared"


class MaterialSource(enum.StrEnum):
    """Where the kiosk may obtain a material from."""

    PAPER = "paper"  # laid under the document camera (高拍仪)
    E_LICENCE = "e_licence"  # fetched as 电子证照
    CARD_READER = "card_reader"  # read from the ID card or PC/SC card reader
    DATA_SHARING = "data_sharing"  # the department fetches it itself (免提交)


class FieldKind(enum.StrEnum):
    """Form field kinds; each has its own check in :mod:`kiosk.catalogue.forms`."""

    TEXT = "text"
    DIGITS = "digits"
    PHONE = "phone"
    ID_NUMBER = "id_number"
    DATE = "date"
    CHOICE = "choice"
    MONEY = "money"
    BANK_CARD = "bank_card"
    ADDRESS = "address"


class IdentityProof(enum.StrEnum):
    """Which proofs of identity a matter accepts at the identity step."""

    ID_CARD = "id_card"  # 二代居民身份证 on the SAM reader
    SOCIAL_SECURITY_CARD = "social_security_card"  # 社保卡 over PC/SC
    E_ID = "e_id"  # 电子身份证 / 网证 QR code


@dc.dataclass(frozen=True)
class Department:
    code: str
    name: Text


@dc.dataclass(frozen=True)
class Fee:
    """The charge for a matter in fen (分), with its legal basis; most matters are free."""

    amount_fen: int
    basis: Text

    @property
    def is_free(self) -> bool:
        return self.amount_fen == 0


@dc.dataclass(frozen=True)
class Material:
    """One item of 申报材料, with what the document-camera step needs to know."""

    code: str
    name: Text
    required: bool
    copies: int  # paper copies the department keeps (0: shown or fetched only)
    original: bool  # the original must be presented
    trust: TrustLevel
    source_ok: tuple[MaterialSource, ...]
    camera_hint: Text  # how to lay it under the document camera
    pages: int = 1  # pages or sides to capture
    note: Text | None = None  # when it applies, e.g. "由他人代办时提供"


@dc.dataclass(frozen=True)
class Choice:
    value: str
    label: Text


@dc.dataclass(frozen=True)
class RequiredWhen:
    """A field becomes required when the choice field ``field`` has the value ``equals``."""

    field: str
    equals: str


@dc.dataclass(frozen=True)
class FormField:
    key: str
    label: Text
    kind: FieldKind
    required: bool
    min_length: int | None = None
    max_length: int | None = None
    choices: tuple[Choice, ...] = ()
    help: Text | None = None
    required_when: RequiredWhen | None = None

    def choice_values(self) -> tuple[str, ...]:
        return tuple(c.value for c in self.choices)


@dc.dataclass(frozen=True)
class Identity:
    """The identity requirement: accepted proofs, face check, whether an agent may act."""

    accepts: tuple[IdentityProof, ...]
    face_check: bool
    agent_allowed: bool
    # the matter is the check itself: 资格认证 (kiosk/flows/certification.py), e.g. the
    # yearly pension eligibility certification; its instant handling is the face check
    certification: bool = False


@dc.dataclass(frozen=True)
class Matter:
    """One 政务服务事项 as the kiosk handles it."""

    code: str
    name: Text
    summary: Text
    department: Department
    modes: tuple[HandlingMode, ...]
    identity: Identity
    conditions: tuple[Text, ...]
    materials: tuple[Material, ...]
    fields: tuple[FormField, ...]
    promised_days: int  # 承诺时限, working days (0: on the spot)
    statutory_days: int | None  # 法定时限, working days (None: none set)
    fee: Fee
    visits: int  # 到现场次数: 0 or 1
    place: Text
    hours: Text
    legal_basis: Text  # 设定依据
    popularity: int  # default rank, 1 = most asked for
    keywords: tuple[str, ...] = ()

    def material(self, code: str) -> Material:
        """The material ``code`` of this matter; KeyError if it has none such."""
        for item in self.materials:
            if item.code == code:
                return item
        raise KeyError(code)

    def field(self, key: str) -> FormField:
        """The form field ``key`` of this matter; KeyError if it has none such."""
        for item in self.fields:
            if item.key == key:
                return item
        raise KeyError(key)

    def handles(self, mode: HandlingMode | str) -> bool:
        return mode in self.modes
