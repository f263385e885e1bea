"""The session: idle warning and timeout on an injected clock, and the wipe."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.identity import Identity
from kiosk.session import CapturedPage, EndReason, IdlePhase, IdleTimer
from tests.support import FakeClock
from tests.support.kiosk import session_manager


def test_idle_phases_follow_the_clock() -> None:
    clock = FakeClock(1000.0)
    timer = IdleTimer(120, 30, 10, clock)
    assert timer.state().phase is IdlePhase.ACTIVE
    clock.now += 89
    assert timer.state().phase is IdlePhase.ACTIVE
    clock.now += 2
    state = timer.state()
    assert state.phase is IdlePhase.WARNING
    assert state.remaining == pytest.approx(29)
    clock.now += 29
    assert timer.state().phase is IdlePhase.EXPIRED


def test_warning_comes_at_least_20_seconds_before_expiry() -> None:
    clock = FakeClock(1000.0)
    timer = IdleTimer(120, 20, 10, clock)
    clock.now += 100.5
    assert timer.state().phase is IdlePhase.WARNING
    assert timer.state().remaining >= 19.5


def test_touch_resets_only_while_active() -> None:
    clock = FakeClock(1000.0)
    timer = IdleTimer(120, 30, 10, clock)
    clock.now += 80
    timer.touch()
    clock.now += 80
    assert timer.state().phase is IdlePhase.ACTIVE  # 80 s since the touch
    clock.now += 15
    assert timer.state().phase is IdlePhase.WARNING
    timer.touch()  # a stray touch does not dismiss the warning
    assert timer.state().phase is IdlePhase.WARNING


def test_extend_is_limited() -> None:
    clock = FakeClock(1000.0)
    timer = IdleTimer(120, 30, 2, clock)
    for _ in range(2):
        clock.now += 100
        assert timer.extend()
        assert timer.state().phase is IdlePhase.ACTIVE
    clock.now += 100
    assert not timer.extend()
    clock.now += 30
    assert timer.state().phase is IdlePhase.EXPIRED


def test_warning_must_precede_timeout() -> None:
    with pytest.raises(ValueError):
        IdleTimer(30, 30, 1, FakeClock(1000.0))


def test_end_wipes_data_and_temp_files_and_tells_listeners(tmp_path: Path) -> None:
    clock = FakeClock(1000.0)
    manager = session_manager(tmp_path / "tmp", clock)
    heard: list[EndReason] = []
    manager.on_end(heard.append)
    session = manager.current
    session.identity = Identity("idcard", "resident", "110101194501011236", "测试甲")
    session.answers["phone"] = "13800138000"
    session.pages["hukou"] = [CapturedPage("hukou", b"\xff\xd8jpeg", 10, 10)]
    scratch = session.temp_dir / "page.jpg"
    scratch.write_bytes(b"secret")
    new = manager.end(EndReason.CARD_REMOVED)
    assert heard == [EndReason.CARD_REMOVED]
    assert new is not session and manager.current is new
    assert session.identity is None and not session.answers and not session.pages
    assert not scratch.exists() and not scratch.parent.exists()
    assert new.identity is None


def test_stale_session_dirs_from_a_crash_are_purged(tmp_path: Path) -> None:
    stale = tmp_path / "tmp" / "session-deadbeef"
    stale.mkdir(parents=True)
    (stale / "page.jpg").write_bytes(b"left by a crash")
    session_manager(tmp_path / "tmp", FakeClock(1000.0))
    assert not stale.exists()


def test_identity_repr_is_masked() -> None:
    identity = Identity("idcard", "resident", "110101194501011236", "测试甲")
    text = repr(identity)
    assert "110101194501011236" not in text and "测试甲" not in text
    assert "1101**********1236" in text
