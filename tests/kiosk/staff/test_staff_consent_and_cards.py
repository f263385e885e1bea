"""Consent texts as configuration (each kind, part and language present, a gap named),
and what counts as a staff card (an SSSE card identifier, never a bank card)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from config import CONSENT_FILE
from devices.smartcard.fixtures import DEBIT, FIXTURES, SSC_CARD, STAFF_CARD
from kiosk.staff.cards import NotAStaffCard, staff_card_id
from kiosk.staff.consent import (
    KINDS,
    ConsentConfigError,
    consent_text,
    load_consent_texts,
)


def test_the_shipped_texts_have_every_kind_in_both_languages() -> None:
    texts = load_consent_texts()
    for kind in KINDS:
        assert "同意" in consent_text(texts, kind, "title", "zh_CN") or kind == "household"
        assert consent_text(texts, kind, "body", "en").isascii()
    assert "照片" in consent_text(texts, "biometric", "body", "zh_CN")
    assert consent_text(texts, "assist", "body", "fr") == texts["assist"]["body"]["zh_CN"]


def test_a_missing_text_is_named_with_the_file(tmp_path: Path) -> None:
    data = json.loads(CONSENT_FILE.read_text(encoding="utf-8"))
    del data["biometric"]["body"]["en"]
    path = tmp_path / "consent.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ConsentConfigError, match=r"biometric\.body\.en is missing"):
        load_consent_texts(path)
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ConsentConfigError, match="cannot read"):
        load_consent_texts(path)


def test_a_staff_card_is_known_by_its_card_identifier() -> None:
    assert staff_card_id(STAFF_CARD) == "110100D156000005000000000057AFF1"
    assert staff_card_id(SSC_CARD) != staff_card_id(STAFF_CARD)
    assert FIXTURES["staff"].ssc is STAFF_CARD


def test_a_bank_card_is_not_a_staff_card() -> None:
    with pytest.raises(NotAStaffCard) as info:
        staff_card_id(DEBIT)
    assert info.value.key == "staff.error.not_staff_card"
