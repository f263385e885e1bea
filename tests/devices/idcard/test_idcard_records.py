"""The 256-byte text block: every card-type branch, refusals, checks and the typed record."""

from __future__ import annotations

import dataclasses as dc
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devices.idcard import FIXTURES, CardType, IdCardRecord, InvalidCardData, UnsupportedCard
from devices.idcard.cardtext import decode_text, encode_text
from devices.idcard.nations import NATION_CODES, nation, nation_roman, nation_short_name, sex
from devices.idcard.records import check_digit, is_valid_citizen_id, with_check_digit


def block(fields: dict[int, str], flag: str = " ") -> bytes:
    """A text block built by hand from published offsets, independent of encode_text."""
    buf = bytearray(" ".encode("utf-16-le") * 128)
    for offset, value in {**fields, 248: flag}.items():
        raw = value.encode("utf-16-le")
        buf[offset : offset + len(raw)] = raw
    return bytes(buf)


RESIDENT = {
    0: "王测试",
    30: "1",
    32: "03",
    36: "19491231",
    52: "测试省示例市测试路1号",
    122: "11010519491231002X",
    158: "示例市公安局",
    188: "20150101",
    204: "长期",
}


# -- GB 11643 ---------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["11010519491231002X", "440524188001010014"])
def test_published_example_numbers_pass_the_check(number: str) -> None:
    # Both examples are from GB 11643-1999 itself.
    assert is_valid_citizen_id(number)
    assert check_digit(number[:17]) == number[17]


@pytest.mark.parametrize(
    "number",
    [
        "110105194912310021",  # wrong check digit
        "11010519491331002X",  # month 13, check digit recomputed below
        "1101051949123100",  # too short
        "11010519491231002Y",
    ],
)
def test_bad_numbers_fail_the_check(number: str) -> None:
    if number.startswith("11010519491331"):
        number = with_check_digit(number[:17])
    assert not is_valid_citizen_id(number)


def test_check_digit_needs_17_digits() -> None:
    with pytest.raises(ValueError):
        check_digit("1234")


# -- card-type branches -----------------------------------------------------------------


def test_resident_block_from_the_published_offsets() -> None:
    record = decode_text(block(RESIDENT), photo=b"\x01" * 1024)
    assert record.card_type is CardType.RESIDENT
    assert record.name == "王测试"
    assert record.sex.code == "1" and record.sex.label == "男"
    assert record.nation is not None and (record.nation.code, record.nation.label) == ("03", "回族")
    assert record.birth == dt.date(1949, 12, 31)
    assert record.address == "测试省示例市测试路1号"
    assert record.id_number == "11010519491231002X"
    assert record.authority == "示例市公安局"
    assert record.valid_from == dt.date(2015, 1, 1)
    assert record.valid_until is None and record.long_term
    assert record.photo_wlt == b"\x01" * 1024
    assert record.extra == {}


def test_lowercase_x_and_nul_padding_are_accepted() -> None:
    text = bytearray(block({**RESIDENT, 122: "11010519491231002x"}))
    text[6:30] = bytes(24)  # NUL instead of space padding after the name
    record = decode_text(bytes(text))
    assert record.id_number == "11010519491231002X"
    assert record.name == "王测试"


def test_a_name_with_a_space_inside_keeps_it() -> None:
    # research §2.5: cutting at the first space is a known bug in public code
    record = decode_text(block({**RESIDENT, 0: "阿依 测试"}))
    assert record.name == "阿依 测试"


def test_foreigner_2017_block_from_the_published_offsets() -> None:
    fields = {
        0: "TEST SAMPLE ALICE",
        120: "2",
        122: "CAN310880101002",
        152: "CAN",
        158: "测试爱丽丝",
        188: "20190601",
        204: "20290601",
        220: "19880101",
        236: "01",
        240: "3100",
    }
    record = decode_text(block(fields, "I"))
    assert record.card_type is CardType.FOREIGN_PERMANENT
    assert record.name == "测试爱丽丝"
    assert record.sex.code == "2"
    assert record.nation is None
    assert record.birth == dt.date(1988, 1, 1)
    assert record.id_number == "CAN310880101002"
    assert record.authority == "3100"
    assert (record.valid_from, record.valid_until) == (dt.date(2019, 6, 1), dt.date(2029, 6, 1))
    assert record.extra == {
        "english_name": "TEST SAMPLE ALICE",
        "nationality": "CAN",
        "card_version": "01",
    }


def test_foreigner_without_a_chinese_name_uses_the_english_one() -> None:
    record = dc.replace(FIXTURES["foreigner"], name="TEST SAMPLE ALICE")
    text = encode_text(record)
    assert text[158:188] == " ".encode("utf-16-le") * 15
    assert decode_text(text, record.photo_wlt) == record


def test_hmt_permit_block_from_the_published_offsets() -> None:
    number = with_check_digit("81000019900701003")
    fields = {**RESIDENT, 32: "  ", 36: "19900701", 122: number, 204: "20290101"}
    record = decode_text(block({**fields, 220: "H12345678", 238: "01"}, "J"))
    assert record.card_type is CardType.HMT_PERMIT
    assert record.nation is None
    assert record.id_number == number
    assert record.valid_until == dt.date(2029, 1, 1)
    assert record.extra == {"pass_number": "H12345678", "issue_count": "01"}


@pytest.mark.parametrize(
    ("flag", "reason"),
    [("Y", "2023 foreigner"), ("Z", "unknown card-type flag"), ("\u4e00", "0x4E00")],
)
def test_unknown_card_types_are_refused_with_a_reason(flag: str, reason: str) -> None:
    with pytest.raises(UnsupportedCard, match=reason) as caught:
        decode_text(block(RESIDENT, flag))
    assert caught.value.code == "unsupportedCard"


# -- bad data ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({122: "110105194912310021"}, "GB 11643"),
        ({36: "19491230"}, "disagrees"),
        ({36: "1949123X"}, "birth is not a YYYYMMDD"),
        ({188: "20150230"}, "valid_from is not a real date"),
        ({32: "77"}, "nation code"),
        ({30: "5"}, "sex code"),
        ({0: "   "}, "name is empty"),
        ({204: "20100101"}, "ends before it starts"),
    ],
)
def test_bad_fields_are_invalid_and_the_message_leaks_nothing(
    change: dict[int, str], message: str
) -> None:
    with pytest.raises(InvalidCardData, match=message) as caught:
        decode_text(block({**RESIDENT, **change}))
    for secret in ("王测试", "11010519491231002X", "测试省", "1949"):
        assert secret not in str(caught.value)


def test_broken_ucs2_is_invalid() -> None:
    text = bytearray(block(RESIDENT))
    text[0:2] = b"\x00\xd8"  # a lone high surrogate
    with pytest.raises(InvalidCardData, match="UCS-2"):
        decode_text(bytes(text))


def test_a_block_of_the_wrong_size_is_invalid() -> None:
    with pytest.raises(InvalidCardData, match="255 bytes"):
        decode_text(block(RESIDENT)[:255])


def test_long_term_only_on_resident_cards() -> None:
    text = encode_text(FIXTURES["hmt"])
    long_term = text[:204] + "长期".encode("utf-16-le") + text[208:]
    with pytest.raises(InvalidCardData, match="valid_until"):
        decode_text(long_term)


def test_hmt_numbers_must_use_the_hmt_region_codes() -> None:
    record = dc.replace(FIXTURES["hmt"], id_number=FIXTURES["young"].id_number)
    record = dc.replace(record, birth=FIXTURES["young"].birth)
    with pytest.raises(InvalidCardData, match="81/82/83"):
        decode_text(encode_text(record))


def test_foreigner_number_and_nationality_are_checked() -> None:
    bad_number = dc.replace(FIXTURES["foreigner"], id_number="CAN-1")
    with pytest.raises(InvalidCardData, match="15 letters"):
        decode_text(encode_text(bad_number))
    extra = {**FIXTURES["foreigner"].extra, "nationality": "C1"}
    with pytest.raises(InvalidCardData, match="GB/T 2659"):
        decode_text(encode_text(dc.replace(FIXTURES["foreigner"], extra=extra)))


def test_encoding_a_field_that_does_not_fit_fails() -> None:
    with pytest.raises(ValueError, match="name is longer than 15"):
        encode_text(dc.replace(FIXTURES["elder"], name="测" * 16))


# -- record -----------------------------------------------------------------------------


def test_repr_shows_neither_name_nor_number_nor_address_nor_photo() -> None:
    record = FIXTURES["elder"]
    text = repr(record) + str(record)
    assert record.name not in text and record.address not in text
    assert record.id_number[:4] not in text and record.id_number[-4:] not in text
    assert record.photo_wlt[:8].hex() not in text and "photo" not in text


def test_age_and_validity() -> None:
    record = FIXTURES["longterm"]  # born 1960-02-29, long-term from 2010-03-01
    assert record.age_on(dt.date(2020, 2, 28)) == 59
    assert record.age_on(dt.date(2020, 2, 29)) == 60
    assert record.valid_on(dt.date(2090, 1, 1)) and not record.valid_on(dt.date(2010, 2, 28))
    assert not FIXTURES["expired"].valid_on(dt.date(2025, 1, 1))


def test_nation_table_is_complete() -> None:
    assert len(NATION_CODES) == 58
    assert NATION_CODES[:56] == tuple(f"{i:02d}" for i in range(1, 57))
    assert NATION_CODES[56:] == ("97", "98")
    assert nation("01").label == "汉族" and nation_short_name("01") == "汉"
    assert nation("56").label == "基诺族" and nation_roman("56") == "Jino"
    assert nation("98").label == "外国血统中国籍人士"
    assert [sex(c).label for c in "0129"] == ["未知的性别", "男", "女", "未说明的性别"]
    with pytest.raises(KeyError):
        nation("57")


# -- round trip -------------------------------------------------------------------------

cjk = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=1, max_size=15)
days = st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31))


@st.composite
def residents(draw: st.DrawFn) -> IdCardRecord:
    birth = draw(days)
    sequence = draw(st.integers(0, 999))
    number = with_check_digit(f"{draw(st.integers(110000, 659999))}{birth:%Y%m%d}{sequence:03d}")
    start = draw(days)
    until = draw(st.none() | st.dates(start, dt.date(2099, 12, 31)))
    return IdCardRecord(
        card_type=CardType.RESIDENT,
        name=draw(cjk),
        sex=sex(draw(st.sampled_from("0129"))),
        nation=nation(draw(st.sampled_from(NATION_CODES))),
        birth=birth,
        address=draw(
            st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), max_size=35)
        ),
        id_number=number,
        authority=draw(cjk),
        valid_from=start,
        valid_until=until,
        photo_wlt=draw(st.binary(min_size=1024, max_size=1024)),
    )


@given(residents())
def test_encode_then_decode_gives_the_record_back(record: IdCardRecord) -> None:
    text = encode_text(record)
    assert len(text) == 256
    assert decode_text(text, record.photo_wlt) == record


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_fixtures_round_trip_and_pass_every_check(name: str) -> None:
    record = FIXTURES[name]
    assert decode_text(encode_text(record), record.photo_wlt) == record
    assert "测试" in record.name
    assert len(record.photo_wlt) == 1024
