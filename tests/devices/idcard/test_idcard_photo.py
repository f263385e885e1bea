"""WLT photo decoding through a vendor library loaded by path (ctypes).

No WLT decoder can ship with the project, so the tests build tiny stand-in libraries
with the vendor's C signature (``int unpack(char *wlt, char *out, int save_bmp)``) and
load them exactly as a real one would be loaded.
"""

from __future__ import annotations

import io
import logging
import pathlib
import subprocess
from collections.abc import Callable

import pytest
from PIL import Image

from devices.idcard import FIXTURES, IdCardReader, decode_photo
from devices.idcard.photo import PHOTO_HEIGHT, PHOTO_WIDTH, RAW_SIZE

RAW_DECODER = r"""
int unpack(char *src, char *dst, int save_bmp) {
    if (save_bmp != 0) return -2;               /* we must never ask for a file */
    if ((unsigned char)src[0] == 0xFF) return 0; /* "corrupt WLT" */
    for (int i = 0; i < 102 * 126 * 3; i++) dst[i] = (char)(src[i % 1024] ^ (i & 0x7F));
    return 1;
}
"""

BMP_DECODER = r"""
int unpack(char *src, char *dst, int save_bmp) {
    unsigned int size = 38862;
    dst[0] = 'B'; dst[1] = 'M';
    for (int i = 0; i < 4; i++) dst[2 + i] = (char)((size >> (8 * i)) & 0xFF);
    for (unsigned int i = 6; i < size; i++) dst[i] = (char)(i & 0xFF);
    return 1;
}
"""


def build(tmp_path: pathlib.Path, name: str, source: str) -> str:
    c_file, so_file = tmp_path / f"{name}.c", tmp_path / f"lib{name}.so"
    c_file.write_text(source)
    subprocess.run(
        ["gcc", "-shared", "-fPIC", "-O1", "-o", str(so_file), str(c_file)],
        check=True,
        capture_output=True,
    )
    return str(so_file)


def test_bare_pixels_are_wrapped_into_a_bmp(tmp_path: pathlib.Path) -> None:
    wlt = FIXTURES["elder"].photo_wlt
    bmp = decode_photo(wlt, build(tmp_path, "rawwlt", RAW_DECODER))
    assert bmp is not None
    image = Image.open(io.BytesIO(bmp))
    assert image.size == (PHOTO_WIDTH, PHOTO_HEIGHT) and image.mode == "RGB"
    raw = bytes(wlt[i % 1024] ^ (i & 0x7F) for i in range(RAW_SIZE))
    # BMP rows run bottom-up and pixels are BGR: raw[0:3] is the bottom-left pixel.
    assert image.getpixel((0, PHOTO_HEIGHT - 1)) == (raw[2], raw[1], raw[0])
    top_right = (PHOTO_HEIGHT - 1) * PHOTO_WIDTH * 3 + (PHOTO_WIDTH - 1) * 3
    assert image.getpixel((PHOTO_WIDTH - 1, 0)) == tuple(reversed(raw[top_right : top_right + 3]))


def test_a_decoder_that_returns_a_bmp_file_is_passed_through(tmp_path: pathlib.Path) -> None:
    bmp = decode_photo(bytes(1024), build(tmp_path, "bmpwlt", BMP_DECODER))
    assert bmp is not None and len(bmp) == 38862 and bmp[:2] == b"BM"


def test_the_reader_uses_its_configured_library(
    tmp_path: pathlib.Path, make_reader: Callable[..., IdCardReader]
) -> None:
    reader = make_reader("hmt")
    reader.wlt_library = build(tmp_path, "rawwlt", RAW_DECODER)
    record = reader.read_card()
    photo = reader.decode_photo(record)
    assert photo is not None and photo[:2] == b"BM"


@pytest.mark.parametrize(
    ("wlt", "library", "reason"),
    [
        (bytes(1024), None, "no WLT decoder library configured"),
        (bytes(1000), "unused", "1000 bytes, expected 1024"),
        (bytes(1024), "/nonexistent/libwlt.so", "cannot load WLT decoder"),
        (b"\xff" * 1024, "RAW", "decoder returned 0"),
        (bytes(1024), "NOSYMBOL", "has no function 'unpack'"),
    ],
)
def test_unavailable_photos_are_none_with_a_clear_reason(
    tmp_path: pathlib.Path,
    caplog: pytest.LogCaptureFixture,
    wlt: bytes,
    library: str | None,
    reason: str,
) -> None:
    if library == "RAW":
        library = build(tmp_path, "rawwlt", RAW_DECODER)
    elif library == "NOSYMBOL":
        library = build(tmp_path, "other", "int decode(void) { return 1; }\n")
    with caplog.at_level(logging.INFO, logger="devices.idcard.photo"):
        assert decode_photo(wlt, library) is None
    assert reason in caplog.text
    assert wlt[:16].hex() not in caplog.text
