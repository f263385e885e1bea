"""The test-code encoder writes the byte layouts real generators write."""

from __future__ import annotations

import numpy as np
import pytest
import zxingcpp

from devices.qr.encode import ECI_UTF8, qr_matrix


def hex_eci(image: np.ndarray) -> str:
    (code,) = zxingcpp.read_barcodes(
        image, formats=zxingcpp.BarcodeFormat.QRCode, text_mode=zxingcpp.TextMode.HexECI
    )
    return code.text


def test_eci_designator_is_in_the_symbol(clean) -> None:
    with_eci = hex_eci(clean("王芳", eci=ECI_UTF8))
    assert with_eci == "5D 51 32 5C 30 30 30 30 32 36 E7 8E 8B E8 8A B3"  # ]Q2\000026 王芳
    assert hex_eci(clean("王芳")) == "5D 51 31 E7 8E 8B E8 8A B3"  # ]Q1, no ECI
    assert hex_eci(clean("王芳", encoding="gbk")) == "5D 51 31 CD F5 B7 BC"


@pytest.mark.parametrize("eci", [3, 200, 20000])
def test_one_two_and_three_byte_designators(clean, eci: int) -> None:
    text = hex_eci(clean("abc", eci=eci))
    assert text.startswith("5D 51 32 5C " + " ".join(f"{ord(d):02X}" for d in f"{eci:06d}"))


def test_big_payloads_pick_a_big_version() -> None:
    small, big = qr_matrix("a", eci=ECI_UTF8), qr_matrix("王" * 300, eci=ECI_UTF8)
    assert small.shape == (21 + 8, 21 + 8)
    assert big.shape[0] > 100 and big.dtype == bool


def test_bad_options_are_refused() -> None:
    with pytest.raises(ValueError, match="error correction"):
        qr_matrix("a", ec="X")
    with pytest.raises(ValueError, match="ECI"):
        qr_matrix("a", eci=1_000_000)
    with pytest.raises(ValueError, match="do not fit"):
        qr_matrix(b"x" * 4000, eci=ECI_UTF8)
