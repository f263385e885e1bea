"""Golden bytes for the ESC/POS encoder: Chinese mode, punctuation, ￥, fallbacks, QR, cut."""

from __future__ import annotations

import escpos.constants as ec
import pytest
from escpos.printer import Dummy
from PIL import Image as PILImage
from pyzbar import pyzbar
from pyzbar.pyzbar import ZBarSymbol

from devices.printer import QR, Barcode, Cut, EncodeError, Feed, Image, KeyValue, Separator, Text
from devices.printer import protocol as p
from devices.printer.decode import decode
from devices.printer.encoder import encode
from devices.printer.ops import FeedDots, Line, PaperCut
from devices.printer.profiles import get_profile, with_overrides

INIT = bytes.fromhex("1b40")
ON, OFF, LF = bytes.fromhex("1c26"), bytes.fromhex("1c2e"), b"\n"


def chinese(hexbytes: str) -> bytes:
    return ON + bytes.fromhex(hexbytes) + OFF + LF


def test_chinese_text_is_sent_in_kanji_mode_as_gb18030() -> None:
    assert encode([Text("金额：100元")]) == INIT + chinese("bdf0 b6ee a3ba 313030 d4aa")


def test_full_width_punctuation_without_ideographs() -> None:
    # python-escpos MagicEncode sends these as code-page '?' (research/devices.md §4).
    assert encode([Text("，。：（）")]) == INIT + chinese("a3ac a1a3 a3ba a3a8 a3a9")


def test_mixed_string_without_ideographs() -> None:
    out = encode([Text("（100）：￥")])
    assert out == INIT + chinese("a3a8 313030 a3a9 a3ba a3a4")
    assert b"?" not in out


def test_half_width_yen_prints_as_full_width_yen() -> None:
    # U+00A5 has no GBK code; its GB18030 four-byte form prints as junk on GBK fonts.
    assert encode([Text("¥5")], "80mm-gbk") == INIT + chinese("a3a4 35")


def test_gb_symbols_that_cp437_gets_wrong() -> None:
    assert encode([Text("·〇")]) == INIT + chinese("a1a4 a996")


def test_pure_ascii_stays_out_of_kanji_mode() -> None:
    assert encode([Text("Total 100")]) == INIT + b"Total 100\n"


def test_gb18030_extension_a_is_text_on_gb18030_printers() -> None:
    assert encode([Text("㐀")], "80mm") == INIT + chinese("8139ee39")
    assert encode([Text("䶮")], "80mm") == INIT + chinese("fe9f")


def test_character_gbk_lacks_falls_back_to_raster() -> None:
    out = encode([Text("刘䶮")], "80mm-gbk")
    job = decode(out, "gbk")
    assert ON not in out
    assert job.lines == []
    assert len(job.rasters) == 1 and job.rasters[0].ink().any()


def test_character_gbk_lacks_is_a_clear_error_when_raster_is_off() -> None:
    with pytest.raises(EncodeError, match="U\\+4DAE") as info:
        encode([Text("刘䶮")], "80mm-gbk", unencodable="error")
    assert "刘" not in str(info.value)  # the message names code points, not the text
    assert info.value.code == "unprintable"


def test_four_byte_non_ideograph_is_not_sent_as_text() -> None:
    job = decode(encode([Text("•")], "80mm"))
    assert job.lines == [] and len(job.rasters) == 1


def test_character_no_font_can_draw_is_an_error_not_tofu() -> None:
    for policy in ("raster", "error"):
        with pytest.raises(EncodeError, match="U\\+1F600"):
            encode([Text("好😀")], "80mm", unencodable=policy)  # type: ignore[arg-type]


def test_control_characters_cannot_inject_commands() -> None:
    with pytest.raises(EncodeError, match="U\\+001B"):
        encode([Text("name\x1bd\x09")])
    with pytest.raises(EncodeError):
        encode([KeyValue("a", "b\x00")])


def test_style_commands_only_when_the_mode_changes() -> None:
    out = encode([Text("受理", size=2, bold=True, align="center"), Text("AB", size=2)])
    style = bytes.fromhex("1b6101 1d2111 1b4501")
    back = bytes.fromhex("1b6100 1b4500")
    assert out == INIT + style + chinese("cadc c0ed") + back + b"AB\n"


def test_separator_and_key_value_fill_the_profile_width() -> None:
    assert encode([Separator()], "58mm") == INIT + b"-" * 32 + LF
    assert encode([Separator("=")], "80mm") == INIT + b"=" * 48 + LF
    assert encode([KeyValue("No", "12")], "58mm") == INIT + chinese("4e6f a3ba 3132")


@pytest.mark.parametrize(
    ("profile", "mode", "tail"),
    [
        ("80mm", None, "1b6404 1d5601"),
        ("80mm", "full", "1b6404 1d5600"),
        ("58mm", "partial", "1b6404 1d5601"),
        ("80mm-basic", None, "1b6404"),  # no cutter: feed to the tear bar only
    ],
)
def test_cut_per_profile(profile: str, mode: str | None, tail: str) -> None:
    assert encode([Cut(mode)], profile) == INIT + bytes.fromhex(tail)  # type: ignore[arg-type]


def test_feed() -> None:
    assert encode([Feed(3), Feed(0)]) == INIT + bytes.fromhex("1b6403")


def test_native_qr_matches_python_escpos() -> None:
    dummy = Dummy()
    dummy.qr("https://zwfw.example.gov.cn/q?n=1", native=True, size=6, ec=ec.QR_ECLEVEL_M)
    quiet = bytes.fromhex("1b4a0c")
    out = encode([QR("https://zwfw.example.gov.cn/q?n=1", size=6, ec="M")])
    assert out == INIT + quiet + bytes.fromhex("1b6101") + dummy.output + quiet


def test_native_qr_golden_bytes() -> None:
    assert p.qr_native(b"AB", 4, "L") == bytes.fromhex(
        "1d286b0400 3141 3200 1d286b0300 3143 04 1d286b0300 3145 30"
        "1d286b0500 3150 30 4142 1d286b0300 3151 30"
    )


def test_qr_raster_fallback_scans() -> None:
    payload = "https://zwfw.example.gov.cn/progress?no=370102"
    job = decode(encode([QR(payload, size=4)], "58mm-raster"))
    assert job.qr_payloads == []
    (image,) = job.rasters
    assert image.width_bytes <= 384 // 8
    picture = PILImage.fromarray(~image.ink()).convert("L")
    framed = PILImage.new("L", (picture.width + 80, picture.height + 80), 255)
    framed.paste(picture, (40, 40))
    found = pyzbar.decode(framed, symbols=[ZBarSymbol.QRCODE])
    assert [f.data.decode() for f in found] == [payload]


def test_qr_too_big_for_the_paper_shrinks_and_too_long_is_refused() -> None:
    long = "x" * 600
    job = decode(encode([QR(long, size=16)], "58mm"))
    assert job.ops[-2].module < 16  # type: ignore[union-attr]
    with pytest.raises(EncodeError, match="too long"):
        encode([QR("x" * 2900, size=1, ec="H")], "58mm")


def test_barcode_code128_bytes() -> None:
    assert encode([Barcode("AB12")]) == INIT + bytes.fromhex(
        "1b6101 1d6840 1d7702 1d4802 1d6b49 06 7b42 41423132"
    )


def test_image_is_scaled_to_the_paper_and_dithered() -> None:
    logo = PILImage.new("RGB", (1000, 100), "black")
    (image,) = decode(encode([Image(logo)], "80mm")).rasters
    assert image.width_bytes == 72 and image.height == 58
    assert image.ink().all()


def test_image_is_centred_by_a_left_margin_not_by_blank_bytes() -> None:
    logo = PILImage.new("L", (64, 8), 0)
    out = encode([Image(logo)], "58mm")
    assert p.left_margin(160) in out  # GS L 160: (384 - 64) / 2
    (image,) = decode(out).rasters
    assert (image.left, image.width_bytes) == (160, 8) and image.ink().all()
    assert decode(out + b"A\n").ops[-1] == Line("A", left=160)  # what the decoder keeps


def test_image_left_padding_centres_it_on_a_printer_without_gs_l() -> None:
    logo = PILImage.new("L", (64, 8), 0)
    profile = with_overrides(get_profile("58mm"), {"left_margin": "0"})
    out = encode([Image(logo)], profile)
    assert b"\x1dL" not in out
    (image,) = decode(out).rasters
    ink = image.ink()
    assert image.left == 0 and not ink[:, :160].any() and ink[:, 160:224].all()


def test_margin_is_reset_before_text_and_at_the_cut() -> None:
    out = encode([QR("X" * 10), Text("after"), QR("Y" * 10), Cut()], "58mm-raster")
    job = decode(out)
    assert job.ops[-1] == PaperCut("partial")
    (line,) = [op for op in job.ops if isinstance(op, Line)]
    assert (line.text, line.left) == ("after", 0)
    assert out.rindex(p.left_margin(0)) > out.rindex(b"\x1dv0")


def test_raster_text_line_is_cropped_and_spaced_by_feeds() -> None:
    job = decode(encode([Text("中文")], "58mm-raster"))
    (image,) = job.rasters
    assert image.width_bytes <= 6  # two 24-dot glyphs, not the whole 48-byte line
    fed = sum(op.dots for op in job.ops if isinstance(op, FeedDots))
    assert fed + image.height == 30  # one line pitch of the profile


def test_our_constants_agree_with_python_escpos() -> None:
    assert p.INIT == ec.HW_INIT
    assert p.CUT == {"full": ec.PAPER_FULL_CUT, "partial": ec.PAPER_PART_CUT}
    assert ec.TXT_STYLE["bold"] == p.BOLD
    assert ec.TXT_STYLE["align"] == p.ALIGN
    assert p.STATUS_QUERY[1] == ec.RT_STATUS_ONLINE
    assert p.STATUS_QUERY[4] == ec.RT_STATUS_PAPER
    assert p.char_size(2, 2) == ec.TXT_SIZE + bytes([ec.TXT_STYLE["width"][2] | 1])


def test_bad_primitives_are_refused() -> None:
    with pytest.raises(ValueError):
        Text("x", size=9)
    with pytest.raises(ValueError):
        QR("")
    with pytest.raises(ValueError):
        Barcode("123", kind="EAN13")
    with pytest.raises(TypeError):
        encode(["not an element"])  # type: ignore[list-item]
