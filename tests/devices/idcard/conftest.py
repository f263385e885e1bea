"""Shared fixtures for the ID card reader tests: readers on simulated SAMs over ptys."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from devices.idcard import IdCardReader, SamSimulator, Timeouts
from devices.transport import SerialTransport


@pytest.fixture
def make_reader() -> Iterator[Callable[..., IdCardReader]]:
    """``make_reader(card, scenario=…, timeouts=…)``: a real driver on a started simulator."""
    readers: list[IdCardReader] = []

    def make(
        card: Any = None, *, timeouts: Timeouts | None = None, retries: int = 1, **sim: Any
    ) -> IdCardReader:
        simulator = SamSimulator(card, **sim).start()
        port = simulator.port_path
        reader = IdCardReader(
            lambda: SerialTransport(port),
            timeouts=timeouts or Timeouts(),
            retries=retries,
            simulator=simulator,
        )
        readers.append(reader)
        return reader

    yield make
    for reader in readers:
        reader.close()
