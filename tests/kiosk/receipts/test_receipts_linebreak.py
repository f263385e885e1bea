"""Chinese line breaking (禁则) on paper: every document the kiosk prints, for every
matter of the shipped catalogue, on 58 and 80 mm, read back from the printed bytes.

Issue 19, item 3: receipts and notices broke lines anywhere a column ran out; the
notice sheet printed "申请人居民身份证【必交】【" with "缺】" on the next line, and the
legal basis put "》" at the start of a line.
"""

from __future__ import annotations

import datetime as dt

import pytest

from config import CATALOGUE_FILE
from devices.printer import Element, KeyValue, Text, decode, encode, get_profile
from kiosk import receipts
from kiosk.catalogue.loader import load_catalogue
from kiosk.guide import guide_sections
from kiosk.receipts.certificate import complaint_slip, guide_sheet
from tests.support.linebreak import break_faults

CATALOGUE = load_catalogue(CATALOGUE_FILE)
PROFILES = ["58mm", "80mm"]
WHEN = dt.datetime(2026, 12, 7, 9, 30)
STATION = "演示县东湖镇东湖村便民服务站"


def paper_lines(element: Element, profile: str) -> list[str]:
    """The lines one element prints as, decoded from the bytes the printer gets."""
    return decode(encode([element], profile), get_profile(profile).encoding).lines


def faults(doc: list[Element], profile: str) -> list[str]:
    """Every forbidden break in a document (each paragraph on its own: a paragraph may
    start with anything, a bullet "·" or an opening bracket)."""
    found = []
    for element in doc:
        if isinstance(element, Text | KeyValue):
            found += break_faults(paper_lines(element, profile))
    return found


def documents(matter) -> dict[str, list[Element]]:  # type: ignore[no-untyped-def]
    """Each paper document the kiosk prints, for ``matter``."""
    name = matter.name.get("zh_CN")
    materials = [
        receipts.NoticeMaterial(
            name=m.name.get("zh_CN"),
            required=m.required,
            provided=i % 2 == 0,
            note=m.note.get("zh_CN") if m.note else "",
        )
        for i, m in enumerate(matter.materials)
    ]
    return {
        "notice": receipts.notice_sheet(
            receipts.NoticeData(
                matter_name=name,
                matter_code=matter.code,
                materials=materials,
                legal_basis=[matter.legal_basis.get("zh_CN")],
                station_name=STATION,
                issued_at=WHEN,
                promised_days=matter.promised_days,
                supplement_by=WHEN.date(),
                fee="不收费",
            )
        ),
        "receipt": receipts.acceptance_receipt(
            receipts.AcceptanceData(
                matter_name=name,
                matter_code=matter.code,
                applicant_name="测试甲",
                applicant_id_number="110101194501011236",
                station_name=STATION,
                accepted_at=WHEN,
                lookup_qr="https://zwfw.example.gov.cn/progress?no=KS-1",
                provisional_number="KS-20261207-000001",
                promised_date=WHEN.date(),
                promised_estimate=True,
            )
        ),
        "slip": receipts.appointment_slip(
            receipts.AppointmentData(
                appointment_number="A-023",
                matter_name=name,
                matter_code=matter.code,
                applicant_name="测试甲",
                station_name=STATION,
                slot_start=WHEN,
                slot_end=WHEN + dt.timedelta(minutes=30),
                issued_at=WHEN,
                bring=[m.name for m in materials],
            )
        ),
        "guide": guide_sheet(
            title=name,
            sections=guide_sections(matter),
            mobile_url="https://zwfw.example.gov.cn/m",
            station_name=STATION,
            printed_at=WHEN,
        ),
        "complaint": complaint_slip(
            reference="TS-0001-20261207-0001",
            remote_id=None,
            category=name,
            station_name=STATION,
            filed_at=WHEN,
        ),
    }


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("matter", CATALOGUE.matters, ids=lambda m: m.code)
def test_no_printed_line_breaks_against_the_rules(matter, profile: str) -> None:  # type: ignore[no-untyped-def]
    found = {kind: faults(doc, profile) for kind, doc in documents(matter).items()}
    assert {kind: f for kind, f in found.items() if f} == {}


def test_a_material_tag_stays_whole_on_58mm() -> None:
    line = Text("1. 申请人居民身份证【必交】【缺】", bold=True)
    assert paper_lines(line, "58mm") == ["1. 申请人居民身份证【必交】", "【缺】"]


def test_the_legal_basis_keeps_its_title_marks_on_58mm() -> None:
    basis = KeyValue("·", "《中华人民共和国社会保险法》；《社会保险费征缴暂行条例》", " ")
    lines = paper_lines(basis, "58mm")
    assert lines == ["· 《中华人民共和国社会保险", "   法》；《社会保险费征缴暂行条", "   例》"]


def test_an_amount_keeps_its_sign_and_a_sentence_its_full_stop() -> None:
    lines = paper_lines(Text("本事项需缴纳工本费，金额：￥128.50元。请当场扫码缴费。"), "58mm")
    assert lines == ["本事项需缴纳工本费，金额：", "￥128.50元。请当场扫码缴费。"]
    lines = paper_lines(Text("工作人员将在15个工作日内处理并回复。查询请拨打12345。"), "58mm")
    assert break_faults(lines) == [] and "12345。" in lines[-1]
