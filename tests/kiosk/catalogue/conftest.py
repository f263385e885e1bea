"""Fixtures for the catalogue and form tests: the shipped catalogue, and a small valid
document that each malformed-file test breaks in one place."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from config import CATALOGUE_FILE
from kiosk.catalogue import Catalogue, CatalogueError, load_catalogue


def _t(zh: str, en: str = "") -> dict[str, str]:
    return {"zh_CN": zh, "en": en} if en else {"zh_CN": zh}


_MATTER: dict[str, Any] = {
    "code": "33102300MZ-JF-0001",
    "name": _t("高龄津贴申领", "Old-age allowance application"),
    "summary": _t("年满80周岁的老年人申领高龄津贴。"),
    "department": {"code": "MZ", "name": _t("县民政局", "County Civil Affairs Bureau")},
    "modes": ["promised"],
    "popularity": 1,
    "keywords": ["高龄补贴"],
    "identity": {"accepts": ["id_card"], "face_check": False, "agent_allowed": True},
    "conditions": [_t("年满80周岁")],
    "materials": [
        {
            "code": "id_card",
            "name": _t("居民身份证"),
            "required": True,
            "copies": 1,
            "original": True,
            "trust": "e_licence_ok",
            "source_ok": ["card_reader", "e_licence", "paper"],
            "camera_hint": _t("人像面朝上平放"),
            "pages": 2,
        },
        {
            "code": "household_register",
            "name": _t("户口簿"),
            "required": True,
            "copies": 1,
            "original": True,
            "trust": "original_needed",
            "source_ok": ["paper"],
            "camera_hint": _t("翻开压平"),
        },
    ],
    "fields": [
        {
            "key": "applicant",
            "label": _t("申请方式"),
            "kind": "choice",
            "required": True,
            "choices": [
                {"value": "self", "label": _t("本人")},
                {"value": "agent", "label": _t("代办")},
            ],
        },
        {
            "key": "agent_name",
            "label": _t("代办人姓名"),
            "kind": "text",
            "required": False,
            "min_length": 2,
            "max_length": 30,
            "required_when": {"field": "applicant", "equals": "agent"},
        },
        {"key": "phone", "label": _t("联系电话"), "kind": "phone", "required": True},
    ],
    "promised_days": 15,
    "statutory_days": 20,
    "fee": {"amount_fen": 0, "basis": _t("不收费")},
    "visits": 0,
    "place": _t("村便民服务站"),
    "hours": _t("工作日"),
    "legal_basis": _t("《中华人民共和国老年人权益保障法》"),
}


def minimal_doc() -> dict[str, Any]:
    """Two valid matters in two departments."""
    second = copy.deepcopy(_MATTER)
    second.update(
        code="33102300RS-GG-0001",
        name=_t("社会保障卡申领", "Social security card application"),
        department={"code": "RS", "name": _t("县人社局", "County HR and Social Security")},
        modes=["instant"],
        promised_days=0,
        popularity=2,
        keywords=["社保卡"],
    )
    return {"schema": 1, "version": "test-1", "matters": [copy.deepcopy(_MATTER), second]}


@pytest.fixture
def doc() -> dict[str, Any]:
    return minimal_doc()


@pytest.fixture
def load_doc(tmp_path: Path) -> Callable[[dict[str, Any] | str | bytes], Catalogue]:
    """Write a document (dict, JSON text or raw bytes) to a file and load it."""

    def load(content: dict[str, Any] | str | bytes) -> Catalogue:
        path = tmp_path / "catalogue.json"
        if isinstance(content, dict):
            content = json.dumps(content, ensure_ascii=False, indent=2)
        if isinstance(content, str):
            content = content.encode("utf-8")
        path.write_bytes(content)
        return load_catalogue(path)

    return load


@pytest.fixture
def load_error(
    load_doc: Callable[[dict[str, Any] | str | bytes], Catalogue],
) -> Callable[[dict[str, Any] | str | bytes], CatalogueError]:
    """Load a document that must be refused and return the error."""

    def refuse(content: dict[str, Any] | str | bytes) -> CatalogueError:
        with pytest.raises(CatalogueError) as info:
            load_doc(content)
        return info.value

    return refuse


@pytest.fixture(scope="session")
def shipped() -> Catalogue:
    return load_catalogue(CATALOGUE_FILE)
