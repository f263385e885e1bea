"""Flow tests: the shipped catalogue, a fresh session, a citizen, a fixed clock."""

from __future__ import annotations

import dataclasses as dc
import datetime as dt
from pathlib import Path

import pytest

from config import CATALOGUE_FILE
from kiosk.catalogue import Catalogue, Fee, Matter, Text, load_catalogue
from kiosk.identity import Identity
from kiosk.session import CapturedPage, Session

CST = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 1, 1, 9, 0, tzinfo=CST)  # a Thursday

CERTIFICATE = "33102300RS-GG-0002"  # 社会保险个人权益记录查询打印: instant
ALLOWANCE = "33102300MZ-JF-0001"  # 高龄津贴申领: promised
DIBAO = "33102300MZ-JF-0002"  # 最低生活保障申请: promised, appointment
PENSION_CHECK = "33102300RS-GG-0003"  # 养老保险待遇领取资格认证: self-service, deferred
PAYMENT = "33102300SW-GG-0001"  # 城乡居民养老、医疗保险费缴纳: self-service only


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue(CATALOGUE_FILE)


@pytest.fixture
def session(tmp_path: Path) -> Session:
    return Session(tmp_path, language="zh_CN", elderly=False, clock=lambda: 0.0)


def person(id_number: str = "110101194501011236", source: str = "idcard") -> Identity:
    return Identity(source, "resident", id_number, "测试甲")


def page(code: str) -> CapturedPage:
    return CapturedPage(code, b"jpeg", 1654, 2339)


def with_fee(matter: Matter, fen: int) -> Matter:
    return dc.replace(matter, fee=Fee(fen, Text("工本费", "Card fee")))
