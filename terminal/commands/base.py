"""What every subcommand module shares: the ``--config`` argument, settings from it, and
the one exception a command raises to fail with a line on stderr."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.settings import Settings, default_state_dir, load_settings
from provisioning.agent import active_site_file

Handler = Callable[[argparse.Namespace], int]


class CommandFailed(Exception):
    """A command could not do its job: ``reason`` is the one line on stderr."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def add_config_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config", type=Path, default=None, help="site settings file (TOML) over the defaults"
    )


def settings_from_args(args: argparse.Namespace) -> Settings:
    """Settings from ``--config``, else ``$KIOSK_CONFIG``, else the fleet's active bundle."""
    site = args.config
    if site is None and os.environ.get("KIOSK_CONFIG"):
        site = Path(os.environ["KIOSK_CONFIG"])
    if site is None:
        site = active_site_file(default_state_dir())
    return load_settings(site)


def emit(record: Any) -> None:
    """One JSON line on stdout, flushed: a watcher reads each as it comes."""
    sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def why_unreadable(exc: Exception) -> str:
    """Why an input file could not be used, in a few words for its JSON record."""
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return str(getattr(exc, "detail", "") or exc)
