"""Where the active bundle's files are, for the kiosk's start-up."""

from __future__ import annotations

import json
from pathlib import Path

from provisioning.agent.active import check_state_dir


def active_site_file(state_dir: Path) -> Path | None:
    """The fleet's settings file for ``load_settings``, when a bundle is active; the
    active bundle is verified first (active.py), so an edited file is never read."""
    check_state_dir(state_dir)
    path = state_dir / "fleet" / "current" / "settings.toml"
    return path if path.is_file() else None


def active_catalogue_file(state_dir: Path) -> Path | None:
    """The fleet's catalogue, when the active bundle carries one (else the shipped one)."""
    check_state_dir(state_dir)
    path = state_dir / "fleet" / "current" / "catalogue.json"
    return path if path.is_file() else None


def active_exclusions(state_dir: Path) -> list[str]:
    """The matter codes the active bundle excludes (none without a bundle). A bundle with
    its own catalogue has them taken out already; the kiosk's built-in one needs this."""
    check_state_dir(state_dir)
    path = state_dir / "fleet" / "current" / "exclude_matters.json"
    try:
        codes = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    return [c for c in codes if isinstance(c, str)] if isinstance(codes, list) else []
