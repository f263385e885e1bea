"""Usage tests: the shipped catalogue, a recorder on its own store with a wall clock and
a monotonic clock the test moves, and a session manager it observes (no Kivy)."""

from __future__ import annotations

import dataclasses as dc
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from config import CATALOGUE_FILE
from kiosk.catalogue import Catalogue, load_catalogue
from kiosk.session import SessionManager
from kiosk.usage import UsageRecorder, UsageStore
from tests.support import FakeClock
from tests.support.kiosk import session_manager
from tests.support.usage import CST, WallClock

NOW = dt.datetime(2026, 1, 5, 9, 10, tzinfo=CST)  # a Monday, 09:10


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue(CATALOGUE_FILE)


@dc.dataclass
class Kiosk:
    recorder: UsageRecorder
    sessions: SessionManager
    wall: WallClock
    clock: FakeClock
    voice: list[bool]

    def docs(self) -> list[dict]:  # type: ignore[type-arg]
        return self.recorder.preview()


@pytest.fixture
def kiosk(tmp_path: Path, catalogue: Catalogue) -> Iterator[Kiosk]:
    wall, clock, voice = WallClock(NOW), FakeClock(1_000.0), [False]
    recorder = UsageRecorder(
        UsageStore(tmp_path / "usage.sqlite3"),
        matters=lambda: catalogue,
        now=wall,
        clock=clock,
        voice_on=lambda: voice[0],
    )
    sessions = session_manager(tmp_path / "tmp", clock, observer=recorder.journeys)
    yield Kiosk(recorder, sessions, wall, clock, voice)
    recorder.close()
