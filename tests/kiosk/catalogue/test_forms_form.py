"""validate_form over whole matters: conditional fields, unknown keys, every shipped form."""

from __future__ import annotations

from kiosk.catalogue import Catalogue, FieldKind, FormField, Matter, Text
from kiosk.catalogue.forms import FORM_MESSAGES, id_check_digit, validate_field, validate_form

GOOD_ID = "33102319360615002" + id_check_digit("33102319360615002")
GOOD_CARD = "6222020000000000000"  # Luhn-valid, synthetic

_SAMPLES = {
    FieldKind.TEXT: "张三丰",
    FieldKind.ADDRESS: "演示镇演示村3组12号",
    FieldKind.DIGITS: "2",
    FieldKind.PHONE: "13812345678",
    FieldKind.ID_NUMBER: GOOD_ID,
    FieldKind.DATE: "2024-05-01",
    FieldKind.MONEY: "120.50",
    FieldKind.BANK_CARD: GOOD_CARD,
}


def _sample(field: FormField) -> str:
    if field.kind is FieldKind.CHOICE:
        return field.choices[-1].value
    value = _SAMPLES[field.kind]
    if field.min_length and len(value) < field.min_length:
        value = (value * field.min_length)[: field.min_length]
    return value


def _allowance(shipped: Catalogue) -> Matter:
    return next(m for m in shipped if m.name.zh_CN == "高龄津贴申领")


def _self_answers() -> dict[str, str]:
    return {
        "applicant": "self",
        "phone": "13812345678",
        "payment_card_number": GOOD_CARD,
        "bank": "rcb",
        "address": "演示镇演示村3组12号",
    }


def test_the_sample_answers_are_themselves_valid() -> None:
    for kind, value in _SAMPLES.items():
        assert validate_field(FormField("f", Text("项"), kind, True), value) is None, kind


def test_applying_in_person_needs_no_agent_fields(shipped: Catalogue) -> None:
    matter = _allowance(shipped)
    assert validate_form(matter, _self_answers()) == {}


def test_applying_by_agent_requires_the_agent_fields(shipped: Catalogue) -> None:
    matter = _allowance(shipped)
    answers = _self_answers() | {"applicant": "agent"}
    assert validate_form(matter, answers) == {
        "agent_relationship": "form.error.required",
        "agent_name": "form.error.required",
        "agent_id_number": "form.error.required",
    }
    answers |= {"agent_relationship": "child", "agent_name": "张小明", "agent_id_number": GOOD_ID}
    assert validate_form(matter, answers) == {}


def test_the_condition_reads_the_normalised_choice(shipped: Catalogue) -> None:
    matter = _allowance(shipped)
    answers = _self_answers() | {"applicant": " agent "}
    assert validate_form(matter, answers)["agent_name"] == "form.error.required"


def test_missing_and_wrong_answers_are_reported_by_key(shipped: Catalogue) -> None:
    matter = _allowance(shipped)
    errors = validate_form(matter, {"applicant": "self", "phone": "12345"})
    assert errors["phone"] == "form.error.phone"
    assert errors["payment_card_number"] == "form.error.required"
    assert errors["bank"] == "form.error.required"
    assert "agent_name" not in errors


def test_answers_for_unknown_keys_are_reported(shipped: Catalogue) -> None:
    matter = _allowance(shipped)
    answers = _self_answers() | {"favourite_colour": "red"}
    assert validate_form(matter, answers) == {"favourite_colour": "form.error.unknown_field"}


def test_every_shipped_form_accepts_sensible_answers(shipped: Catalogue) -> None:
    for matter in shipped:
        _check_form(matter)


def _check_form(matter: Matter) -> None:
    answers = {f.key: _sample(f) for f in matter.fields}
    assert validate_form(matter, answers) == {}, matter.code
    for key, error in validate_form(matter, {}).items():
        assert matter.field(key).required
        assert error in FORM_MESSAGES
