"""Clean and camera-like QR images for the decoding tests."""

from __future__ import annotations

import numpy as np
import pytest

from devices.qr.encode import code_image, qr_matrix


def clean_code(
    text: str | bytes,
    *,
    encoding: str = "utf-8",
    eci: int | None = None,
    module: int = 5,
    pad: tuple[int, int] = (0, 0),
) -> np.ndarray:
    """A printed-looking code: black modules on white, ``module`` px, offset by ``pad``."""
    img = code_image(qr_matrix(text, encoding=encoding, eci=eci), module)
    return np.pad(img, ((pad[1], 0), (pad[0], 0)), constant_values=255)


@pytest.fixture(scope="session")
def zxing():
    from devices.qr.zxing import ZxingBackend

    return ZxingBackend()


@pytest.fixture(scope="session")
def zbar():
    from devices.qr.zbar import ZbarBackend

    return ZbarBackend()


@pytest.fixture(scope="session")
def clean():
    """``clean(text, encoding=..., eci=..., module=5, pad=(0, 0))``: a printed code."""
    return clean_code
