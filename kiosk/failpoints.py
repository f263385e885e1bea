"""Named crash points for the kill tests: ``KIOSK_FAILPOINT=phase:n`` kills the process
with SIGKILL the n-th time it passes ``failpoint(phase)``.

Unset (always, outside a test rig), a failpoint costs one dictionary look-up. The kill
tests (tests/terminal/updater/test_kill.py) arm one per run from a seed, so every crash
is replayable: the phase names are where an update can be cut — ``download``,
``unpack``, ``install``, ``migrate``, ``switch``.
"""

from __future__ import annotations

import os
import signal

ENV = "KIOSK_FAILPOINT"
_passed: dict[str, int] = {}


def failpoint(phase: str) -> None:
    """SIGKILL this process (and its process group, so a child pip dies too) if the
    armed failpoint is ``phase`` and this is its n-th pass."""
    armed = os.environ.get(ENV, "")
    if not armed.startswith(phase + ":"):
        return
    _passed[phase] = _passed.get(phase, 0) + 1
    if _passed[phase] >= int(armed.split(":", 1)[1]):
        if os.getpgid(0) == os.getpid():  # a group leader: take the children with us
            os.killpg(0, signal.SIGKILL)
        os.kill(os.getpid(), signal.SIGKILL)
