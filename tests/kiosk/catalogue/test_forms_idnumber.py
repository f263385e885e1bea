"""The GB 11643-1999 citizen ID number check, on synthetic numbers computed here."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.catalogue.forms import id_check_digit, is_valid_id_number


def _id(region: str, born: str, seq: str) -> str:
    body = region + born + seq
    return body + id_check_digit(body)


def _by_hand(body: str) -> str:
    """The check character straight from the standard: Σ aᵢ·2^(17-i) mod 11 → table."""
    total = sum(int(a) * pow(2, 17 - i, 11) for i, a in enumerate(body))
    return "10X98765432"[total % 11]


@pytest.mark.parametrize(
    "number",
    [
        "11010519491231002X",  # the standard's own example
        _id("331023", "19360615", "002"),  # an 高龄 applicant in a Zhejiang county
        _id("440305", "20000229", "123"),  # leap day
        _id("650102", "19900101", "999"),
        _id("810000", "19850707", "001"),  # Hong Kong residents' residence permit
        _id("933000", "19800101", "001"),  # foreigners' permanent residence (2023 form)
    ],
)
def test_valid_numbers_pass(number: str) -> None:
    assert is_valid_id_number(number)


@pytest.mark.parametrize(
    ("number", "why"),
    [
        ("110105194912310021", "wrong check character"),
        ("11010519491231002x", "lower-case x (normalize first)"),
        ("11010519491231002", "17 characters"),
        ("11010519491231002X1", "19 characters"),
        (_id("110105", "19490230", "002"), "30 February"),
        (_id("110105", "18991231", "002"), "born before 1900"),
        (_id("000000", "19490101", "002"), "no such province"),
        (_id("990000", "19490101", "002")[:-1] + "A", "letter other than X"),
        ("１１０１０５１９４９１２３１００２Ｘ", "full-width (normalize first)"),
        ("", "blank"),
    ],
)
def test_invalid_numbers_fail(number: str, why: str) -> None:
    assert not is_valid_id_number(number), why


@given(
    region=st.sampled_from(["110105", "331023", "440305", "510107", "620524"]),
    born=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)),
    seq=st.integers(min_value=0, max_value=999),
)
def test_any_well_formed_number_passes_and_any_other_check_fails(
    region: str, born: dt.date, seq: int
) -> None:
    body = f"{region}{born:%Y%m%d}{seq:03d}"
    check = id_check_digit(body)
    assert check == _by_hand(body)
    assert is_valid_id_number(body + check)
    for other in "0123456789X":
        if other != check:
            assert not is_valid_id_number(body + other)
