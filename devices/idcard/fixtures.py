"""Synthetic people for the simulator, the demo and tests.

Obviously fake — every name and address says 测试 (test) or 示例 (sample) — yet each
passes the same checks as a real card (GB 11643 check digit, birth date matching the
number, codes from the tables), so the whole read path runs on them unchanged. The
photos are 1024 deterministic pseudo-random bytes, not WLT images.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from devices.idcard.nations import nation, sex
from devices.idcard.protocol import PHOTO_SIZE
from devices.idcard.records import CardType, IdCardRecord, with_check_digit
from devices.simulation import named_fixture


def fake_photo(seed: str) -> bytes:
    """1024 stable bytes standing in for a WLT photo."""
    return hashlib.shake_256(f"idcard-fixture-photo:{seed}".encode()).digest(PHOTO_SIZE)


def _resident(key: str, **fields: Any) -> IdCardRecord:
    return IdCardRecord(card_type=CardType.RESIDENT, photo_wlt=fake_photo(key), **fields)


FIXTURES: dict[str, IdCardRecord] = {
    # 82 in 2025: 高龄津贴 and other old-age matters; long-term card.
    "elder": _resident(
        "elder",
        name="李测试",
        sex=sex("2"),
        nation=nation("01"),
        birth=dt.date(1943, 5, 12),
        address="测试省示例市幸福县测试村一组8号",
        id_number=with_check_digit("11010119430512002"),
        authority="示例市公安局幸福分局",
        valid_from=dt.date(2006, 8, 1),
        valid_until=None,
    ),
    # 22 in 2025: a 10-year card, a minority nation.
    "young": _resident(
        "young",
        name="赵测试",
        sex=sex("1"),
        nation=nation("06"),
        birth=dt.date(2003, 9, 1),
        address="测试省示例市示例县测试镇示例路15号",
        id_number=with_check_digit("52262720030901001"),
        authority="示例县公安局",
        valid_from=dt.date(2021, 9, 1),
        valid_until=dt.date(2031, 9, 1),
    ),
    # Born on a leap day; 长期 validity (issued after 46).
    "longterm": _resident(
        "longterm",
        name="钱测试长期",
        sex=sex("2"),
        nation=nation("02"),
        birth=dt.date(1960, 2, 29),
        address="测试自治区示例市测试旗示例嘎查3号",
        id_number=with_check_digit("15010219600229004"),
        authority="示例市公安局测试分局",
        valid_from=dt.date(2010, 3, 1),
        valid_until=None,
    ),
    # Expired on purpose: flows must refuse or warn.
    "expired": _resident(
        "expired",
        name="孙测试过期",
        sex=sex("1"),
        nation=nation("01"),
        birth=dt.date(1975, 11, 30),
        address="测试省示例市测试区示例街道1号",
        id_number=with_check_digit("32010219751130003"),
        authority="示例市公安局测试分局",
        valid_from=dt.date(2000, 1, 10),
        valid_until=dt.date(2020, 1, 10),
    ),
    "foreigner": IdCardRecord(
        card_type=CardType.FOREIGN_PERMANENT,
        name="测试爱丽丝",
        sex=sex("2"),
        nation=None,
        birth=dt.date(1988, 1, 1),
        address="",
        id_number="CAN310880101002",
        authority="3100",
        valid_from=dt.date(2019, 6, 1),
        valid_until=dt.date(2029, 6, 1),
        photo_wlt=fake_photo("foreigner"),
        extra={"english_name": "TEST SAMPLE ALICE", "nationality": "CAN", "card_version": "01"},
    ),
    "hmt": IdCardRecord(
        card_type=CardType.HMT_PERMIT,
        name="周测试港",
        sex=sex("1"),
        nation=None,
        birth=dt.date(1990, 7, 1),
        address="测试省示例市测试区示例路8号",
        id_number=with_check_digit("81000019900701003"),
        authority="示例市公安局",
        valid_from=dt.date(2024, 1, 1),
        valid_until=dt.date(2029, 1, 1),
        photo_wlt=fake_photo("hmt"),
        extra={"pass_number": "H12345678", "issue_count": "01"},
    ),
}

DEFAULT_FIXTURE = "elder"


def fixture(name: str) -> IdCardRecord:
    """A fixture by name; ValueError listing the known names otherwise."""
    return named_fixture(FIXTURES, name, "ID card")
