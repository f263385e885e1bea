"""The ``kiosk`` command: one subcommand module each (terminal/commands/).

Kivy is imported only inside the UI commands (``run``, ``demo``), so ``kiosk
check-config`` and the device commands work on a machine without a display.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from kiosk import __version__
from kiosk.catalogue.errors import CatalogueError
from kiosk.settings import SettingsError
from terminal.commands import MODULES
from terminal.commands.base import CommandFailed, Handler
from terminal.control import AlreadyRunning, ControlError, NotRunning
from terminal.system.memory import limit_arenas


def build_parser() -> tuple[argparse.ArgumentParser, argparse._SubParsersAction]:
    parser = argparse.ArgumentParser(prog="kiosk", description="Bianmin service kiosk")
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    for name in MODULES:
        importlib.import_module(name).register(sub)
    return parser, sub


def main(argv: Sequence[str] | None = None) -> int:
    limit_arenas()  # before any thread starts (terminal/system/memory.py)
    parser, _sub = build_parser()
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


if __name__ == "__main__":
    sys.exit(main())
