"""Shared fixtures for the ID card reader tests: readers on simulated SAMs over ptys."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.devices import ReaderMaker


@pytest.fixture
def make_reader() -> Iterator[ReaderMaker]:
    maker = ReaderMaker()
    yield maker
    for reader in maker.readers:
        reader.close()
