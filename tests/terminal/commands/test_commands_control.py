"""One kiosk per state directory, and the control socket the CLI talks to."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from terminal import control
from terminal.runtime import Runtime

Start = Callable[..., Runtime]


def test_a_second_kiosk_on_the_same_state_directory_stops_at_start(
    start: Start, state_dir: Path
) -> None:
    first = start()
    assert control.running(state_dir)
    with pytest.raises(control.AlreadyRunning, match=str(state_dir)):
        start()
    assert first.outbox.integrity_check() == "ok"  # the failed start touched nothing of it
    first.close()
    assert not control.running(state_dir)
    start()  # and the directory is free again


def test_the_socket_is_private_and_answers_known_commands_only(
    start: Start, state_dir: Path
) -> None:
    start()
    sock = state_dir / control.SOCKET_NAME
    assert stat.S_ISSOCK(sock.stat().st_mode) and stat.S_IMODE(sock.stat().st_mode) == 0o600
    assert control.call(state_dir, "print.status")["ready"] is True
    with pytest.raises(control.ControlError, match="bad request"):
        control.call(state_dir, "shutdown")
    with pytest.raises(control.ControlError, match="bad request"):
        control.call(state_dir, "print.reprint")  # no number
    answer = control.call(state_dir, "print.reprint", number="LS-nobody")
    assert answer == {"printed": False}


def test_nothing_answers_when_no_kiosk_runs_even_over_a_stale_socket(
    start: Start, state_dir: Path
) -> None:
    with pytest.raises(control.NotRunning):
        control.call(state_dir, "print.status")
    runtime = start()
    runtime.control.stop()  # as if it died: the file stays
    (state_dir / control.SOCKET_NAME).touch()
    runtime.close()
    with pytest.raises(control.NotRunning):
        control.call(state_dir, "print.status")
    start()  # a new kiosk replaces the stale file
    assert control.call(state_dir, "print.status")["ready"] is True


def test_an_owner_that_does_not_answer_is_one_clear_line(
    kiosk_cmd: Callable[..., Any], state_dir: Path
) -> None:
    with control.OwnerLock(state_dir):  # a kiosk that holds the directory, socket gone
        done = kiosk_cmd("outbox", "flush")
    assert done.code == 2
    assert done.err.startswith("kiosk: a kiosk owns the state directory but does not answer")
    assert done.err.count("\n") == 1
