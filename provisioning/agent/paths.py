"""Where the active bundle's files are, for the kiosk's start-up."""

from __future__ import annotations

from pathlib import Path


def active_site_file(state_dir: Path) -> Path | None:
    """The fleet's settings file for ``load_settings``, when a bundle is active."""
    path = state_dir / "fleet" / "current" / "settings.toml"
    return path if path.is_file() else None


def active_catalogue_file(state_dir: Path) -> Path | None:
    """The fleet's catalogue, when the active bundle carries one (else the shipped one)."""
    path = state_dir / "fleet" / "current" / "catalogue.json"
    return path if path.is_file() else None
