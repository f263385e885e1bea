"""Real photographs of QR codes (tests/devices/qr/photos, sources in its SOURCES.md).

Regression (issue 19, "Real QR photographs"): on these the kiosk read fewer codes than
plain zxing-cpp: Shift_JIS codes came back as GB18030 mojibake, and light-on-dark codes
were not read at all. Stills are read without a time budget, so the counts do not depend
on the machine; bench/bench_qr.py measures them within the 24 ms budget too.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import zxingcpp

from devices.qr import QrReader, open_reader
from devices.qr.photos import Photo, labelled_photos

PHOTOS = {p.name: p for p in labelled_photos(Path(__file__).parent / "photos")}
SHIFT_JIS = [  # Japanese payloads without an ECI, half of them in half-width katakana
    "qrcode-2/10.png",
    "qrcode-2/16.webp",
    "qrcode-2/17.webp",
    "qrcode-2/18.webp",
    "qrcode-2/19.webp",
    "qrcode-2/20.webp",
    "qrcode-2/21.webp",
    "qrcode-2/24.webp",
    "qrcode-2/26.webp",
    "qrcode-2/27.webp",
    "qrcode-2/29.webp",
    "qrcode-2/31.webp",
]
LIGHT_ON_DARK = [
    "qrcode-2/qr-inv-1.webp",
    "qrcode-2/qr-inv-2.webp",
    "qrcode-2/#709.webp",  # a WeChat code of round dots: zxing-cpp reads it only inverted
]


@pytest.fixture(scope="module")
def reader() -> QrReader:
    return open_reader("zxing", budget_ms=None)


def read(reader: QrReader, photo: Photo) -> list[str]:
    reader.track.clear()  # each photograph on its own
    return [c.text for c in reader.read(photo.grey)]


def test_the_set_is_there() -> None:
    assert len(PHOTOS) == 119
    assert set(SHIFT_JIS + LIGHT_ON_DARK) <= set(PHOTOS)


@pytest.mark.parametrize("name", SHIFT_JIS)
def test_shift_jis_codes_come_back(reader: QrReader, name: str) -> None:
    photo = PHOTOS[name]
    assert photo.text in read(reader, photo)


@pytest.mark.parametrize("name", LIGHT_ON_DARK)
def test_light_on_dark_codes_are_read(reader: QrReader, name: str) -> None:
    photo = PHOTOS[name]
    reader.track.clear()
    codes = reader.read(photo.grey)
    assert [c.text for c in codes] == [photo.text]
    assert codes[0].found_by.startswith("invert:")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("qrcode-2/33.png", "\x01\x10AD:SUB:阿;;"),  # GBK, no ECI: zxing-cpp says "°¢"
        ("qrcode-2/30.png", "MECARD:N:測試;;"),  # UTF-8, no ECI
        ("qrcode-2/30a.webp", "MECARD:N:測試;;"),
    ],
)
def test_chinese_codes_come_back(reader: QrReader, name: str, text: str) -> None:
    assert PHOTOS[name].text == text
    assert read(reader, PHOTOS[name]) == [text]


def zxing_cpp_as_shipped(photo: Photo) -> list[str]:
    """What a plain zxing-cpp call returns: its defaults, QR codes, its own text."""
    found = zxingcpp.read_barcodes(
        photo.grey,
        formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode),
        text_mode=zxingcpp.TextMode.Plain,
    )
    return [b.text for b in found]


def test_every_code_plain_zxing_cpp_reads_is_read(reader: QrReader) -> None:
    theirs = {name for name, p in PHOTOS.items() if p.text in zxing_cpp_as_shipped(p)}
    ours = {name for name, p in PHOTOS.items() if p.text in read(reader, p)}
    assert sorted(theirs - ours) == []
    assert len(ours) > len(theirs)


@pytest.mark.parametrize("name", ["qrcode-2/28.webp", "qrcode-4/14.webp"])
def test_closer_looks_read_photos_the_library_call_cannot(reader: QrReader, name: str) -> None:
    # zxing-cpp 3.1.1 reads neither with its defaults, nor with ours (improve=False).
    photo = PHOTOS[name]
    assert open_reader("zxing", improve=False).read(photo.grey) == []
    reader.track.clear()
    codes = reader.read(photo.grey)
    assert [c.text for c in codes] == [photo.text]
    assert codes[0].found_by != "raw"
