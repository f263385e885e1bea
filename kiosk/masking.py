"""Masking rules for personal data, used alike by the screen, the paper and the logs.

One module so that the rules cannot drift apart (GB/T 35273 "展示限制"); a test
(tests/kiosk/core/test_core_masking.py) pins the rules and fails when another module
masks in its own way. Devices may not import this module, so their reprs show nothing
personal at all rather than a masked copy.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_STAR = "*"


def mask_id_number(value: str) -> str:
    """Keep the first 4 and last 4 characters: ``1101**********1234``."""
    v = value.strip()
    if len(v) <= 8:
        return _STAR * len(v)
    return v[:4] + _STAR * (len(v) - 8) + v[-4:]


def mask_name(value: str) -> str:
    """Keep the family name: ``张*``, ``欧阳**``-style for two-character family names
    is not guessed; only the first character is kept."""
    v = value.strip()
    if not v:
        return v
    return v[0] + _STAR * max(len(v) - 1, 1)


def mask_phone(value: str) -> str:
    """Middle-masked: ``138****5678``."""
    v = re.sub(r"\s", "", value)
    if len(v) < 7:
        return _STAR * len(v)
    return v[:3] + _STAR * (len(v) - 7) + v[-4:]


def mask_pan(value: str) -> str:
    """Bank card numbers: first 6 and last 4."""
    v = re.sub(r"\s", "", value)
    if len(v) <= 10:
        return _STAR * len(v)
    return v[:6] + _STAR * (len(v) - 10) + v[-4:]


def mask_card_number(value: str) -> str:
    """Other card numbers (social-security card 卡号): only the last 4 kept."""
    v = value.strip()
    if len(v) <= 4:
        return _STAR * len(v)
    return _STAR * (len(v) - 4) + v[-4:]


def mask_address(value: str) -> str:
    """Keep the first 6 characters (province and city, at most): ``测试省示例市***``."""
    v = value.strip()
    if len(v) <= 6:
        return v[:2] + _STAR * max(len(v) - 2, 0)
    return v[:6] + _STAR * 3


def mask_card_id(value: str) -> str:
    """A social-security card's 卡识别码: only the first 6 (the issuing region) kept."""
    v = value.strip()
    return v[:6] + _STAR * max(len(v) - 6, 0)


def mask_place(value: str) -> str:
    """A place code or name (birthplace): the first 2 characters (the province) kept."""
    v = value.strip()
    return v[:2] + _STAR * max(len(v) - 2, 0)


_BY_KIND: dict[str, Callable[[str], str]] = {
    "name": mask_name,
    "id_number": mask_id_number,
    "phone": mask_phone,
    "bank_card": mask_pan,
    "pan": mask_pan,
}


def mask_field(kind: str, value: str) -> str:
    """A value by the kind of field it fills (form field kinds, certificate field kinds):
    names, ID numbers, phones and bank cards masked, anything else as it is."""
    mask = _BY_KIND.get(str(kind))
    return mask(value) if mask and value else value
