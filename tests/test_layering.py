"""Imports flow one way: devices <- kiosk <- screens; only screens imports Kivy."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

FORBIDDEN = {
    "devices": {"kiosk", "screens", "provisioning", "kivy"},
    "kiosk": {"screens", "kivy"},
    "config": {"kiosk", "devices", "screens", "kivy"},
    "provisioning": {"screens", "kivy"},
    "provisioning/server": {"kiosk", "devices", "screens", "kivy"},  # stands alone
}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_imports_flow_one_way() -> None:
    bad = []
    checked = 0
    for package, forbidden in FORBIDDEN.items():
        for path in (ROOT / package).rglob("*.py"):
            checked += 1
            wrong = imported_roots(path) & forbidden
            if wrong:
                bad.append(f"{path.relative_to(ROOT)} imports {sorted(wrong)}")
    assert checked > 20
    assert bad == []


def test_the_checker_sees_a_violation(tmp_path: Path) -> None:
    sample = tmp_path / "x.py"
    sample.write_text("import kivy.app\nfrom kiosk.session import Session\n", encoding="utf-8")
    assert imported_roots(sample) == {"kivy", "kiosk"}
