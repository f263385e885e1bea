"""The paper documents, printed through the real encoder and read back by the decoder."""

from __future__ import annotations

import dataclasses as dc
import datetime as dt

import pytest

from devices.printer import QR, Cut, decode, encode, get_profile
from devices.printer.layout import text_cols
from kiosk.receipts import (
    AppointmentData,
    NoticeData,
    NoticeMaterial,
    acceptance_receipt,
    appointment_slip,
    notice_sheet,
    sample_acceptance,
    test_page,
)

NAME, ID_NUMBER, PHONE = "张三丰", "370102199001011234", "13812345678"


def printed(doc: list, profile: str = "80mm") -> tuple[bytes, list[str]]:
    stream = encode(doc, profile)
    return stream, decode(stream, get_profile(profile).encoding).lines


def assert_no_personal_data(stream: bytes) -> None:
    for secret in (NAME, ID_NUMBER, PHONE, "三丰"):
        assert secret.encode("gb18030") not in stream
        assert secret.encode("ascii", errors="ignore") not in stream or not secret.isascii()


@pytest.mark.parametrize("profile", ["58mm", "80mm"])
def test_acceptance_receipt_content(profile: str) -> None:
    stream, lines = printed(acceptance_receipt(sample_acceptance()), profile)
    text = "".join(lines).replace(" ", "")
    assert lines[0] == "受理回执"
    for expected in (
        "办件编号：370102202405060000123",
        "办理事项：城乡居民基本养老保险参保登记",
        "事项编码：370100-000-XK-0012",
        "申请人：张**",
        "证件号码：3701**********1234",
        "受理时间：2024年5月6日14:30",
        "承诺办结：2024年5月13日",
        "手机扫码查询办理进度",
    ):
        assert expected in text
    assert decode(stream).qr_payloads == [sample_acceptance().lookup_qr]
    assert decode(stream).cuts == ["partial"]
    assert all(text_cols(line) <= get_profile(profile).columns for line in lines)
    assert_no_personal_data(stream)


def test_offline_receipt_says_provisional_number() -> None:
    _, lines = printed(acceptance_receipt(sample_acceptance(provisional=True)))
    text = "".join(lines)
    assert "临时编号：KS-20240506-000123" in text
    assert "办件编号" not in text.split("临时编号")[0]
    assert "换发正式办件编号" in text


def test_acceptance_receipt_in_english() -> None:
    _, lines = printed(acceptance_receipt(sample_acceptance(), lang="en"))
    assert lines[0] == "Acceptance Receipt"
    assert any(line.startswith("Case no.: 370102") for line in lines)
    assert any("2024-05-06 14:30" in line for line in lines)


def test_acceptance_needs_exactly_one_number() -> None:
    base = sample_acceptance()
    with pytest.raises(ValueError, match="exactly one"):
        dc.replace(base, provisional_number="KS-1")
    with pytest.raises(ValueError, match="exactly one"):
        dc.replace(base, tracking_number=None)
    with pytest.raises(ValueError, match="QR"):
        dc.replace(base, lookup_qr="")


def test_records_keep_personal_data_out_of_repr() -> None:
    shown = repr(sample_acceptance())
    assert NAME not in shown and ID_NUMBER not in shown
    assert "城乡居民" in shown


NOTICE = NoticeData(
    matter_name="城乡居民基本养老保险参保登记",
    matter_code="370100-000-XK-0012",
    materials=[
        NoticeMaterial("居民身份证", provided=True),
        NoticeMaterial("户口簿"),
        NoticeMaterial("银行卡或存折", required=False),
        NoticeMaterial("一寸免冠照片", note="白底，2张"),
    ],
    legal_basis=["《中华人民共和国社会保险法》第二十条"],
    station_name="神武村便民服务站",
    issued_at=dt.datetime(2024, 5, 6, 9, 5),
    promised_days=5,
    supplement_by=dt.date(2024, 5, 20),
    fee="不收费",
    applicant_name=NAME,
)


def test_notice_sheet_lists_every_material_and_what_is_missing() -> None:
    stream, lines = printed(notice_sheet(NOTICE), "58mm")
    text = "".join(lines).replace(" ", "")
    assert lines[0] == "一次性告知单"
    assert "1.居民身份证【必交】【已交】" in text
    assert "2.户口簿【必交】【缺】" in text
    assert "3.银行卡或存折【选交】" in text and "存折【选交】【" not in text
    assert "4.一寸免冠照片（白底，2张）【必交】【缺】" in text
    assert "尚缺2项必交材料" in text
    assert "《中华人民共和国社会保险法》第二十条" in text
    assert "办结时限：5个工作日" in text and "补齐期限：2024年5月20日" in text
    assert "申请人：张**" in text
    assert_no_personal_data(stream)
    assert [m.name for m in NOTICE.missing] == ["户口簿", "一寸免冠照片"]


def test_notice_sheet_when_complete() -> None:
    complete = dc.replace(NOTICE, materials=[NoticeMaterial("居民身份证", provided=True)])
    _, lines = printed(notice_sheet(complete))
    assert "材料齐全，可以办理。" in lines


APPOINTMENT = AppointmentData(
    appointment_number="A-023",
    matter_name="城乡居民基本养老保险参保登记",
    matter_code="370100-000-XK-0012",
    applicant_name=NAME,
    applicant_phone=PHONE,
    station_name="港沟街道便民服务中心",
    slot_start=dt.datetime(2024, 5, 8, 9, 0),
    slot_end=dt.datetime(2024, 5, 8, 9, 30),
    issued_at=dt.datetime(2024, 5, 6, 10, 0),
    window="3号窗口",
    bring=["居民身份证", "户口簿"],
    lookup_qr="https://zwfw.example.gov.cn/appt?no=A-023",
)


def test_appointment_slip() -> None:
    stream, lines = printed(appointment_slip(APPOINTMENT), "58mm")
    text = "".join(lines).replace(" ", "")
    assert lines[0] == "预约凭条" and "A-023" in lines
    assert "联系电话：138****5678" in text
    assert "预约时间：2024年5月8日09:00-09:30" in text
    assert "请携带：居民身份证、户口簿" in text
    assert decode(stream).qr_payloads == [APPOINTMENT.lookup_qr]
    assert_no_personal_data(stream)


def test_appointment_slot_must_be_forward() -> None:
    with pytest.raises(ValueError, match="end after"):
        dc.replace(APPOINTMENT, slot_end=APPOINTMENT.slot_start)


@pytest.mark.parametrize("profile", ["58mm", "80mm", "58mm-gbk", "80mm-raster", "58mm-basic"])
def test_test_page_prints_on_every_profile(profile: str) -> None:
    doc = test_page(profile)
    prof = get_profile(profile)
    job = decode(encode(doc, prof), prof.encoding)
    assert isinstance(doc[-1], Cut)
    assert any(isinstance(el, QR) for el in doc)
    assert "".join(str(i % 10) for i in range(1, prof.columns + 1)) in job.lines
    assert any(line.startswith(f"profile: {profile}") for line in job.lines)
    if prof.has_chinese_font:
        assert "（100）：￥" in job.lines
    else:
        assert job.rasters  # the Chinese went as pictures


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="language"):
        acceptance_receipt(sample_acceptance(), lang="fr")  # type: ignore[arg-type]
