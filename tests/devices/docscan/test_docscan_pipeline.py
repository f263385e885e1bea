"""The page pipeline on synthetic photos with known corners."""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np
import pytest

from devices.docscan import CorruptImage, Problem, process_page
from devices.docscan.geometry import order_corners, paper_size_px
from devices.docscan.synth import synth_photo

Photo = Callable[..., object]


def corner_errors(found: np.ndarray | None, truth: np.ndarray) -> np.ndarray:
    assert found is not None
    return np.linalg.norm(found - truth, axis=1)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_corners_match_ground_truth_to_sub_pixel(photo, seed: int) -> None:
    shot = photo(seed)
    page = process_page(shot.image)
    errors = corner_errors(page.corners, shot.corners)
    assert errors.mean() < 1.0, errors
    assert errors.max() < 2.0, errors


def test_corners_at_12_megapixels_within_two_pixels(photo) -> None:
    shot = photo(5, size=(4000, 3000))
    page = process_page(shot.image)
    assert corner_errors(page.corners, shot.corners).max() < 2.0
    assert page.problems == ()


def test_a4_at_200_dpi_is_1654_by_2339(photo) -> None:
    assert paper_size_px("A4", 200, landscape=False) == (1654, 2339)
    page = process_page(photo(0).image, dpi=200)
    assert page.image.shape == (2339, 1654)
    assert page.dpi == 200
    assert page.size_mm == pytest.approx((210.0, 297.0), abs=0.2)


def test_landscape_page_comes_out_landscape(photo) -> None:
    page = process_page(photo(3, landscape=True).image)
    assert page.image.shape == (1654, 2339)
    assert page.problems == ()


def test_dpi_scales_the_output(photo) -> None:
    page = process_page(photo(0).image, dpi=150)
    assert page.image.shape == (round(297 / 25.4 * 150), round(210 / 25.4 * 150))


def test_winning_strategy_is_reported(photo) -> None:
    assert process_page(photo(0).image).method in (
        "edges",
        "threshold",
        "edges+rect",
        "threshold+rect",
    )
    assert process_page(photo(0, "no_page").image).method == "frame"


def test_grey_page_is_white_paper_with_black_text(photo) -> None:
    """Shadow removal: the input paper varies by a quarter; the output paper is white."""
    shot = photo(1)
    page = process_page(shot.image)
    img = page.image
    assert img.dtype == np.uint8 and img.ndim == 2
    h, w = img.shape
    cells = [
        img[r * h // 4 : (r + 1) * h // 4, c * w // 3 : (c + 1) * w // 3]
        for r in range(4)
        for c in range(3)
    ]
    assert min(float(np.median(cell)) for cell in cells) >= 250  # paper, every region
    # Stroke contrast, a legibility proxy: the cores of strokes stay dark, and there
    # is as much ink as the page printed (a few per cent), not washed out.
    assert float(np.percentile(img, 0.5)) < 70
    assert 0.02 < float((img < 128).mean()) < 0.15


def test_input_paper_really_was_uneven(photo) -> None:
    """Guards the test above: the synthetic lighting is uneven to begin with."""
    shot = photo(1)
    grey = cv2.cvtColor(np.ascontiguousarray(shot.image), cv2.COLOR_BGR2GRAY)
    m = cv2.getPerspectiveTransform(
        shot.corners.astype(np.float32), np.float32([[0, 0], [99, 0], [99, 140], [0, 140]])
    )
    flat = cv2.warpPerspective(grey, m, (100, 141))
    paper = cv2.dilate(flat, np.ones((9, 9), np.uint8))[10:-10, 10:-10]
    assert paper.max() - paper.min() > 0.15 * paper.max()


def test_colour_mode_keeps_the_red_seal(photo) -> None:
    page = process_page(photo(0).image, mode="colour")
    assert page.image.shape == (2339, 1654, 3) and page.mode == "colour"
    b, g, r = (page.image[..., i].astype(int) for i in range(3))
    red = (r > 150) & (g < 110) & (b < 110)
    assert red.sum() > 2000
    assert process_page(photo(0).image, mode="grey").image.ndim == 2


def test_bw_mode_is_bitonal(photo) -> None:
    page = process_page(photo(0).image, mode="bw")
    assert set(np.unique(page.image)) <= {0, 255}
    assert 0.01 < float((page.image == 0).mean()) < 0.3


def test_american_spellings_are_accepted(photo) -> None:
    assert process_page(photo(0).image, mode="color").mode == "colour"
    assert process_page(photo(0).image, mode="gray").mode == "grey"


def test_no_page_keeps_the_whole_frame_in_its_own_shape(photo) -> None:
    page = process_page(photo(0, "no_page").image)
    assert page.problems == (Problem.NO_PAGE,)
    assert page.corners is None
    h, w = page.image.shape
    assert h == 1654 and w <= 2339  # fitted into A4 landscape
    assert abs(w / h - 2592 / 1944) < 0.01


def test_grey_and_bgra_and_uint16_inputs(photo) -> None:
    bgr = np.ascontiguousarray(photo(2, size=(1600, 1200)).image)
    grey = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    results = [
        process_page(grey),
        process_page(grey[..., None]),
        process_page(cv2.cvtColor(bgr, cv2.COLOR_BGR2BGRA)),
        process_page(bgr.astype(np.uint16) * 257),
    ]
    for page in results:
        assert page.corners is not None and page.image.shape == (2339, 1654)


def test_input_is_not_modified(photo) -> None:
    shot = photo(0)  # read-only: any write raises
    before = shot.image.copy()
    process_page(shot.image, mode="colour")
    assert np.array_equal(before, shot.image)


@pytest.mark.parametrize(
    "bad",
    [
        np.zeros((0, 0), np.uint8),
        np.zeros((10, 10, 3), np.uint8),
        np.zeros((100, 100, 2), np.uint8),
        np.zeros((100, 100), np.float32),
        np.zeros((4, 100, 100, 3), np.uint8),
    ],
)
def test_arrays_that_cannot_be_photos_raise_corrupt_image(bad: np.ndarray) -> None:
    with pytest.raises(CorruptImage) as info:
        process_page(bad)
    assert info.value.code == "corruptImage"
    assert isinstance(info.value, ValueError)


def test_bad_options_raise_value_error(photo) -> None:
    img = photo(0, size=(800, 600)).image
    for kwargs in ({"dpi": 10}, {"mode": "sepia"}, {"paper": "Letter"}):
        with pytest.raises(ValueError, match=next(iter(kwargs))):
            process_page(img, **kwargs)


def test_id_card_size_paper() -> None:
    """The issue asks for real proportions per material: an ID-1 card on the mat."""
    page = process_page(synth_photo(0, size=(1600, 1200)).image, paper="ID-1", dpi=300)
    assert paper_size_px("ID-1", 300, landscape=True) == (1011, 638)
    assert page.image.shape == (1011, 638)  # the page lies portrait


def test_order_corners_from_any_order() -> None:
    quad = np.array([[10.0, 0], [100, 5], [95, 150], [5, 140]])
    rng = np.random.default_rng(0)
    for _ in range(5):
        assert np.array_equal(order_corners(rng.permutation(quad)), quad)


def test_synthetic_photos_are_deterministic() -> None:
    a = synth_photo(7, size=(640, 480))
    b = synth_photo(7, size=(640, 480))
    assert np.array_equal(a.image, b.image) and np.array_equal(a.corners, b.corners)
    assert not np.array_equal(a.image, synth_photo(8, size=(640, 480)).image)
