"""Robustness at the extremes: a 50 MP photo, zero-size images, a frame with no page."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from devices.docscan import CorruptImage, Problem, decode_image, process_page
from devices.docscan.synth import synth_photo


def test_a_50_megapixel_photo_gives_a_finished_page() -> None:
    shot = synth_photo(1, size=(2592, 1944))
    k = 8192 / 2592  # 8192 x 6144 = 50.3 MP, the same 4:3 view
    big = cv2.resize(shot.image, (8192, 6144), interpolation=cv2.INTER_LINEAR)
    ok, jpeg = cv2.imencode(".jpg", big, [cv2.IMWRITE_JPEG_QUALITY, 85])
    assert ok
    del big
    image = decode_image(jpeg.tobytes())
    assert image.shape == (6144, 8192, 3)
    page = process_page(image)
    assert page.problems == () and page.image.shape == (2339, 1654)
    expected = (shot.corners + 0.5) * k - 0.5
    assert page.corners is not None
    assert np.abs(page.corners - expected).max() < 2 * k  # the 5 MP accuracy, scaled up


@pytest.mark.parametrize(
    "shape", [(0, 0), (0, 0, 3), (0, 640, 3), (480, 0), (1, 1, 3), (31, 4000, 3)]
)
def test_zero_size_and_sliver_images_are_corrupt(shape: tuple[int, ...]) -> None:
    with pytest.raises(CorruptImage, match="cannot be a photo"):
        process_page(np.zeros(shape, np.uint8))


def test_a_frame_with_no_page_is_a_verdict_not_an_error() -> None:
    page = process_page(synth_photo(4, scenario="no_page", size=(1600, 1200)).image)
    assert page.problems == (Problem.NO_PAGE,) and page.corners is None
    assert page.method == "frame"
    flat = process_page(np.full((1200, 1600, 3), 128, np.uint8))  # a blank grey frame
    assert flat.problems == (Problem.NO_PAGE,)
