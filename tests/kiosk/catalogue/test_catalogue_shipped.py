"""The shipped demo catalogue (config/catalogue.json) is complete enough to run a kiosk."""

from __future__ import annotations

from kiosk.catalogue import (
    Catalogue,
    FieldKind,
    HandlingMode,
    MaterialSource,
    Text,
    TrustLevel,
)


def _bilingual(text: Text) -> bool:
    return bool(text.zh_CN.strip()) and bool(text.en.strip())


def test_it_has_at_least_fifteen_matters_with_unique_codes(shipped: Catalogue) -> None:
    codes = [m.code for m in shipped]
    assert len(codes) >= 15
    assert len(set(codes)) == len(codes)
    assert shipped.version


def test_every_user_facing_text_is_bilingual(shipped: Catalogue) -> None:
    for m in shipped:
        texts = [m.name, m.summary, m.department.name, m.place, m.hours, m.legal_basis]
        texts += [*m.conditions, m.fee.basis]
        for material in m.materials:
            texts += [material.name, material.camera_hint]
            texts += [material.note] if material.note else []
        for field in m.fields:
            texts += [field.label, *(c.label for c in field.choices)]
            texts += [field.help] if field.help else []
        missing = [t.zh_CN for t in texts if not _bilingual(t)]
        assert missing == [], m.code


def test_every_matter_has_the_guide_attributes(shipped: Catalogue) -> None:
    for m in shipped:
        assert m.modes and m.conditions and m.identity.accepts, m.code
        assert m.visits in (0, 1)
        assert m.fee.amount_fen >= 0
        assert m.popularity >= 1
        if m.handles(HandlingMode.PROMISED):
            assert m.promised_days >= 1, m.code
        if m.statutory_days is not None:
            assert m.promised_days <= m.statutory_days, m.code
        for material in m.materials:
            assert material.source_ok and material.pages >= 1
        for field in m.fields:
            assert (field.kind is FieldKind.CHOICE) == bool(field.choices), (m.code, field.key)


def test_default_popularity_ranks_are_distinct(shipped: Catalogue) -> None:
    ranks = [m.popularity for m in shipped]
    assert sorted(ranks) == list(range(1, len(ranks) + 1))


def test_the_catalogue_exercises_every_mode_kind_and_trust_level(shipped: Catalogue) -> None:
    modes = {mode for m in shipped for mode in m.modes}
    kinds = {f.kind for m in shipped for f in m.fields}
    trusts = {x.trust for m in shipped for x in m.materials}
    assert modes == set(HandlingMode)
    assert kinds == set(FieldKind)
    assert trusts == set(TrustLevel)


def test_old_age_allowance_is_promised_with_its_materials_and_form(shipped: Catalogue) -> None:
    [matter] = [m for m in shipped if m.name.zh_CN == "高龄津贴申领"]
    assert matter.modes == (HandlingMode.PROMISED,)
    assert matter.promised_days >= 1
    assert matter.identity.agent_allowed
    materials = {x.code: x for x in matter.materials}
    assert {"id_card", "household_register", "payment_card"} <= materials.keys()
    assert all(materials[c].required for c in ("id_card", "household_register", "payment_card"))
    assert MaterialSource.E_LICENCE in materials["household_register"].source_ok
    assert "社会保障卡" in materials["payment_card"].name.zh_CN
    assert matter.field("phone").kind is FieldKind.PHONE
    assert matter.field("payment_card_number").kind is FieldKind.BANK_CARD
    relationship = matter.field("agent_relationship")
    assert relationship.kind is FieldKind.CHOICE and not relationship.required
    assert relationship.required_when is not None
    assert relationship.required_when.field == "applicant"
    assert relationship.required_when.equals == "agent"


def test_english_text_is_chosen_by_language(shipped: Catalogue) -> None:
    matter = shipped.search("高龄津贴申领")[0]
    assert matter.name.get("en") == "Old-age allowance application"
    assert matter.name.get("en_US") == "Old-age allowance application"
    assert matter.name.get("zh_CN") == "高龄津贴申领"
    assert matter.name.get("mn") == "高龄津贴申领"
