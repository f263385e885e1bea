"""Receipt printer benchmark: encode, send to the loopback printer, render.

A 30-line Chinese receipt with a QR code, in text mode (the printer's Chinese font) and
in raster mode (no Chinese font: text drawn with Noto CJK, GS v 0), on 58 and 80 mm.
Reports bytes per receipt, encode / send / render time (median of N runs) and the time
the bytes take on a serial wire at 9600 and 115200 baud (8N1: 10 bits a byte).
Targets (issue 5): encode + render under 50 ms; raster under 3 s at 115200 baud.

    .venv/bin/python bench/bench_printer.py [--runs 20]
"""

from __future__ import annotations

import argparse
import time
from urllib.parse import parse_qsl

from timing import median_ms

from devices.printer import (
    QR,
    Cut,
    Element,
    KeyValue,
    Separator,
    Text,
    encode,
    open_printer,
    raster,
)
from devices.printer.decode import decode
from devices.printer.profiles import PrinterProfile, get_profile, with_overrides
from devices.printer.render import render_stream

# (label, profile, device-URL overrides): the last row is a printer without GS L, whose
# raster images are placed by blank bytes, as python-escpos does.
PROFILES = (
    ("58mm", "58mm", ""),
    ("80mm", "80mm", ""),
    ("58mm-raster", "58mm-raster", ""),
    ("80mm-raster", "80mm-raster", ""),
    ("80mm-r noGSL", "80mm-raster", "left_margin=0"),
)


def receipt() -> list[Element]:
    """30 printed lines on 80 mm (a few more on 58 mm, where long values wrap)."""
    doc: list[Element] = [
        Text("受理回执", size=2, bold=True, align="center"),
        Text("历城区港沟街道神武村便民服务站", align="center"),
        Separator("="),
        KeyValue("办件编号", "370102202405060000123"),
        KeyValue("办理事项", "城乡居民基本养老保险参保登记"),
        KeyValue("事项编码", "370100-000-XK-0012"),
        KeyValue("申请人", "张**"),
        KeyValue("证件号码", "3701**********1234"),
        KeyValue("受理时间", "2024年5月6日 14:30"),
        KeyValue("承诺办结", "2024年5月13日"),
        Separator(),
        Text("已收材料：", bold=True),
    ]
    doc += [Text(f"{i}. 材料第{i}项（原件1份，复印件1份）") for i in range(1, 13)]
    doc += [
        Separator(),
        QR("https://zwfw.example.gov.cn/progress?no=370102202405060000123", size=6),
        Text("手机扫码查询办理进度", align="center"),
        Separator(),
        Text("工作人员将在承诺时限内办结，办结后短信通知您。"),
        Text("请妥善保管本回执。费用：￥0.00（免费）"),
        Cut(),
    ]
    return doc


def cold_ms(doc: list[Element], profile: PrinterProfile) -> float:
    """Encode + render with the glyph caches empty: the first receipt after start-up."""
    raster.glyph.cache_clear()
    raster.has_glyph.cache_clear()
    start = time.perf_counter()
    render_stream(encode(doc, profile), profile)
    return (time.perf_counter() - start) * 1000


def measure(label: str, name: str, overrides: str, runs: int) -> dict[str, float | int | str]:
    doc = receipt()
    profile = with_overrides(get_profile(name), dict(parse_qsl(overrides)))
    cold = cold_ms(doc, profile)
    data = encode(doc, profile)
    encoding = profile.encoding
    with open_printer(f"sim://printer?profile={name}&{overrides}") as printer:
        send_ms = median_ms(lambda: printer.print_job(data), max(runs // 4, 3))
        assert printer.print_job(data).printed
    return {
        "profile": label,
        "lines": len(decode(data, encoding).lines) + len(decode(data, encoding).rasters),
        "bytes": len(data),
        "encode_ms": median_ms(lambda: encode(doc, profile), runs),
        "render_ms": median_ms(lambda: render_stream(data, profile), runs),
        "send_ms": send_ms,
        "cold_ms": cold,
        "wire_9600_s": len(data) * 10 / 9600,
        "wire_115200_s": len(data) * 10 / 115200,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    encode(receipt(), "80mm-raster")  # warm font and glyph caches, as a running kiosk has
    rows = [measure(label, name, over, args.runs) for label, name, over in PROFILES]
    head = (
        f"{'profile':<12} {'ops':>4} {'bytes':>7} {'encode ms':>10} {'render ms':>10} "
        f"{'enc+rend':>9} {'cold':>6} {'send ms':>8} {'@9600 s':>8} {'@115200 s':>10}"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        both = float(r["encode_ms"]) + float(r["render_ms"])
        print(
            f"{r['profile']:<12} {r['lines']:>4} {r['bytes']:>7} {r['encode_ms']:>10.1f} "
            f"{r['render_ms']:>10.1f} {both:>9.1f} {r['cold_ms']:>6.1f} {r['send_ms']:>8.1f} "
            f"{r['wire_9600_s']:>8.2f} {r['wire_115200_s']:>10.2f}"
        )
    print("\nops = text lines + raster images in the decoded job; enc+rend = warm caches;")
    print("cold = encode + render with empty glyph caches; send = the simulator over TCP,")
    print("status queries before and after included; wire = bytes x 10 bits / baud.")


if __name__ == "__main__":
    main()
