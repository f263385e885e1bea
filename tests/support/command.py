"""The ``kiosk`` command run for real, in a subprocess, as a technician would type it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.support import ROOT


def run_kiosk(
    *args: str,
    stdin: str = "",
    state_dir: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """``python -m terminal.cli ARGS`` (the console script's target) from the repository.
    Neither the developer's display nor their site file (``$KIOSK_CONFIG``) nor the
    test runner's stdin leaks in; ``state_dir`` becomes ``$KIOSK_STATE_DIR`` and ``env``
    is added last."""
    environ = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "KIOSK_CONFIG")}
    environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), environ.get("PYTHONPATH", "")])
    if state_dir is not None:
        environ["KIOSK_STATE_DIR"] = str(state_dir)
    environ.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "terminal.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env=environ,
        check=False,
    )
