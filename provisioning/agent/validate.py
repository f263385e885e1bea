"""Validating a written-out bundle with the kiosk's own loaders, before it is activated.

The server only checks a layer's shape; the kiosk knows its typed settings and its
catalogue rules, so it is the kiosk that decides whether a bundle can run. A bundle that
would stop start-up is refused here and the kiosk stays on its last good one.
"""

from __future__ import annotations

from pathlib import Path

from kiosk.catalogue import CatalogueError, load_catalogue
from kiosk.settings import SettingsError, load_settings
from provisioning.agent.errors import BundleRefused


def validate_with_kiosk(bundle_dir: Path) -> None:
    try:
        settings = load_settings(bundle_dir / "settings.toml")
    except SettingsError as exc:
        raise BundleRefused(f"settings invalid: {exc.key}: {exc.problem}",
                            code="invalid_settings") from exc  # fmt: skip
    catalogue_file = bundle_dir / "catalogue.json"
    if not catalogue_file.exists():
        return
    try:
        catalogue = load_catalogue(catalogue_file)
    except CatalogueError as exc:
        raise BundleRefused(f"catalogue invalid: {exc}", code="invalid_catalogue") from exc
    problems = catalogue.check_site_order(list(settings.site.popular))
    if problems:
        raise BundleRefused(f"settings invalid: site.popular: {problems[0]}",
                            code="invalid_settings")  # fmt: skip


def active_site_file(state_dir: Path) -> Path | None:
    """The fleet's settings file for ``load_settings``, when a bundle is active."""
    path = state_dir / "fleet" / "current" / "settings.toml"
    return path if path.is_file() else None


def active_catalogue_file(state_dir: Path) -> Path | None:
    """The fleet's catalogue, when the active bundle carries one (else the shipped one)."""
    path = state_dir / "fleet" / "current" / "catalogue.json"
    return path if path.is_file() else None
