"""Devices for tests, with the simulators on the other end of their wire."""

from __future__ import annotations

from typing import Any

from devices.idcard import IdCardReader, SamSimulator, Timeouts
from devices.transport import SerialTransport


class ReaderMaker:
    """``make_reader(card, scenario=…, timeouts=…)``: a real driver on a started simulator;
    ``make_reader.sim(reader)``: that reader's simulator (the card's side of the wire)."""

    def __init__(self) -> None:
        self.readers: list[IdCardReader] = []
        self._sims: dict[int, SamSimulator] = {}

    def __call__(
        self, card: Any = None, *, timeouts: Timeouts | None = None, retries: int = 1, **sim: Any
    ) -> IdCardReader:
        simulator = SamSimulator(card, **sim).start()
        port = simulator.port_path
        reader = IdCardReader(
            lambda: SerialTransport(port),
            timeouts=timeouts or Timeouts(),
            retries=retries,
            on_close=simulator.stop,
        )
        self.readers.append(reader)
        self._sims[id(reader)] = simulator
        return reader

    def sim(self, reader: IdCardReader) -> SamSimulator:
        return self._sims[id(reader)]
