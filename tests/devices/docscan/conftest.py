"""Synthetic photos are slow to render (~0.5 s at 5 MP): render each one once per run."""

from __future__ import annotations

import functools
from collections.abc import Callable

import pytest

from devices.docscan.synth import SynthPhoto, synth_photo

PhotoFactory = Callable[..., SynthPhoto]


@functools.lru_cache(maxsize=64)
def _photo(seed: int, scenario: str, landscape: bool, size: tuple[int, int]) -> SynthPhoto:
    photo = synth_photo(seed, scenario=scenario, landscape=landscape, size=size)
    photo.image.flags.writeable = False  # shared between tests: nobody may draw on it
    return photo


@pytest.fixture(scope="session")
def photo() -> PhotoFactory:
    """``photo(seed, scenario="ok", landscape=False, size=(2592, 1944))``, cached."""

    def make(
        seed: int = 0,
        scenario: str = "ok",
        *,
        landscape: bool = False,
        size: tuple[int, int] = (2592, 1944),
    ) -> SynthPhoto:
        return _photo(seed, scenario, landscape, size)

    return make
