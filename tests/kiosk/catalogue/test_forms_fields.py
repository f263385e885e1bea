"""validate_field: one message key per kind of mistake, and never an exception."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.catalogue import Choice, FieldKind, FormField, Text, forms
from kiosk.catalogue.forms import FORM_MESSAGES, id_check_digit, normalize_value, validate_field


def _field(kind: FieldKind, **kw: object) -> FormField:
    return FormField(key="f", label=Text("项"), kind=kind, required=True, **kw)  # type: ignore[arg-type]


def _luhn_complete(prefix: str) -> str:
    return next(prefix + d for d in "0123456789" if forms.luhn_ok(prefix + d))


VALID_ID = "11010519491231002X"  # the worked example of GB 11643-1999
VALID_CARD = _luhn_complete("622202000000000001")  # 19 digits, synthetic
CHOICE = _field(
    FieldKind.CHOICE, choices=(Choice("self", Text("本人")), Choice("agent", Text("代办")))
)

CASES: list[tuple[FormField, str, str | None]] = [
    (_field(FieldKind.TEXT), "张三", None),
    (_field(FieldKind.TEXT), "买买提·艾力", None),
    (_field(FieldKind.TEXT), "a\x00b", forms.CHARACTERS),
    (_field(FieldKind.TEXT), "a\u200bb", forms.CHARACTERS),  # zero-width space
    (_field(FieldKind.TEXT), "\ue000", forms.CHARACTERS),  # private use
    (_field(FieldKind.TEXT, min_length=2), "张", forms.TOO_SHORT),
    (_field(FieldKind.TEXT, max_length=3), "张三丰啊", forms.TOO_LONG),
    (_field(FieldKind.TEXT), "字" * 101, forms.TOO_LONG),  # default cap for text
    (_field(FieldKind.ADDRESS), "某镇某村3组12号", None),
    (_field(FieldKind.DIGITS), "12", None),
    (_field(FieldKind.DIGITS), "１２", None),  # full-width from a Chinese keyboard
    (_field(FieldKind.DIGITS), "1a", forms.DIGITS),
    (_field(FieldKind.DIGITS), "١٢", forms.DIGITS),  # Arabic-Indic digits are not ours
    (_field(FieldKind.DIGITS, max_length=2), "123", forms.TOO_LONG),
    (_field(FieldKind.PHONE), "13812345678", None),
    (_field(FieldKind.PHONE), "138 1234 5678", None),
    (_field(FieldKind.PHONE), "+86 138-1234-5678", None),
    (_field(FieldKind.PHONE), "12812345678", forms.PHONE),
    (_field(FieldKind.PHONE), "1381234567", forms.PHONE),
    (_field(FieldKind.PHONE), "0571-88888888", forms.PHONE),
    (_field(FieldKind.ID_NUMBER), VALID_ID, None),
    (_field(FieldKind.ID_NUMBER), VALID_ID.lower(), None),
    (_field(FieldKind.ID_NUMBER), "110105194912310021", forms.ID_NUMBER),
    (_field(FieldKind.DATE), "2024-02-29", None),
    (_field(FieldKind.DATE), "2023-02-29", forms.DATE),
    (_field(FieldKind.DATE), "2024-2-1", forms.DATE),
    (_field(FieldKind.DATE), "2024/02/01", forms.DATE),
    (_field(FieldKind.DATE), "1899-12-31", forms.DATE),
    (_field(FieldKind.DATE), "2024-13-01", forms.DATE),
    (CHOICE, "agent", None),
    (CHOICE, " self ", None),
    (CHOICE, "friend", forms.CHOICE),
    (CHOICE, "Self", forms.CHOICE),
    (_field(FieldKind.MONEY), "0", None),
    (_field(FieldKind.MONEY), "120.5", None),
    (_field(FieldKind.MONEY), "120.50", None),
    (_field(FieldKind.MONEY), "120.505", forms.MONEY),
    (_field(FieldKind.MONEY), "-1", forms.MONEY),
    (_field(FieldKind.MONEY), "1e3", forms.MONEY),
    (_field(FieldKind.MONEY), "¥12", forms.MONEY),
    (_field(FieldKind.BANK_CARD), VALID_CARD, None),
    (_field(FieldKind.BANK_CARD), VALID_CARD[:6] + " " + VALID_CARD[6:], None),
    (
        _field(FieldKind.BANK_CARD),
        VALID_CARD[:-1] + str((int(VALID_CARD[-1]) + 1) % 10),
        forms.BANK_CARD,
    ),
    (_field(FieldKind.BANK_CARD), "4111", forms.BANK_CARD),
    (_field(FieldKind.BANK_CARD), "4111111111111111111111", forms.BANK_CARD),
]


@pytest.mark.parametrize(("field", "value", "expected"), CASES)
def test_each_kind_accepts_good_and_names_bad_input(
    field: FormField, value: str, expected: str | None
) -> None:
    assert validate_field(field, value) == expected


@pytest.mark.parametrize("kind", list(FieldKind))
def test_blank_is_required_only_when_the_field_is(kind: FieldKind) -> None:
    field = _field(kind, choices=CHOICE.choices if kind is FieldKind.CHOICE else ())
    assert validate_field(field, "") == forms.REQUIRED
    assert validate_field(field, " \t ") == forms.REQUIRED
    assert validate_field(field, "", required=False) is None


def test_an_enormous_answer_is_refused_early() -> None:
    assert validate_field(_field(FieldKind.TEXT, max_length=500), "x" * 1_000_000) == forms.TOO_LONG


def test_normalize_gives_the_stored_form() -> None:
    assert normalize_value(_field(FieldKind.ID_NUMBER), " 11010519491231002x ") == VALID_ID
    assert normalize_value(_field(FieldKind.PHONE), "+86 138 1234 5678") == "13812345678"
    assert normalize_value(_field(FieldKind.DIGITS), "１２３") == "123"
    assert normalize_value(_field(FieldKind.TEXT), "  张  三 ") == "张 三"


def test_money_to_fen() -> None:
    assert forms.money_to_fen("120.5") == 12050
    assert forms.money_to_fen("0.07") == 7
    assert forms.money_to_fen("3") == 300
    with pytest.raises(ValueError):
        forms.money_to_fen("1.234")


def test_every_key_has_both_languages_and_formats() -> None:
    keys = {v for k, v in vars(forms).items() if k.isupper() and str(v).startswith("form.error.")}
    assert keys == FORM_MESSAGES.keys()
    field = _field(FieldKind.TEXT, min_length=2, max_length=30)
    for key, texts in FORM_MESSAGES.items():
        assert texts["zh_CN"] and texts["en"], key
        assert "{" not in forms.format_error(key, field, "en")
    assert forms.format_error(forms.TOO_LONG, field, "zh_CN") == "最多填写 30 个字"
    assert forms.format_error(forms.TOO_SHORT, field, "en") == "Enter at least 2 characters"
    assert forms.format_error("form.error.nope", field) == "form.error.nope"


FIELDS = [_field(kind) for kind in FieldKind if kind is not FieldKind.CHOICE] + [CHOICE]


@settings(max_examples=300, deadline=None)
@given(field=st.sampled_from(FIELDS), value=st.text(max_size=300), required=st.booleans())
def test_validate_field_never_raises(field: FormField, value: str, required: bool) -> None:
    result = validate_field(field, value, required=required)
    assert result is None or result in FORM_MESSAGES


@settings(max_examples=200, deadline=None)
@given(digits=st.text(alphabet="0123456789", min_size=12, max_size=18))
def test_luhn_completion_is_always_accepted(digits: str) -> None:
    card = _luhn_complete(digits)
    assert validate_field(_field(FieldKind.BANK_CARD), card) is None
    wrong = card[:-1] + str((int(card[-1]) + 5) % 10)
    assert validate_field(_field(FieldKind.BANK_CARD), wrong) == forms.BANK_CARD


def test_id_check_digit_of_the_standard_example() -> None:
    assert id_check_digit("11010519491231002") == "X"
