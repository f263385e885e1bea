"""The ``kiosk`` command's core subcommands (no UI).

``screens.cli`` adds the UI commands (``run``, ``demo``) on top of this parser, so that
the terminal has one entry point while ``kiosk/`` never imports the UI layer.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from kiosk import __version__
from kiosk.catalogue.errors import CatalogueError
from kiosk.commands import MODULES
from kiosk.control import AlreadyRunning, ControlError, NotRunning
from kiosk.settings import Settings, SettingsError, default_state_dir, load_settings

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
        from provisioning.agent import active_site_file

        site = active_site_file(default_state_dir())
    return load_settings(site)


def build_parser() -> tuple[argparse.ArgumentParser, argparse._SubParsersAction]:
    parser = argparse.ArgumentParser(prog="kiosk", description="Bianmin service kiosk")
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    for name in MODULES:
        importlib.import_module(name).register(sub)
    return parser, sub


def main(
    argv: Sequence[str] | None = None,
    extend: Callable[[argparse._SubParsersAction], None] | None = None,
) -> int:
    parser, sub = build_parser()
    if extend is not None:
        extend(sub)
    args = parser.parse_args(argv)
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    handler: Handler = args.handler
    try:
        return handler(args)
    except SettingsError as exc:
        sys.stderr.write(f"kiosk: bad settings: {exc}\n")
        return 2
    except KeyboardInterrupt:
        return 130
    except CatalogueError as exc:
        sys.stderr.write(f"kiosk: bad catalogue: {exc}\n")
        return 2
    except CommandFailed as exc:
        sys.stderr.write(f"kiosk: {exc.reason}\n")
        return exc.status
    except AlreadyRunning as exc:
        sys.stderr.write(f"kiosk: {exc}\n")
        return 2
    except ControlError as exc:
        sys.stderr.write(f"kiosk: the running kiosk says: {exc}\n")
        return 1
    except NotRunning as exc:  # it holds the lock but its socket is gone (or too long a path)
        sys.stderr.write(f"kiosk: a kiosk owns the state directory but does not answer: {exc}\n")
        return 2
