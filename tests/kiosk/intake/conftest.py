"""A kiosk core (no UI) on a temporary state directory: simulated printer, ID reader and
document camera, the embedded sandbox platform, and a citizen ready to submit."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

from kiosk.identity import Identity
from kiosk.session import CapturedPage, Session
from kiosk.settings import Settings, load_settings, with_overrides
from terminal.runtime import Runtime

MATTER = "33102300MZ-JF-0001"  # 高龄津贴申领
ANSWERS = {
    "applicant": "self",
    "phone": "13800138000",
    "payment_card_number": "6222020200112233446",
    "bank": "rcb",
    "address": "演示县东湖镇东湖村3组",
}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return with_overrides(load_settings(), paths={"state_dir": str(tmp_path / "state")})


@pytest.fixture
def start(settings: Settings) -> Iterator[Callable[..., Runtime]]:
    """Start a runtime (the pump off unless asked); every one is closed at the end."""
    started: list[Runtime] = []

    def make(start_pump: bool = False, **over: Any) -> Runtime:
        runtime = Runtime.start(with_overrides(settings, **over), start_pump=start_pump)
        started.append(runtime)
        return runtime

    yield make
    for runtime in started:
        runtime.close()


@pytest.fixture
def ready_session() -> Callable[[Runtime], Session]:
    return _ready_session


def _ready_session(runtime: Runtime) -> Session:
    """The current session, filled in up to the review step."""
    session = runtime.sessions.current
    session.identity = Identity("idcard", "resident", "110101194501011236", "测试甲")
    session.matter_code = MATTER
    matter = runtime.catalogue.get(MATTER)
    keys = {f.key for f in matter.fields}
    session.answers = {k: v for k, v in ANSWERS.items() if k in keys}
    for m in matter.materials:
        if m.required:
            session.pages[m.code] = [CapturedPage(m.code, PAGE_JPEG, 827, 1170)]
    return session


def _page_jpeg() -> bytes:
    """A small real page (the journey stamps watermarks on real images)."""
    page = np.full((1170, 827), 255, np.uint8)
    cv2.putText(page, "TEST PAGE", (100, 300), cv2.FONT_HERSHEY_SIMPLEX, 2, 0, 4)
    ok, data = cv2.imencode(".jpg", page, [cv2.IMWRITE_JPEG_QUALITY, 60])
    assert ok
    return bytes(data)


PAGE_JPEG = _page_jpeg()
