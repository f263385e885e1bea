"""Build a release folder from a source tree: wheels and the manifest.

``release/wheels/*.whl`` and ``release/release.json``. The project's version is stamped
into a copy of the source (pyproject.toml and kiosk/__init__.py), so any version can be
built from one checkout. Dependency wheels come from the package index the first time,
then from ``wheel_cache`` (a folder kept between builds): a second build of the same
dependencies touches no network. ``deps=False`` makes a *project-only* release, for
test rigs whose environments share their dependencies (the kiosk refuses one otherwise).
"""

from __future__ import annotations

import importlib.metadata
import json
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from provisioning.protocol import (
    EXTRA,
    PROJECT,
    RELEASE_FORMAT,
    check_version,
    sha256_of,
    wheel_target,
)

SKIP = (
    ".git",
    ".venv",
    "__pycache__",
    "*.egg-info",
    "build",
    "dist",
    "tests",
    "bench",
    "test-artifacts",
    "out",
    "demo-out",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
)


class BuildFailed(Exception):
    pass


def stamp_version(src: Path, version: str) -> None:
    """Write ``version`` into the copy's pyproject.toml and kiosk/__init__.py."""
    for rel, pattern, line in (
        ("pyproject.toml", r'(?m)^version = "[^"]*"$', f'version = "{version}"'),
        ("kiosk/__init__.py", r'(?m)^__version__ = "[^"]*"$', f'__version__ = "{version}"'),
    ):
        path = src / rel
        text, count = re.subn(pattern, line, path.read_text(encoding="utf-8"), count=1)
        if count != 1:
            raise BuildFailed(f"{rel}: no version line to stamp")
        path.write_text(text, encoding="utf-8")


def _pip(python: str, *args: str) -> None:
    done = subprocess.run([python, "-m", "pip", *args], capture_output=True, text=True)
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        raise BuildFailed(f"pip {args[0]} failed: " + " | ".join(tail))


def build_release(
    version: str,
    out: Path,
    *,
    source: Path,
    deps: bool = True,
    wheel_cache: Path | None = None,
    mutate: Callable[[Path], None] | None = None,
    python: str = sys.executable,
    notes: str = "",
) -> Path:
    """Build the release ``version`` of ``source`` into ``out``; the manifest's path.

    ``mutate`` changes the copied source before it is built (a benchmark's or a test's
    deliberately broken release)."""
    check_version(version)
    wheels = out / "wheels"
    if out.exists():
        shutil.rmtree(out)
    wheels.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="kiosk-release-") as tmp:
        src = Path(tmp) / "src"
        shutil.copytree(source, src, ignore=shutil.ignore_patterns(*SKIP), symlinks=True)
        stamp_version(src, version)
        if mutate is not None:
            mutate(src)
        _pip(python, "wheel", "--no-deps", "-q", "-w", str(wheels), str(src))
    (project,) = wheels.glob("*.whl")
    if deps:  # every dependency, and pip (a version's venv becomes the updater's later)
        # the kiosk's install group: a kiosk needs Kivy, OpenCV, pyscard … (pyproject.toml)
        wanted = [f"{project}[{EXTRA}]", f"pip=={importlib.metadata.version('pip')}"]
        cache = wheel_cache if wheel_cache and wheel_cache.is_dir() else None
        try:  # from the cache alone first: a rebuild needs no network
            if cache is None:
                raise BuildFailed("no cache")
            _pip(
                python,
                "wheel",
                "-q",
                "--no-index",
                "--find-links",
                str(cache),
                "-w",
                str(wheels),
                *wanted,
            )
        except BuildFailed:
            links = ["--find-links", str(cache)] if cache else []
            _pip(python, "wheel", "-q", "-w", str(wheels), *links, *wanted)
        if wheel_cache is not None:
            wheel_cache.mkdir(parents=True, exist_ok=True)
            for wheel in wheels.glob("*.whl"):
                if wheel != project and not (wheel_cache / wheel.name).exists():
                    shutil.copy2(wheel, wheel_cache / wheel.name)
    return write_manifest(out, version, complete=deps, notes=notes)


def write_manifest(out: Path, version: str, *, complete: bool, notes: str = "") -> Path:
    """``release.json`` for the wheels in ``out/wheels``."""
    entries = []
    for wheel in sorted((out / "wheels").glob("*.whl")):
        digest = sha256_of(wheel)
        entries.append(
            {
                "filename": wheel.name,
                "sha256": digest,
                "length": wheel.stat().st_size,
                "target": wheel_target(digest, wheel.name),
            }
        )
    manifest = {
        "format": RELEASE_FORMAT,
        "name": PROJECT,
        "version": version,
        "wheelhouse": "complete" if complete else "project-only",
        "built_on": {
            "python": f"{sys.version_info[0]}.{sys.version_info[1]}",
            "platform": sysconfig.get_platform(),
        },
        "built_at": int(time.time()),
        "notes": notes,
        "wheels": entries,
    }
    path = out / "release.json"
    path.write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    return path
