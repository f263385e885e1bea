"""Both backends on real symbols: every Chinese encoding exact, corners in order."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from pyzbar import pyzbar

from devices.qr import BACKENDS, open_backend, open_reader
from devices.qr.encode import ECI_GB18030, ECI_UTF8
from devices.qr.text import decode_segments

CASES = [  # (text, encoding, eci, what it pins)
    ("王芳", "utf-8", None, "short all-Chinese UTF-8 (ZBar guesses Shift-JIS)"),
    ("杨周", "utf-8", None, "short all-Chinese UTF-8 (ZBar guesses Shift-JIS)"),
    ("社会保障卡申领进度查询", "utf-8", None, "longer UTF-8"),
    ("王芳", "utf-8", ECI_UTF8, "UTF-8 with ECI 26"),
    ("医保缴费登记", "utf-8", ECI_UTF8, "UTF-8 with ECI 26"),
    ("王芳", "gbk", None, "GBK, no ECI (every one wrong in ZBar's own text)"),
    ("居民户口簿补办", "gbk", None, "GBK, no ECI"),
    ("王芳", "gb18030", ECI_GB18030, "GB18030 with ECI 32 (ZBar does not know it)"),
    ("https://zwfw.example.gov.cn/q/r?n=1", "utf-8", None, "ASCII URL"),
    ("a\\b\\000026c", "utf-8", ECI_UTF8, "backslashes inside an ECI payload"),
]


def texts(backend, image) -> list[str]:
    return [decode_segments(list(c.segments)).text for c in backend.read(image) if c.decoded]


@pytest.mark.parametrize("name", BACKENDS)
@pytest.mark.parametrize(("text", "encoding", "eci", "why"), CASES)
def test_every_chinese_payload_is_exact(name, clean, text, encoding, eci, why) -> None:
    backend = open_backend(name)
    assert texts(backend, clean(text, encoding=encoding, eci=eci)) == [text], why


def test_pyzbar_alone_gets_them_wrong(clean) -> None:
    """Why the ZBar backend sets binary mode: pyzbar's own text is wrong (research/perf.md)."""
    got = pyzbar.decode(clean("王芳"), symbols=[pyzbar.ZBarSymbol.QRCODE])[0].data.decode()
    assert got == "邇玖患"
    gbk = pyzbar.decode(clean("王芳", encoding="gbk"), symbols=[pyzbar.ZBarSymbol.QRCODE])
    assert gbk[0].data.decode("utf-8", "replace") != "王芳"


def test_zbar_binary_mode_is_on(zbar) -> None:
    assert zbar.binary_mode


@pytest.mark.parametrize("name", BACKENDS)
@pytest.mark.parametrize("turns", [0, 1, 2, 3])
def test_corners_follow_the_symbol_when_turned(name, clean, turns: int) -> None:
    img = clean("https://zwfw.example.gov.cn/q/r?n=2", module=6, pad=(40, 20))
    h, w = img.shape
    img = np.ascontiguousarray(np.rot90(img, -turns))  # clockwise quarter turns
    (code,) = open_backend(name).read(img)
    tl = code.position[0]
    # The symbol's own top-left finder: near the top-left of the unturned image, moved.
    start = np.array([40 + 24, 20 + 24], float)  # pad + quiet zone (4 modules x 6 px)
    for _ in range(turns):
        start = np.array([h - 1 - start[1], start[0]])
        h, w = w, h
    assert np.linalg.norm(tl - start) < 6


def test_zxing_reports_a_located_code_it_cannot_read(zxing, clean) -> None:
    img = clean("https://zwfw.example.gov.cn/q/r?n=3&s=abcdefabcdef", module=6).copy()
    h, w = img.shape
    img[h // 3 : 2 * h // 3, w // 3 : w - 30] = 255  # a sticker over the data region
    found = zxing.read(img)
    assert found and not any(c.decoded for c in found)
    assert found[0].segments == ()
    assert found[0].position.shape == (4, 2)


@pytest.mark.parametrize("name", BACKENDS)
def test_blank_and_tiny_images_give_nothing(name) -> None:
    backend = open_backend(name)
    assert backend.read(np.full((480, 640), 200, np.uint8)) == []
    assert backend.read(np.zeros((1, 1), np.uint8)) == []


def test_unknown_backend_is_refused() -> None:
    with pytest.raises(ValueError, match="zxing, zbar"):
        open_backend("opencv")


def test_bgr_frames_are_read_too(clean) -> None:
    bgr = cv2.cvtColor(clean("王芳"), cv2.COLOR_GRAY2BGR)
    assert [c.text for c in open_reader("zxing").read(bgr)] == ["王芳"]
