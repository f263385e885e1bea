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
    return active_catalogue(state_dir)[0]


def active_exclusions(state_dir: Path) -> list[str]:
    """The matter codes the active bundle excludes (none without a bundle). A bundle with
    its own catalogue has them taken out already; the kiosk's built-in one needs this."""
    return active_catalogue(state_dir)[1]


def active_catalogue(state_dir: Path) -> tuple[Path | None, list[str]]:
    """:func:`active_catalogue_file` and :func:`active_exclusions` together, the active
    bundle verified once for both."""
    check_state_dir(state_dir)
    current = state_dir / "fleet" / "current"
    path = current / "catalogue.json"
    try:
        codes = json.loads((current / "exclude_matters.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        codes = []
    excluded = [c for c in codes if isinstance(c, str)] if isinstance(codes, list) else []
    return (path if path.is_file() else None), excluded
