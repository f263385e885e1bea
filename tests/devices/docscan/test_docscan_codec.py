"""Image bytes in and out: hostile stills, JPEG pages and multi-page PDF."""

from __future__ import annotations

import io
import struct
import zlib

import cv2
import numpy as np
import pytest
from PIL import Image, PdfParser

from devices.docscan import CorruptImage, decode_image, encode_jpeg, encode_pdf, process_page
from devices.status import DeviceError, ProtocolError


def jpeg_bytes(image: np.ndarray, quality: int = 90) -> bytes:
    ok, buf = cv2.imencode(".jpg", np.ascontiguousarray(image), [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return buf.tobytes()


def png_header_only(width: int, height: int) -> bytes:
    """A valid PNG signature and IHDR claiming huge dimensions, with almost no data."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + crc

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\0" * 1000)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


@pytest.fixture(scope="module")
def still(photo) -> bytes:
    return jpeg_bytes(photo(0).image)


def test_decode_round_trip(photo, still: bytes) -> None:
    img = decode_image(still)
    assert img.shape == (1944, 2592, 3) and img.dtype == np.uint8
    assert np.abs(img.astype(int) - photo(0).image.astype(int)).mean() < 3


def test_decode_preview_is_small(still: bytes) -> None:
    img = decode_image(still, max_side=960)
    assert max(img.shape[:2]) == 960


def test_decode_png_and_exif_orientation() -> None:
    rgb = np.zeros((40, 60, 3), np.uint8)
    rgb[:, :30] = (255, 0, 0)  # left half red
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, "PNG")
    assert decode_image(buf.getvalue())[0, 0].tolist() == [0, 0, 255]  # BGR
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to display
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, "JPEG", exif=exif.tobytes(), quality=95)
    upright = decode_image(buf.getvalue())
    assert upright.shape == (60, 40, 3)
    assert upright[0, 20, 2] > 200 and upright[-1, 20, 2] < 60  # red on top after turning


@pytest.mark.parametrize(
    ("label", "make"),
    [
        ("zero bytes", lambda s: b""),
        ("random bytes", lambda s: np.random.default_rng(1).bytes(5000)),
        ("truncated JPEG", lambda s: s[: len(s) // 2]),
        ("JPEG missing its end", lambda s: s[:-2]),
        ("only a JPEG header", lambda s: s[:300]),
        ("a GIF", lambda s: b"GIF89a" + b"\0" * 100),
        ("PNG bomb 100k x 100k", lambda s: png_header_only(100_000, 100_000)),
        ("PNG over our limit", lambda s: png_header_only(9000, 8000)),
        ("PNG with no pixel data", lambda s: png_header_only(500, 500)),
    ],
)
def test_hostile_or_broken_data_gives_corrupt_image(still: bytes, label: str, make) -> None:
    with pytest.raises(CorruptImage) as info:
        decode_image(make(still))
    err = info.value
    assert err.code == "corruptImage" and err.detail
    assert isinstance(err, ProtocolError) and isinstance(err, DeviceError)


def test_decode_rejects_non_bytes() -> None:
    with pytest.raises(TypeError):
        decode_image("not bytes")  # type: ignore[arg-type]


def test_grey_jpeg_of_an_a4_page_is_small_and_one_channel(photo) -> None:
    page = process_page(photo(0).image)
    data = encode_jpeg(page)
    assert len(data) < 450_000
    with Image.open(io.BytesIO(data)) as im:
        assert im.mode == "L" and im.size == (1654, 2339)
        assert im.info["dpi"] == pytest.approx((200, 200))


def test_jpeg_quality_trades_size(photo) -> None:
    page = process_page(photo(0).image)
    assert len(encode_jpeg(page, quality=40)) < len(encode_jpeg(page, quality=75))


@pytest.fixture(scope="module")
def three_pages(photo) -> list:
    img = photo(0).image
    return [process_page(img, mode=m) for m in ("grey", "colour", "bw")]


def test_pdf_has_one_page_per_scan_at_a4_size(three_pages) -> None:
    data = encode_pdf(three_pages)
    assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
    pdf = PdfParser.PdfParser(buf=data)
    try:
        assert len(pdf.pages) == 3
        filters = []
        for ref in pdf.pages:
            page = pdf.read_indirect(ref)
            w_pt, h_pt = page[b"MediaBox"][2:]
            assert w_pt == pytest.approx(595.3, abs=0.5) and h_pt == pytest.approx(841.9, abs=0.5)
            image = pdf.read_indirect(page[b"Resources"][b"XObject"][b"Im0"])
            filters.append(image.dictionary[b"Filter"])
        assert filters == [b"DCTDecode", b"DCTDecode", b"CCITTFaxDecode"]
    finally:
        pdf.close()


def test_pdf_embeds_the_page_jpeg_unchanged(three_pages) -> None:
    assert encode_jpeg(three_pages[0]) in encode_pdf(three_pages[:1])


def test_bitonal_page_in_pdf_is_under_100_kb(three_pages) -> None:
    assert len(encode_pdf(three_pages[2:])) < 100_000


def test_pdf_is_deterministic(three_pages) -> None:
    assert encode_pdf(three_pages) == encode_pdf(three_pages)


def test_pdf_of_nothing_is_an_error() -> None:
    with pytest.raises(ValueError, match="at least one page"):
        encode_pdf([])
