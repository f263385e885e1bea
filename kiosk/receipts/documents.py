"""The paper documents as lists of device primitives, independent of any printer.

Every personal field goes through :mod:`kiosk.masking` here, at one place, so no
document can print a full name, ID number or phone number.
"""

from __future__ import annotations

from devices.printer.document import (
    QR,
    Barcode,
    Cut,
    Element,
    Feed,
    KeyValue,
    Separator,
    Text,
)
from devices.printer.profiles import PrinterProfile, get_profile
from kiosk.masking import mask_id_number, mask_name, mask_phone
from kiosk.receipts.data import AcceptanceData, AppointmentData, NoticeData, NoticeMaterial
from kiosk.receipts.labels import Lang, fmt_date, fmt_datetime, labels


def _title(text: str) -> list[Element]:
    return [Text(text, size=2, bold=True, align="center"), Feed(1)]


def acceptance_receipt(r: AcceptanceData, lang: Lang = "zh_CN") -> list[Element]:
    """受理回执: the number, the matter, the masked applicant, the QR for progress."""
    t = labels(lang)
    sep = t["sep"]
    doc: list[Element] = [*_title(t["acceptance.title"]), Text(r.station_name, align="center")]
    doc.append(Separator("="))
    if r.tracking_number is not None:
        doc.append(KeyValue(t["tracking_number"], r.tracking_number, sep, bold=True))
    else:
        doc.append(KeyValue(t["provisional_number"], r.provisional_number or "", sep, bold=True))
        doc.append(Text(t["provisional_hint"]))
    doc += [
        Separator(),
        KeyValue(t["matter"], r.matter_name, sep),
        KeyValue(t["matter_code"], r.matter_code, sep),
        KeyValue(t["applicant"], mask_name(r.applicant_name), sep),
        KeyValue(t["id_number"], mask_id_number(r.applicant_id_number), sep),
        KeyValue(t["station"], r.station_name, sep),
        KeyValue(t["accepted_at"], fmt_datetime(r.accepted_at, lang), sep),
    ]
    if r.promised_date is not None:
        doc += _promised(r, t, lang)
    doc += [
        Separator(),
        QR(r.lookup_qr, size=6),
        Text(t["lookup"], align="center"),
        Separator(),
        Text(r.next_steps or t["next_steps"]),
        Cut(),
    ]
    return doc


def _promised(r: AcceptanceData, t: dict[str, str], lang: Lang) -> list[Element]:
    """承诺办结 as the platform set it, or 预计办结 with what the estimate rests on."""
    assert r.promised_date is not None
    date = fmt_date(r.promised_date, lang)
    if not r.promised_estimate:
        return [KeyValue(t["promised_date"], date, t["sep"])]
    lines: list[Element] = [KeyValue(t["promised_estimate"], date, t["sep"])]
    lines.append(Text(t["promised_estimate_note"]))
    if r.promised_weekends_only:
        lines.append(Text(t["weekends_only_note"]))
    return lines


def notice_sheet(n: NoticeData, lang: Lang = "zh_CN") -> list[Element]:
    """一次性告知单: every material with its state, what is missing, basis, deadlines."""
    t = labels(lang)
    sep = t["sep"]
    doc: list[Element] = [*_title(t["notice.title"])]
    doc += [
        KeyValue(t["matter"], n.matter_name, sep),
        KeyValue(t["matter_code"], n.matter_code, sep),
    ]
    if n.applicant_name:
        doc.append(KeyValue(t["applicant"], mask_name(n.applicant_name), sep))
    doc += [Separator(), Text(t["materials"], bold=True)]
    doc += [_material_line(i, m, t) for i, m in enumerate(n.materials, 1)]
    missing = n.missing
    summary = t["missing_summary"].format(n=len(missing)) if missing else t["complete_summary"]
    doc += [Text(summary, bold=True), Separator(), Text(t["legal_basis"], bold=True)]
    doc += [KeyValue("·", basis, " ") for basis in n.legal_basis]
    doc.append(Separator())
    if n.promised_days is not None:
        days = t["days"].format(n=n.promised_days)
        doc.append(KeyValue(t["promised_days"], days, sep))
    if n.supplement_by is not None:
        doc.append(KeyValue(t["supplement_by"], fmt_date(n.supplement_by, lang), sep))
    if n.fee:
        doc.append(KeyValue(t["fee"], n.fee, sep))
    doc += [
        KeyValue(t["station"], n.station_name, sep),
        KeyValue(t["issued_at"], fmt_datetime(n.issued_at, lang), sep),
    ]
    if n.lookup_qr:
        doc.append(QR(n.lookup_qr, size=5))
    doc += [Separator(), Text(t["notice.footer"]), Cut()]
    return doc


def _material_line(i: int, m: NoticeMaterial, t: dict[str, str]) -> Text:
    kind = t["required"] if m.required else t["optional"]
    state = t["provided"] if m.provided else t["missing"] if m.required else ""
    tags = f"【{kind}】" + (f"【{state}】" if state else "")
    note = f"（{m.note}）" if m.note else ""
    return Text(f"{i}. {m.name}{note}{tags}", bold=m.required and not m.provided)


def appointment_slip(a: AppointmentData, lang: Lang = "zh_CN") -> list[Element]:
    """预约凭条: number, matter, masked applicant, time slot, place, what to bring."""
    t = labels(lang)
    sep = t["sep"]
    slot = f"{fmt_datetime(a.slot_start, lang)}-{a.slot_end:%H:%M}"
    doc: list[Element] = [*_title(t["appointment.title"])]
    doc += [
        Text(t["appointment_number"], align="center"),
        Text(a.appointment_number, size=2, bold=True, align="center"),
        Separator(),
        KeyValue(t["matter"], a.matter_name, sep),
        KeyValue(t["matter_code"], a.matter_code, sep),
        KeyValue(t["applicant"], mask_name(a.applicant_name), sep),
    ]
    if a.applicant_phone:
        doc.append(KeyValue(t["phone"], mask_phone(a.applicant_phone), sep))
    doc += [KeyValue(t["slot"], slot, sep), KeyValue(t["station"], a.station_name, sep)]
    if a.window:
        doc.append(KeyValue(t["window"], a.window, sep))
    if a.bring:
        doc.append(
            KeyValue(t["bring"], "、".join(a.bring) if lang == "zh_CN" else ", ".join(a.bring), sep)
        )
    if a.lookup_qr:
        doc.append(QR(a.lookup_qr, size=5))
    doc += [
        Separator(),
        Text(t["appointment.footer"]),
        KeyValue(t["issued"], fmt_datetime(a.issued_at, lang), sep),
        Cut(),
    ]
    return doc


def test_page(profile: PrinterProfile | str = "80mm", lang: Lang = "zh_CN") -> list[Element]:
    """The technician's page: profile facts, a column ruler, every kind of output."""
    p = get_profile(profile)
    ruler = "".join(str(i % 10) for i in range(1, p.columns + 1))
    facts = [
        ("profile", p.name),
        ("width", f"{p.width_dots} dots / {p.columns} cols"),
        ("encoding", p.encoding),
        ("chinese font", "yes" if p.has_chinese_font else "no (raster)"),
        ("native QR", "yes" if p.native_qr else "no (raster)"),
        ("cut", p.cut),
        ("status", "DLE EOT" if p.can_report_status else "none"),
    ]
    doc: list[Element] = [*_title(labels(lang)["test.title"]), Text(ruler)]
    doc += [KeyValue(k, v, ": ") for k, v in facts]
    doc += [
        Separator(),
        Text("中文：受理回执，一次性告知单。"),
        Text("标点：，。、；：？！（）《》【】“”…—"),
        Text("金额：￥128.50 元（含税）"),
        Text("（100）：￥"),
        Text("Mixed 混排 ABC 123 中文 xyz"),
        Text("ASCII !\"#$%&'()*+,-./:;<=>?@[]^_`{|}~"),
        Text("加粗 Bold", bold=True),
        Text("居中 Center", align="center"),
        Text("靠右 Right", align="right"),
        Text("倍宽高 x2", size=2),
        Separator("="),
        QR(f"TEST-{p.name}", size=6),
        Barcode("TEST1234"),
        Cut(),
    ]
    return doc


test_page.__test__ = False  # type: ignore[attr-defined]  # not a pytest test, whatever its name
