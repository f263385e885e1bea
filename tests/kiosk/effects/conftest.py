"""A real kiosk core (no UI) on simulated devices and the embedded sandbox platform;
the pump is driven by hand so each test decides when the platform hears."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.identity import Identity
from kiosk.settings import load_settings, with_overrides
from terminal.runtime import Runtime

OTHER = Identity("idcard", "resident", "110101195002021234", "李四")


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[Runtime]:
    settings = with_overrides(
        load_settings(), paths={"state_dir": str(tmp_path)}, ui={"voice": False}
    )
    rt = Runtime.start(settings, start_pump=False)
    rt.staff.cost = type(rt.staff.cost)(n=2**8, r=1, p=1)  # cheap PIN hashing in tests
    yield rt
    rt.close()


def run(rt: Runtime, effect: Any) -> Any:
    """Run an effect for the current session and hand its outcome to the flow."""
    session = rt.sessions.current
    outcome = rt.effects.run(effect, session)
    if outcome is not None:
        return session.flow.handle(outcome)
    return None


def printed_text(rt: Runtime) -> str:
    assert rt.simulation is not None
    job = rt.simulation.last_job()
    assert job is not None, "nothing was printed"
    return "\n".join(job.lines)


def flush(rt: Runtime) -> None:
    rt.pump.run_once(force=True)
