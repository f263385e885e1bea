"""Form-field validation for a matter's 申请表: answers in, message keys out.

Errors are message keys (``form.error.phone`` …) for the UI to translate; their zh_CN and
en texts are in :data:`FORM_MESSAGES` for merging into config/i18n. Messages with
``{min}``/``{max}`` are formatted with the field's lengths (see :func:`format_error`).
Checks are pure and never raise, whatever a hostile or confused input holds.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Mapping

from kiosk.catalogue.model import FieldKind, FormField, Matter

REQUIRED = "form.error.required"
TOO_SHORT = "form.error.too_short"
TOO_LONG = "form.error.too_long"
CHARACTERS = "form.error.characters"
DIGITS = "form.error.digits"
PHONE = "form.error.phone"
ID_NUMBER = "form.error.id_number"
DATE = "form.error.date"
CHOICE = "form.error.choice"
MONEY = "form.error.money"
BANK_CARD = "form.error.bank_card"
UNKNOWN_FIELD = "form.error.unknown_field"

FORM_MESSAGES: dict[str, dict[str, str]] = {
    REQUIRED: {"zh_CN": "此项必须填写", "en": "This is required"},
    TOO_SHORT: {"zh_CN": "至少填写 {min} 个字", "en": "Enter at least {min} characters"},
    TOO_LONG: {"zh_CN": "最多填写 {max} 个字", "en": "Enter at most {max} characters"},
    CHARACTERS: {
        "zh_CN": "含有不能使用的字符，请重新输入",
        "en": "Contains characters that cannot be used; please type it again",
    },
    DIGITS: {"zh_CN": "只能填写数字", "en": "Digits only"},
    PHONE: {"zh_CN": "请填写11位手机号码", "en": "Enter an 11-digit mobile number"},
    ID_NUMBER: {
        "zh_CN": "身份证号码不正确，请核对（18位，最后一位可能是X）",
        "en": "This ID number is not valid; check it (18 characters, the last may be X)",
    },
    DATE: {
        "zh_CN": "请按 年-月-日 填写日期，例如 2024-05-01",
        "en": "Enter the date as YYYY-MM-DD, e.g. 2024-05-01",
    },
    CHOICE: {"zh_CN": "请从选项中选择一项", "en": "Choose one of the options"},
    MONEY: {
        "zh_CN": "请填写金额，最多两位小数，例如 120.50",
        "en": "Enter an amount with at most two decimals, e.g. 120.50",
    },
    BANK_CARD: {"zh_CN": "银行卡号不正确，请核对", "en": "This card number is not valid; check it"},
    UNKNOWN_FIELD: {
        "zh_CN": "表单中有无法识别的项目",
        "en": "The form has an item it does not expect",
    },
}

MAX_INPUT = 2000  # characters; anything longer is refused before any other work
DEFAULT_MAX = {FieldKind.TEXT: 100, FieldKind.ADDRESS: 120, FieldKind.DIGITS: 32}
_BAD_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}  # control, format, surrogate, private, unassigned
_COMPACT_KINDS = {FieldKind.DIGITS, FieldKind.PHONE, FieldKind.ID_NUMBER, FieldKind.BANK_CARD}
_SEPARATORS = re.compile(r"[\s-]+")
_ASCII_DIGITS = re.compile(r"[0-9]+")
_PHONE = re.compile(r"1[3-9][0-9]{9}")
_ID = re.compile(r"[0-9]{17}[0-9X]")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_MONEY = re.compile(r"([0-9]{1,10})(?:\.([0-9]{1,2}))?")
_CARD = re.compile(r"[0-9]{12,19}")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# GB/T 2260 province-level codes; 71/81/82/83 for Taiwan, Hong Kong, Macao residence permits
_PROVINCES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46}
    | {50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83}
)
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100


def normalize_value(field: FormField, value: str) -> str:
    """The answer as it should be stored: NFKC (full-width digits become ASCII), trimmed;
    spaces and dashes removed from numbers; ``x`` upper-cased in ID numbers; ``+86`` dropped
    from phones; runs of spaces collapsed in text."""
    v = unicodedata.normalize("NFKC", value).strip()
    if field.kind in _COMPACT_KINDS:
        v = _SEPARATORS.sub("", v)
    if field.kind is FieldKind.ID_NUMBER:
        v = v.upper()
    elif field.kind is FieldKind.PHONE and len(v) == 14 and v.startswith("+86"):
        v = v[3:]
    elif field.kind in (FieldKind.TEXT, FieldKind.ADDRESS):
        v = " ".join(v.split())
    return v


def validate_field(field: FormField, value: str, *, required: bool | None = None) -> str | None:
    """None if ``value`` is acceptable for ``field``, else an error message key.

    ``required`` overrides ``field.required`` (validate_form uses it for ``required_when``).
    """
    if len(value) > MAX_INPUT:
        return TOO_LONG
    v = normalize_value(field, value)
    if not v:
        needed = field.required if required is None else required
        return REQUIRED if needed else None
    if any(unicodedata.category(c) in _BAD_CATEGORIES for c in v):
        return CHARACTERS
    error = _CHECKS[field.kind](field, v)
    if error is not None:
        return error
    if field.min_length is not None and len(v) < field.min_length:
        return TOO_SHORT
    if len(v) > _max_length(field):
        return TOO_LONG
    return None


def validate_form(matter: Matter, answers: Mapping[str, str]) -> dict[str, str]:
    """Errors by field key ({} when the form is fine). Missing answers count as blank;
    answers for keys the matter has no field for are reported as ``form.error.unknown_field``."""
    errors: dict[str, str] = {}
    for field in matter.fields:
        required = field.required
        condition = field.required_when
        if condition is not None:
            target = matter.field(condition.field)
            required = normalize_value(target, answers.get(target.key, "")) == condition.equals
        error = validate_field(field, answers.get(field.key, ""), required=required)
        if error is not None:
            errors[field.key] = error
    known = {f.key for f in matter.fields}
    errors.update({key: UNKNOWN_FIELD for key in answers if key not in known})
    return errors


def format_error(key: str, field: FormField, lang: str = "zh_CN") -> str:
    """The message for ``key`` in ``lang`` (zh_CN fallback), lengths filled in."""
    texts = FORM_MESSAGES.get(key, {})
    text = texts.get(lang) or texts.get("zh_CN") or key
    return text.format(min=field.min_length or 0, max=_max_length(field))


def id_check_digit(first17: str) -> str:
    """The GB 11643-1999 check character (ISO 7064 MOD 11-2) of 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def is_valid_id_number(value: str) -> bool:
    """An 18-character citizen ID number: known province, real birth date, right check.

    Also admits the 2023 foreigners' permanent-residence number, which begins with 9.
    """
    if not _ID.fullmatch(value):
        return False
    if int(value[:2]) not in _PROVINCES and value[0] != "9":
        return False
    if _date(value[6:10], value[10:12], value[12:14]) is None:
        return False
    return id_check_digit(value[:17]) == value[17]


def luhn_ok(digits: str) -> bool:
    """The Luhn (ISO/IEC 7812) check over a string of ASCII digits."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def money_to_fen(value: str) -> int:
    """A valid money answer (``"120.5"``) in fen (``12050``); ValueError if not valid."""
    match = _MONEY.fullmatch(value.strip())
    if match is None:
        raise ValueError("not an amount")
    whole, cents = match.group(1), (match.group(2) or "").ljust(2, "0")
    return int(whole) * 100 + int(cents)


def _max_length(field: FormField) -> int:
    return field.max_length or DEFAULT_MAX.get(field.kind, 64)


def _date(year: str, month: str, day: str) -> dt.date | None:
    try:
        date = dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
    return date if EARLIEST_YEAR <= date.year <= LATEST_YEAR else None


def _check_date(_field: FormField, v: str) -> str | None:
    match = _DATE.fullmatch(v)
    return None if match and _date(*match.groups()) else DATE


def _check_pattern(pattern: re.Pattern[str], key: str) -> Callable[[FormField, str], str | None]:
    return lambda _field, v: None if pattern.fullmatch(v) else key


_CHECKS: dict[FieldKind, Callable[[FormField, str], str | None]] = {
    FieldKind.TEXT: lambda _f, _v: None,
    FieldKind.ADDRESS: lambda _f, _v: None,
    FieldKind.DIGITS: _check_pattern(_ASCII_DIGITS, DIGITS),
    FieldKind.PHONE: _check_pattern(_PHONE, PHONE),
    FieldKind.ID_NUMBER: lambda _f, v: None if is_valid_id_number(v) else ID_NUMBER,
    FieldKind.DATE: _check_date,
    FieldKind.CHOICE: lambda f, v: None if v in f.choice_values() else CHOICE,
    FieldKind.MONEY: _check_pattern(_MONEY, MONEY),
    FieldKind.BANK_CARD: lambda _f, v: None if _CARD.fullmatch(v) and luhn_ok(v) else BANK_CARD,
}
