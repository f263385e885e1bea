"""The quality gate: each fault is caught on its scenario and never on a clean page."""

from __future__ import annotations

import numpy as np
import pytest

from devices.docscan import Problem, process_page, quality

EXPECTED = {
    "blurry": {Problem.BLURRY},
    "dark": {Problem.TOO_DARK},
    "glare": {Problem.GLARE},
    "cutoff": {Problem.CUT_OFF},
    "tilted": {Problem.TILTED},
    "no_page": {Problem.NO_PAGE},
}


@pytest.mark.parametrize("scenario", sorted(EXPECTED))
@pytest.mark.parametrize("seed", [0, 1])
def test_each_problem_is_found_on_its_scenario_alone(photo, scenario: str, seed: int) -> None:
    page = process_page(photo(seed, scenario).image)
    assert set(page.problems) == EXPECTED[scenario]
    assert not page.ok


@pytest.mark.parametrize("landscape", [False, True])
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_clean_pages_have_no_problems(photo, seed: int, landscape: bool) -> None:
    page = process_page(photo(seed, landscape=landscape).image)
    assert page.problems == ()
    assert page.ok


def test_problem_codes_are_stable_strings() -> None:
    """The kiosk maps these to advice text and pictures; renaming one breaks that."""
    assert [str(p) for p in Problem] == [
        "no_page",
        "blurry",
        "too_dark",
        "glare",
        "cut_off",
        "tilted_too_much",
    ]


def test_cut_off_page_still_gives_a_full_size_page(photo) -> None:
    page = process_page(photo(1, "cutoff").image)
    assert page.corners is not None and page.image.shape == (2339, 1654)


def test_blank_page_is_not_called_blurry() -> None:
    """Nothing printed means nothing to judge sharpness on."""
    blank = np.full((2339, 1654), 255, np.uint8)
    assert quality.sharpness(blank, 200) is None
    assert not quality.is_blurry(blank, 200)


def test_rotation_and_keystone_limits() -> None:
    square = np.array([[0.0, 0], [100, 0], [100, 141], [0, 141]])
    assert not quality.is_tilted(square)
    a = np.radians(25)
    rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    assert quality.is_tilted(square @ rot.T)
    keystone = np.array([[20.0, 0], [80, 0], [100, 141], [0, 141]])
    assert quality.is_tilted(keystone)


def test_corner_on_the_frame_edge_is_cut_off() -> None:
    inside = np.array([[50.0, 50], [500, 50], [500, 700], [50, 700]])
    assert not quality.is_cut_off(inside, (800, 600))
    touching = inside.copy()
    touching[2] = [599.0, 700]
    assert quality.is_cut_off(touching, (800, 600))
