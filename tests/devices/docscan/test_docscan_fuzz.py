"""Property tests: whatever arrives, a page or a clear error, never a crash."""

from __future__ import annotations

import cv2
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from devices.docscan import CorruptImage, Problem, ScannedPage, decode_image, process_page

A4_SHAPES = {(2339, 1654), (1654, 2339)}

dtypes = st.sampled_from([np.uint8, np.uint16, np.float32, np.int16, np.bool_])
shapes = st.tuples(st.integers(0, 72), st.integers(0, 72)).flatmap(
    lambda hw: st.sampled_from([hw, (*hw, 1), (*hw, 2), (*hw, 3), (*hw, 4)])
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(arrays(dtypes, shapes))
def test_process_page_never_crashes_on_small_arrays(image: np.ndarray) -> None:
    try:
        page = process_page(image, dpi=72)
    except CorruptImage as exc:
        assert exc.detail  # says what was wrong
        return
    assert isinstance(page, ScannedPage)
    assert page.image.dtype == np.uint8
    assert page.image.shape[0] > 0 and page.image.shape[1] > 0
    assert set(page.problems) <= set(Problem)  # the codes test_docscan_quality pins


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(32, 300), st.integers(32, 300))
def test_process_page_on_random_noise_and_shapes(seed: int, w: int, h: int) -> None:
    rng = np.random.default_rng(seed)
    image = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
    cv2.rectangle(image, (w // 5, h // 5), (4 * w // 5, 4 * h // 5), (250, 250, 250), -1)
    page = process_page(image)
    assert page.image.ndim == 2
    if page.corners is not None:
        assert page.image.shape in A4_SHAPES
        assert np.isfinite(page.corners).all()


def _valid_jpeg() -> bytes:
    img = np.full((48, 64, 3), 200, np.uint8)
    cv2.putText(img, "AB", (5, 40), cv2.FONT_HERSHEY_SIMPLEX, 1.2, (0, 0, 0), 2)
    return cv2.imencode(".jpg", img)[1].tobytes()


JPEG = _valid_jpeg()


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, len(JPEG) - 1), st.integers(0, 255)), max_size=8),
    st.integers(1, len(JPEG)),
)
def test_decode_of_damaged_jpeg_is_an_image_or_corrupt_image(flips, keep: int) -> None:
    data = bytearray(JPEG[:keep])
    for pos, value in flips:
        if pos < len(data):
            data[pos] = value
    try:
        img = decode_image(bytes(data))
    except CorruptImage:
        return
    assert img.ndim == 3 and img.shape[2] == 3 and img.dtype == np.uint8


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2000))
def test_decode_of_random_bytes_never_crashes(data: bytes) -> None:
    try:
        img = decode_image(data)
    except CorruptImage:
        return
    assert img.dtype == np.uint8
