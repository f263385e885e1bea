"""Run the real ``kiosk`` command in a subprocess (``python -m terminal.cli``) on a
temporary state directory, beside (or without) a kiosk core running in this process."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.outbox import Attachment, Submission
from kiosk.settings import Settings, load_settings, with_overrides
from kiosk.upstream import Applicant
from terminal.runtime import Runtime
from tests.support.closing import closing_all
from tests.support.command import run_kiosk

NAME, ID_NUMBER = "欧阳明月", "33010219851231987X"


class Done:
    def __init__(self, proc: subprocess.CompletedProcess[str]) -> None:
        self.code, self.out, self.err = proc.returncode, proc.stdout, proc.stderr

    def json(self) -> Any:
        return json.loads(self.out)

    def __repr__(self) -> str:
        return f"Done(code={self.code}, out={self.out[:300]!r}, err={self.err[-500:]!r})"


@pytest.fixture
def state_dir(tmp_path: Path) -> Path:
    return tmp_path / "state"


@pytest.fixture
def kiosk_cmd(state_dir: Path) -> Callable[..., Done]:
    def run(*args: str, timeout: float = 120) -> Done:
        proc = run_kiosk(*args, state_dir=state_dir, timeout=timeout)
        done = Done(proc)
        assert "Traceback" not in done.err, done
        return done

    return run


@pytest.fixture
def settings(state_dir: Path) -> Settings:
    return with_overrides(load_settings(), paths={"state_dir": str(state_dir)})


@pytest.fixture
def start(settings: Settings) -> Iterator[Callable[..., Runtime]]:
    """Start a kiosk core in this process (the pump off unless asked); every one is
    closed at the end."""

    def make(start_pump: bool = False) -> Runtime:
        return Runtime.start(settings, start_pump=start_pump)

    with closing_all(make) as tracked:
        yield tracked


@pytest.fixture
def submission() -> Callable[[], Submission]:
    """A citizen's application as the journey hands it to the outbox."""
    return _submission


def _submission() -> Submission:
    return Submission(
        matter_code="33102300MZ-JF-0001",
        matter_name="高龄津贴申领",
        department="区民政局",
        applicant=Applicant("resident_id", ID_NUMBER, NAME, "13912345678"),
        answers={"phone": "13912345678"},
        attachments=[Attachment("M1", "scan-1.jpg", "image/jpeg", b"\xff\xd8" + b"x" * 5000)],
        channel="kiosk",
        station_id="demo-0001",
        region_code="110101001001",
    )
