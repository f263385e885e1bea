"""A kiosk core (no UI) on a temporary state directory: simulated printer, ID reader and
document camera, the embedded sandbox platform, and a citizen ready to submit."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.identity import Identity
from kiosk.session import Session
from kiosk.settings import Settings, load_settings, with_overrides
from terminal.runtime import Runtime
from tests.support.allowance import ALLOWANCE, ANSWERS, scanned_page
from tests.support.closing import closing_all


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return with_overrides(load_settings(), paths={"state_dir": str(tmp_path / "state")})


@pytest.fixture
def start(settings: Settings) -> Iterator[Callable[..., Runtime]]:
    """Start a runtime (the pump off unless asked); every one is closed at the end."""

    def make(start_pump: bool = False, **over: Any) -> Runtime:
        return Runtime.start(with_overrides(settings, **over), start_pump=start_pump)

    with closing_all(make) as tracked:
        yield tracked


@pytest.fixture
def ready_session() -> Callable[[Runtime], Session]:
    return _ready_session


def _ready_session(runtime: Runtime) -> Session:
    """The current session, filled in up to the review step."""
    session = runtime.sessions.current
    session.identity = Identity("idcard", "resident", "110101194501011236", "测试甲")
    session.matter_code = ALLOWANCE
    matter = runtime.catalogue.get(ALLOWANCE)
    keys = {f.key for f in matter.fields}
    session.answers = {k: v for k, v in ANSWERS.items() if k in keys}
    for m in matter.materials:
        if m.required:
            session.pages[m.code] = [scanned_page(m.code)]
    return session
