"""The architecture, enforced: who may import whom (../shared/DESIGN.md, "Layout and
layering").

    devices  <-  kiosk  <-  screens  <-  terminal  (which also wires in provisioning.agent
                                                    and the embedded sandbox)

- devices/: hardware; knows nothing above it.
- kiosk/: the domain core; no Kivy, no screen, no terminal, no fleet agent, no stand-in
  platform, and no device simulator.
- screens/: the only place Kivy is imported; talks to the core, never to a device.
- terminal/: assembles a kiosk from all of the above.
- sandbox/: the stand-in provincial platform, an application of its own: it shares only
  the platform API's wire models and a few pure rules with the kiosk, and webstack with
  the fleet server.
- webstack/: the ASGI plumbing the fleet server and the stand-in platform share (serving,
  problem documents, bounded bodies); it imports no first-party package.
- provisioning/server/, provisioning/agent/ and provisioning/release/: each stands
  alone beside provisioning/protocol.py; the agent is handed what it needs of the kiosk.
  The server also reads provisioning/policy.py, the fleet's allow-list of settings that
  the kiosk checks bundles against too, and keeps its releases with provisioning/release's
  TUF repository (docs/updates.md); the release tool never imports the server. It runs
  on webstack, as the stand-in platform does.
- config/: data files and their paths.

Function-level imports count like top-level ones: ``ast.walk`` sees them all.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.support import ROOT

FIRST_PARTY = {
    "kiosk",
    "devices",
    "screens",
    "terminal",
    "sandbox",
    "provisioning",
    "config",
    "webstack",
}

# package (folder) -> module prefixes it must not import
FORBIDDEN: dict[str, set[str]] = {
    "devices": {"kiosk", "screens", "terminal", "sandbox", "provisioning", "config", "kivy"},
    "kiosk": {"screens", "terminal", "sandbox", "provisioning", "kivy", "devices.*.simulator"},
    "screens": {"terminal", "sandbox", "provisioning", "devices"},
    "config": {"kiosk", "devices", "screens", "terminal", "sandbox", "provisioning", "kivy"},
    "terminal": {"kivy", "provisioning.server"},
    "provisioning": {"screens", "terminal", "sandbox", "kivy"},
    "webstack": FIRST_PARTY - {"webstack"},
}
# package -> the only first-party modules (prefixes) it may import besides its own
ONLY: dict[str, set[str]] = {
    "sandbox": {
        "sandbox",
        "kiosk.upstream.models",
        "kiosk.upstream.fields",
        "kiosk.upstream.case_models",
        "kiosk.upstream.service_models",
        "kiosk.masking",
        "kiosk.storage",
        "kiosk.appointments",
        "kiosk.workdays",
        "webstack",
    },
    "provisioning/server": {
        "provisioning.server",
        "provisioning.protocol",
        "provisioning.policy",
        "provisioning.release",
        "kiosk.supervision",  # pure: red and yellow cards, 差评 follow-ups (docs/analytics.md)
        "kiosk.wirepath",  # pure: where a msgspec validation error points
        "kiosk.workdays",
        "webstack",
    },
    "provisioning/agent": {"provisioning.agent", "provisioning.protocol"},
    "provisioning/release": {"provisioning.release", "provisioning.protocol"},
}


def imported_modules(path: Path) -> set[str]:
    """Every absolute module name ``path`` imports, with ``from m import x`` giving both
    ``m`` and ``m.x`` (x may be a submodule)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def matches(module: str, pattern: str) -> bool:
    """``pattern`` is a module prefix; ``*`` stands for one dotted part."""
    want, have = pattern.split("."), module.split(".")
    if len(have) < len(want):
        return False
    return all(w in ("*", h) for w, h in zip(want, have, strict=False))


def violations(package: str, path: Path) -> list[str]:
    found = imported_modules(path)
    wrong = {m for m in found for p in FORBIDDEN.get(package, ()) if matches(m, p)}
    if package in ONLY:
        allowed = ONLY[package]
        wrong |= {
            m
            for m in found
            if m.split(".")[0] in FIRST_PARTY
            and not any(matches(m, p) for p in allowed)
            # ``from kiosk.upstream.models import CODE`` also yields ...models.CODE, and
            # ``from kiosk.upstream import fields`` yields the package kiosk.upstream
            and not any(matches(m.rsplit(".", 1)[0], p) for p in allowed)
            and not any(p.startswith(m + ".") for p in allowed)
        }
    return sorted(wrong)


def test_imports_flow_one_way() -> None:
    bad = []
    checked = 0
    for package in {*FORBIDDEN, *ONLY}:
        for path in (ROOT / package).rglob("*.py"):
            checked += 1
            wrong = violations(package, path)
            if wrong:
                bad.append(f"{path.relative_to(ROOT)} imports {wrong}")
    assert checked > 200
    assert bad == []


def test_the_checker_sees_a_violation(tmp_path: Path) -> None:
    sample = tmp_path / "x.py"
    sample.write_text(
        "import kivy.app\nfrom kiosk.session import Session\n"
        "def f():\n    from devices.printer.simulator import PrinterSimulator\n"
        "    from provisioning.agent import Agent\n",
        encoding="utf-8",
    )
    assert violations("kiosk", sample) == [
        "devices.printer.simulator",
        "devices.printer.simulator.PrinterSimulator",
        "kivy.app",
        "provisioning.agent",
        "provisioning.agent.Agent",
    ]
    assert violations("screens", sample) == [
        "devices.printer.simulator",
        "devices.printer.simulator.PrinterSimulator",
        "provisioning.agent",
        "provisioning.agent.Agent",
    ]
    # the agent and the stand-in platform stand alone
    assert violations("provisioning/agent", sample) == [
        "devices.printer.simulator",
        "devices.printer.simulator.PrinterSimulator",
        "kiosk.session",
        "kiosk.session.Session",
    ]
    assert "kiosk.session" in violations("sandbox", sample)
    # the shared web plumbing imports nothing of ours
    assert violations("webstack", sample) == [
        "devices.printer.simulator",
        "devices.printer.simulator.PrinterSimulator",
        "kiosk.session",
        "kiosk.session.Session",
        "provisioning.agent",
        "provisioning.agent.Agent",
    ]
    ok = tmp_path / "ok.py"
    ok.write_text("from kiosk.upstream.models import CODE\nimport sandbox.app\n", encoding="utf-8")
    assert violations("sandbox", ok) == []
