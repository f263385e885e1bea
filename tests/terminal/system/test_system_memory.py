"""terminal/system/memory.py: glibc's malloc arenas are capped at start-up unless the environment
already says how many."""

from __future__ import annotations

import os
import subprocess
import sys

from terminal.system.memory import ARENAS
from tests.support import ROOT

PROBE = "from terminal.system.memory import limit_arenas; print(limit_arenas())"


def probe(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=clean | env | {"PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.strip()


def test_the_arenas_are_capped_on_glibc() -> None:
    assert ARENAS == 2
    assert probe() == "True"  # Debian's glibc takes mallopt(M_ARENA_MAX)


def test_an_arena_count_in_the_environment_is_left_to_glibc() -> None:
    assert probe(MALLOC_ARENA_MAX="4") == "False"
