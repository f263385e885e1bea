"""A TUF repository served on loopback with HTTP Range, and kiosks laid out beside it.

Releases here are made of small stand-in wheels (bytes, never installed) unless a test
builds real ones (tests/support/releases.py)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from provisioning.release.build import write_manifest
from provisioning.release.httpd import StaticServer
from provisioning.release.repo import Repository
from terminal.updater.layout import Layout
from terminal.updater.service import Updater
from terminal.updater.trust import install_root

MakeRelease = Callable[..., Path]


@pytest.fixture
def repo(tmp_path: Path) -> Repository:
    return Repository.init(tmp_path / "repo")


@pytest.fixture
def server(repo: Repository) -> Iterator[StaticServer]:
    s = StaticServer(repo.path).start()
    yield s
    s.stop()


@pytest.fixture
def make_release(tmp_path: Path) -> MakeRelease:
    """A release folder of stand-in wheels: ``extra`` names more wheel files."""

    def make(version: str, *extra: str, size: int = 200_000) -> Path:
        out = tmp_path / "releases" / version
        (out / "wheels").mkdir(parents=True, exist_ok=True)
        for name in (f"bianmin_kiosk-{version}-py3-none-any.whl", *extra):
            (out / "wheels" / name).write_bytes(os.urandom(size))
        write_manifest(out, version, complete=True)
        return out

    return make


@pytest.fixture
def kiosk(tmp_path: Path, repo: Repository) -> Layout:
    """A kiosk running 0.1.0 (a complete stand-in folder), trusting the repository's
    first root."""
    layout = Layout(tmp_path / "opt")
    (layout.venv("0.1.0") / "bin").mkdir(parents=True)
    layout.mark_complete("0.1.0")
    layout.point("current", "0.1.0")
    layout.point("good", "0.1.0")
    install_root(tmp_path / "state" / "updates", repo.root_bytes(1))
    return layout


def updater_for(kiosk: Layout, **kw: object) -> Updater:
    return Updater(kiosk, kiosk.root.parent / "state" / "updates", **kw)  # type: ignore[arg-type]
