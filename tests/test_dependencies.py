"""Dependencies that fit each machine, declared and locked (pyproject.toml, requirements/).

- Every third-party module the code imports comes from a distribution declared for the
  machines that run that code: the fleet server's from the base and ``fleet`` groups,
  the kiosk's from the base and ``kiosk`` groups, the tests' from any group.
- Every declared dependency is pinned, once.
- Every lock pins every package with its files' hashes and agrees with pyproject.toml; a
  fleet host's lock holds neither Kivy, OpenCV nor pyscard, and a kiosk's holds no test
  tools.
"""

from __future__ import annotations

import ast
import importlib.metadata as md
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
FIRST_PARTY = {"kiosk", "devices", "screens", "terminal", "sandbox", "provisioning", "config",
               "webstack", "tests", "bench"}  # fmt: skip
#: bench/ scripts import their sibling modules by name
LOCAL = {p.stem for p in (ROOT / "bench").glob("*.py")}
FLEET_CODE = ["provisioning/server", "provisioning/protocol.py", "provisioning/__init__.py",
              "webstack"]  # fmt: skip
KIOSK_CODE = ["kiosk", "devices", "screens", "terminal", "sandbox", "config", "webstack",
              "provisioning/agent", "provisioning/protocol.py"]  # fmt: skip
KIOSK_ONLY = {"kivy", "opencv-python-headless", "pyscard", "pyzbar", "zxing-cpp", "numpy",
              "python-escpos", "pyusb"}  # fmt: skip
TEST_TOOLS = {"pytest", "pytest-timeout", "hypothesis", "ruff", "mypy", "schemathesis",
              "selenium"}  # fmt: skip
_NAME = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;]+)")


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(entries: list[str]) -> dict[str, str]:
    found = {}
    for entry in entries:
        m = _NAME.match(entry)
        assert m, f"not pinned with ==: {entry}"
        found[_norm(m.group(1))] = m.group(2)
    return found


BASE = _pins(PROJECT["dependencies"])
GROUPS = {k: _pins(v) for k, v in PROJECT["optional-dependencies"].items()}


def imported(paths: list[str]) -> dict[str, set[str]]:
    """Third-party top-level modules imported under ``paths``: {module: {files}}."""
    found: dict[str, set[str]] = {}
    for root in paths:
        path = ROOT / root
        for file in [path] if path.is_file() else path.rglob("*.py"):
            for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    if top in sys.stdlib_module_names or top in FIRST_PARTY | LOCAL:
                        continue
                    if top != "__future__":
                        found.setdefault(top, set()).add(str(file.relative_to(ROOT)))
    return found


def _owners() -> dict[str, list[str]]:
    """Module → distributions, from top_level.txt and, where a wheel's top_level.txt leaves
    a package out (dlib-bin names only its extension module), from the files it installs."""
    found = {k: list(v) for k, v in md.packages_distributions().items()}
    for dist in md.distributions():
        for file in dist.files or []:
            if len(file.parts) == 2 and file.parts[1] == "__init__.py":
                names = found.setdefault(file.parts[0], [])
                if dist.metadata["Name"] not in names:
                    names.append(dist.metadata["Name"])
    return found


def _undeclared(paths: list[str], declared: set[str]) -> dict[str, list[str]]:
    dists = _owners()
    out = {}
    for module, files in imported(paths).items():
        owners = {_norm(d) for d in dists.get(module, [module])}
        if not owners & declared:
            out[module] = sorted(files)[:3]
    return out


def test_the_fleet_server_imports_only_what_a_fleet_host_installs() -> None:
    assert _undeclared(FLEET_CODE, set(BASE) | set(GROUPS["fleet"])) == {}


def test_the_kiosk_imports_only_what_a_kiosk_installs() -> None:
    assert _undeclared(KIOSK_CODE, set(BASE) | set(GROUPS["kiosk"])) == {}


def test_tests_and_benchmarks_import_only_what_is_declared() -> None:
    every = set(BASE).union(*GROUPS.values())
    assert _undeclared(["tests", "bench"], every) == {}


def test_the_checker_sees_an_undeclared_import() -> None:
    assert "jinja2" in _undeclared(FLEET_CODE, set(BASE))  # the fleet group is needed


def test_each_dependency_is_declared_once() -> None:
    names = [_norm(_NAME.match(e).group(1)) for e in PROJECT["dependencies"]]  # type: ignore[union-attr]
    for entries in PROJECT["optional-dependencies"].values():
        names += [_norm(_NAME.match(e).group(1)) for e in entries]  # type: ignore[union-attr]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)


def lock(role: str) -> dict[str, str]:
    """A lock's packages and versions; every one of them with at least one hash."""
    text = (ROOT / "requirements" / f"{role}.txt").read_text(encoding="utf-8")
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[-1].strip())
    found = {}
    for block in blocks:
        m = _NAME.match(block)
        assert m, f"{role}: not pinned: {block[:60]}"
        assert "--hash=sha256:" in block, f"{role}: {m.group(1)} without a hash"
        found[_norm(m.group(1))] = m.group(2)
    return found


def test_the_locks_pin_everything_with_hashes_and_match_pyproject() -> None:
    roles = {"kiosk": ["kiosk"], "fleet": ["fleet"], "dev": ["kiosk", "fleet", "dev"]}
    for role, groups in roles.items():
        locked = lock(role)
        wanted = dict(BASE)
        for group in groups:
            wanted |= GROUPS[group]
        assert {k: locked.get(k) for k in wanted} == wanted, role
    assert set(lock("build")) == {"setuptools"}


def test_a_fleet_host_gets_no_kiosk_hardware_and_a_kiosk_no_test_tools() -> None:
    assert not KIOSK_ONLY & set(lock("fleet")), KIOSK_ONLY & set(lock("fleet"))
    assert not TEST_TOOLS & set(lock("fleet"))
    assert not TEST_TOOLS & set(lock("kiosk")), TEST_TOOLS & set(lock("kiosk"))
    assert set(lock("kiosk")) >= KIOSK_ONLY and set(lock("dev")) >= TEST_TOOLS
