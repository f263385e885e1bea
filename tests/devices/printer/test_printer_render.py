"""Rendering a recorded stream to the picture of the paper."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image as PILImage
from pyzbar import pyzbar
from pyzbar.pyzbar import ZBarSymbol

from devices.printer import (
    QR,
    Barcode,
    Cut,
    DecodeError,
    Element,
    KeyValue,
    Separator,
    Text,
    encode,
)
from devices.printer import ops as o
from devices.printer.decode import decode
from devices.printer.profiles import get_profile, with_overrides
from devices.printer.raster import has_glyph
from devices.printer.render import render_ops, render_png, render_stream

PAYLOAD = "https://zwfw.example.gov.cn/progress?no=370102202405060000123"
DOC: list[Element] = [
    Text("受理回执", size=2, bold=True, align="center"),
    Separator(),
    KeyValue("办理事项", "城乡居民基本养老保险参保登记"),
    KeyValue("金额", "￥128.50（含税）"),
    QR(PAYLOAD, size=5),
    Barcode("AB12345"),
    Cut(),
]


def scan(image: PILImage.Image, symbol: ZBarSymbol) -> list[str]:
    return [found.data.decode() for found in pyzbar.decode(image, symbols=[symbol])]


@pytest.mark.parametrize(("profile", "width"), [("58mm", 384), ("80mm", 576), ("58mm-raster", 384)])
def test_png_has_the_paper_width_and_a_scannable_qr(profile: str, width: int) -> None:
    png = render_png(encode(DOC, profile), profile)
    image = PILImage.open(io.BytesIO(png))
    assert image.format == "PNG" and image.width == width
    assert scan(image, ZBarSymbol.QRCODE) == [PAYLOAD]


def test_barcode_is_redrawn_scannably() -> None:
    image = render_stream(encode([Barcode("AB12345"), Cut()], "80mm"), "80mm")
    assert scan(image, ZBarSymbol.CODE128) == ["AB12345"]


def test_text_is_drawn_where_the_printer_puts_it() -> None:
    ink = np.asarray(render_ops([o.Line("中" * 24)], "80mm")) < 128
    columns = np.flatnonzero(ink.any(axis=0))
    assert columns[0] < 4 and columns[-1] > 570  # 24 ideographs fill 576 dots
    centred = np.asarray(render_ops([o.Line("AB", align="center")], "80mm")) < 128
    cols = np.flatnonzero(centred.any(axis=0))
    assert cols[0] >= 270 and cols[-1] <= 306


def test_double_width_only_is_stretched() -> None:
    normal = np.asarray(render_ops([o.Line("AB")], "58mm")) < 128
    wide = np.asarray(render_ops([o.Line("AB", width=2)], "58mm")) < 128
    assert np.flatnonzero(wide.any(axis=0))[-1] > 1.7 * np.flatnonzero(normal.any(axis=0))[-1]


def test_every_character_of_the_sample_has_a_glyph() -> None:
    text = "受理回执办理事项城乡居民基本养老保险参保登记金额￥（含税），。：《》【】“”·"
    assert all(has_glyph(ch) for ch in text)
    assert not has_glyph("😀")


def test_malformed_stream_is_a_decode_error() -> None:
    with pytest.raises(DecodeError):
        render_stream(b"\x1b@\x1b\x99")


def test_status_queries_and_resets_take_no_paper() -> None:
    plain = render_ops([o.Line("x")], "58mm")
    noisy = render_ops([o.Reset(), o.StatusQuery(1), o.Line("x"), o.StatusQuery(4)], "58mm")
    assert plain.size == noisy.size


def test_absurdly_long_job_is_refused_not_drawn() -> None:
    with pytest.raises(ValueError, match="dots long"):
        render_stream(b"\x1bd\xff" * 20, "58mm")  # 20 x 255 lines of feed


@pytest.mark.parametrize("profile", ["58mm-raster", "80mm-raster", "80mm"])
def test_gs_l_margins_and_blank_padding_print_the_same_paper(profile: str) -> None:
    """The margin only saves bytes: the paper is identical, dot for dot."""
    doc = [*DOC[:-1], Text("居中 Center", align="center"), Text("靠右", align="right"), Cut()]
    with_margin = encode(doc, profile)
    padded_profile = with_overrides(get_profile(profile), {"left_margin": "0"})
    padded = encode(doc, padded_profile)
    assert len(with_margin) <= len(padded)
    a, b = render_stream(with_margin, profile), render_stream(padded, padded_profile)
    assert np.array_equal(np.asarray(a), np.asarray(b))


def test_text_after_a_margin_starts_at_the_margin() -> None:
    stream = b"\x1dL\x30\x00AB\n"  # GS L 48
    (line,) = decode(stream).printed()
    assert line == o.Line("AB", left=48)
    picture = np.asarray(render_ops([line], "58mm"))
    inked = np.flatnonzero((picture < 128).any(axis=0))
    assert 48 <= inked[0] < 48 + 12
