"""Masking rules for personal data, used alike by the screen, the paper and the logs.

One module so that the rules cannot drift apart (GB/T 35273 "展示限制").
"""

from __future__ import annotations

import re

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
