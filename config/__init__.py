"""Shipped configuration: default settings, the demo catalogue and translations.

Plain data files; ``kiosk.settings``, ``kiosk.catalogue`` and ``kiosk.i18n`` read and
validate them.
"""

from pathlib import Path

CONFIG_DIR = Path(__file__).resolve().parent
DEFAULTS_FILE = CONFIG_DIR / "defaults.toml"
CATALOGUE_FILE = CONFIG_DIR / "catalogue.json"
I18N_DIR = CONFIG_DIR / "i18n"
SITE_TYPES_FILE = CONFIG_DIR / "site_types.json"
CONSENT_FILE = CONFIG_DIR / "consent.json"
