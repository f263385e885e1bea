"""The hypothesis profiles: CI runs derandomized and bounded, and a test's own
``@settings(max_examples=…)`` does not undo that."""

from __future__ import annotations

import os
import subprocess
import sys

from hypothesis import settings

from tests.support import ROOT

PROBE = """
import sys
sys.path.insert(0, "tests")
import conftest  # noqa: F401  (registers and loads the profiles)
from hypothesis import settings
own = settings(max_examples=7)  # as a test module's decorator builds it
print(settings.default.derandomize, settings.default.max_examples,
      own.derandomize, own.max_examples, own.deadline)
"""


def probe(profile: str | None) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k != "HYPOTHESIS_PROFILE"}
    if profile is not None:
        env["HYPOTHESIS_PROFILE"] = profile
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_the_ci_profile_is_derandomized_bounded_and_has_no_deadline() -> None:
    ci = settings.get_profile("ci")
    assert ci.derandomize is True
    assert 0 < ci.max_examples <= 200
    assert ci.deadline is None
    assert settings.get_profile("dev").max_examples > ci.max_examples


def test_hypothesis_profile_ci_fixes_the_seed_even_where_a_test_sets_its_own_count() -> None:
    assert probe("ci") == ["True", "100", "True", "7", "None"]


def test_the_dev_profile_explores_more_at_random() -> None:
    assert probe("dev") == ["False", "500", "False", "7", "None"]


def test_the_ci_script_selects_the_ci_profile() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "export HYPOTHESIS_PROFILE=ci" in script
