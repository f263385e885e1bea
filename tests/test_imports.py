"""Every product module imports: a module left pointing at one that moved or went away
fails here, before any journey reaches it (mypy, set to ignore missing third-party
imports, does not see a missing first-party one)."""

from __future__ import annotations

import importlib

import pytest

from tests.support import ROOT

# screens/ and what imports it are left to the UI tests: importing Kivy's window module
# opens the window, and they do that under a virtual display
PACKAGES = ("kiosk", "devices", "terminal", "sandbox", "provisioning", "config", "webstack")
NEEDS_A_WINDOW = {"terminal.demo.script"}


def modules() -> list[str]:
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            if name not in NEEDS_A_WINDOW:
                found.append(name)
    return found


@pytest.mark.parametrize("name", modules())
def test_every_module_imports(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    importlib.import_module(name)


def test_the_walk_finds_the_layers() -> None:
    names = modules()
    assert {"terminal.cli", "sandbox.app", "provisioning.agent", "kiosk.session"} <= set(names)
